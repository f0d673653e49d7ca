/**
 * `npm start`: the embedded default. Starts mongod and the Temporal dev server with data under
 * .data/ (unless MONGODB_URI / TEMPORAL_ADDRESS point elsewhere), the worker and the API, then prints
 * where to go. Ctrl-C stops everything cleanly.
 */
import path from 'node:path';
import type { Server } from 'node:http';
import { parseKeys, TokenService } from '../api/auth';
import { API_PREFIX, createApp } from '../api/app';
import { listen } from '../api/listen';
import { connectMongo } from '../db/models';
import { seedCatalogue } from '../db/catalogue-seed';
import { migrateOrganisations } from '../db/organisations';
import { migrateLegacyChecks } from '../db/check-records';
import { seedEditions } from '../db/measure-editions';
import { calendarSync } from '../db/calendar-store';
import { rulesSync } from '../db/rules-store';
import { CheckLog } from '../db/check-log';
import { LiveTaskIndex } from '../db/live-task-index';
import { useCatalogue } from '../activities/listing-activities';
import { loadCatalogue } from '../measures/catalogue';
import { devLoginEnabled, loadConfig } from './config';
import { assertPdfFonts } from './pdf';
import { DEV_MACHINE_ACCOUNTS, devAccounts, devSecret, writeDevTokens } from './dev-credentials';
import { startLocalMongo } from './mongod';
import { startTemporalDev } from './temporal-dev';
import { connectTemporal } from './temporal-client';
import { createWorker } from './worker';
import { ensureSupervisionSchedule, ensureUpstreamSchedules } from './schedules';
import type { Launched } from './process';
import mongoose from 'mongoose';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { ApiMetrics } from '../api/metrics';
import { mongoReachable, Readiness, temporalReachable } from './observability/readiness';
import { requestIdClientInterceptor } from './observability/temporal-request-id';

async function main() {
  // we stop the worker ourselves, in order, on SIGINT/SIGTERM
  Runtime.install({
    logger: new DefaultLogger((process.env.XINLIAN_LOG_LEVEL as 'WARN' | undefined) ?? 'WARN'),
    shutdownSignals: [],
  });
  const cfg = loadConfig();
  const logDir = path.join(cfg.dataDir, 'logs');
  const children: Launched[] = [];
  const cleanups: Array<() => Promise<unknown>> = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\n正在停止 Xinlian …');
    for (const c of cleanups.reverse()) await c().catch((e) => console.error(e));
    for (const c of children.reverse()) await c.stop();
    console.log('已停止。');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    // credit reports need the CJK font: refuse to start without it, saying how to install it
    assertPdfFonts();
    const catalogue = loadCatalogue();
    useCatalogue(catalogue);

    let mongoUri = cfg.mongodbUri;
    if (!mongoUri) {
      console.log(`启动 mongod（数据目录 ${path.join(cfg.dataDir, 'mongo')}）…`);
      const m = await startLocalMongo({ dbPath: path.join(cfg.dataDir, 'mongo'), port: cfg.mongoPort, logDir });
      children.push(m.process);
      mongoUri = m.uri;
    }
    let temporalAddress = cfg.temporalAddress;
    if (!temporalAddress) {
      console.log(`启动 Temporal 开发服务器（数据文件 ${path.join(cfg.dataDir, 'temporal', 'temporal.sqlite')}）…`);
      children.push(
        await startTemporalDev({
          dir: path.join(cfg.dataDir, 'temporal'),
          port: cfg.temporalPort,
          uiPort: cfg.temporalUiPort,
          logDir,
          namespace: cfg.temporalNamespace,
        }),
      );
      temporalAddress = `127.0.0.1:${cfg.temporalPort}`;
    }

    await connectMongo(mongoUri);
    cleanups.push(() => mongoose.disconnect());
    const seeded = await seedCatalogue(catalogue);
    await migrateOrganisations(catalogue.departments); // today's departments are the city level's
    await migrateLegacyChecks(); // checks stored one per document before buckets
    // the files are edition 1 of each department's list; later editions live in the database
    await seedEditions(catalogue);
    // the office's holiday arrangements, for the worker's deadline planning and the API alike
    const calendar = await calendarSync().start();
    cleanups.push(() => calendar.stop());
    const rules = await rulesSync().start();
    cleanups.push(() => rules.stop());

    const { client, native, connection } = await connectTemporal(temporalAddress, cfg.temporalNamespace, {
      tls: cfg.temporalTls,
      apiKey: cfg.temporalApiKey,
      interceptors: { workflow: [requestIdClientInterceptor] },
    });
    cleanups.push(() => connection.close());
    cleanups.push(() => native.close());
    const worker = await createWorker({
      connection: native,
      client,
      namespace: cfg.temporalNamespace,
      taskQueue: cfg.taskQueue,
      upstream: cfg.upstream,
      cachedWorkflows: cfg.workerCachedWorkflows,
    });
    const running = worker.run();
    cleanups.push(async () => {
      worker.shutdown();
      await running;
    });

    await ensureSupervisionSchedule(client, cfg.taskQueue);
    await ensureUpstreamSchedules(client, cfg.taskQueue, cfg.upstream);

    const tokens = new TokenService(cfg.jwtKeys ? parseKeys(cfg.jwtKeys) : (cfg.jwtSecret ?? devSecret(cfg.dataDir)));
    const checkLog = new CheckLog().start();
    cleanups.push(() => checkLog.close());
    const liveIndex = await new LiveTaskIndex(mongoose.connection.db!, {
      snapshotEveryMs: cfg.indexSnapshotEveryMs,
    }).start();
    cleanups.push(() => liveIndex.stop());
    const accounts = devAccounts(catalogue);
    const devLogin = devLoginEnabled(cfg);
    const app = createApp({
      client,
      taskQueue: cfg.taskQueue,
      catalogue,
      tokens,
      checkLog,
      liveIndex,
      rateLimitPerMinute: cfg.rateLimitPerMinute,
      upstreamMapping: cfg.upstream.mapping,
      devAccounts: devLogin ? accounts : undefined,
      readiness: new Readiness({
        mongodb: mongoReachable(mongoose),
        temporal: temporalReachable(connection),
        liveIndex: () => {
          if (!liveIndex.fresh()) throw new Error('live index not fresh');
        },
      }),
      metrics: new ApiMetrics({ liveIndex, checkLog, db: () => mongoose.connection.db }),
    });
    const server: Server = await listen(app, cfg.apiPort, '127.0.0.1');
    cleanups.push(() => new Promise((r) => server.close(r)));

    // development tokens only where the development sign-in is on: never signed with production keys
    const devTokens = devLogin
      ? await writeDevTokens(tokens, [...accounts, ...DEV_MACHINE_ACCOUNTS], cfg.dataDir)
      : undefined;
    const base = `http://127.0.0.1:${cfg.apiPort}`;
    console.log(`
信联 Xinlian 已启动
  网页         ${base}/ ${devLogin ? '（开发账号一键登录）' : '（粘贴令牌登录）'}
  API          ${base}${API_PREFIX}
  OpenAPI      ${base}/openapi.json
  API 文档     ${base}/docs
  Temporal UI  ${cfg.temporalAddress ? '(外部 Temporal，见其自身 UI)' : `http://127.0.0.1:${cfg.temporalUiPort}`}
  MongoDB      ${mongoUri}
  措施清单     ${seeded.departments} 个部门，${seeded.measures} 项措施
  数据目录     ${cfg.dataDir}（重启后数据保留）
${
  devTokens
    ? `
开发账号令牌（Authorization: Bearer <令牌>，全部令牌见 ${path.join(cfg.dataDir, 'dev-tokens.json')}）：
  信用办 office:  ${devTokens.office}
  税务局 tax:     ${devTokens.tax ?? '(无)'}
  认定单位 authority-tax、信用主体 subject-demo、审计 auditor：见上述文件
  县级：泊头市信用办 county-office-botou、国家税务总局泊头市税务局 botou-tax：见上述文件
  上级平台（推送名单批次）platform：见上述文件
`
    : `
已配置签名密钥：不生成开发账号令牌，网页请使用统一身份认证平台签发的令牌登录。
`
}
按 Ctrl-C 停止。`);
  } catch (e) {
    console.error(`\n启动失败：${(e as Error).message}`);
    await stop(1);
  }
}

void main();
