/**
 * The worker alone (`npm run worker`): any number of these, against external Temporal and MongoDB
 * (TEMPORAL_ADDRESS, MONGODB_URI). Serves /healthz, /readyz and /metrics (the Temporal SDK's metrics
 * and the process's) on XINLIAN_WORKER_PORT; logs JSON lines, the SDK's and the activities' included.
 * Creates the daily supervision Schedule if it is missing. SIGTERM: /readyz turns 503, polling stops,
 * activities in flight get XINLIAN_SHUTDOWN_GRACE_S to finish (then they are cancelled and retried
 * elsewhere), then the process exits.
 */
import type { Server } from 'node:http';
import mongoose from 'mongoose';
import { makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { connectMongo } from '../db/models';
import { migrateLegacyChecks } from '../db/check-records';
import { calendarSync } from '../db/calendar-store';
import { rulesSync } from '../db/rules-store';
import { ConfigError, loadConfig, requireExternal } from './config';
import { createLogger, routeConsole, sdkLogger } from './observability/logger';
import { mongoReachable, Readiness, temporalReachable } from './observability/readiness';
import { requestIdClientInterceptor } from './observability/temporal-request-id';
import { startWorkerHttp } from './observability/worker-http';
import { freePort } from './process';
import { connectTemporal } from './temporal-client';
import { createWorker } from './worker';
import { ensureSupervisionSchedule, ensureUpstreamSchedules } from './schedules';

async function main() {
  const cfg = loadConfig();
  const { temporalAddress, mongodbUri } = requireExternal(cfg, 'worker');
  const log = createLogger('worker', cfg.logLevel ?? 'info');
  routeConsole(log);
  const sdkMetrics = `127.0.0.1:${await freePort()}`;
  Runtime.install({
    logger: sdkLogger(log),
    shutdownSignals: [], // we drain ourselves, in order
    telemetryOptions: {
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN' }) },
      metrics: { prometheus: { bindAddress: sdkMetrics } },
    },
  });
  await connectMongo(mongodbUri);
  // its supervision reports and upstream feedback read the check records: none may be left behind
  await migrateLegacyChecks();
  await calendarSync().start(); // the office's holiday arrangements, followed as they change
  await rulesSync().start(); // and its own periods
  const { client, native, connection } = await connectTemporal(temporalAddress, cfg.temporalNamespace, {
    tls: cfg.temporalTls,
    apiKey: cfg.temporalApiKey,
    interceptors: { workflow: [requestIdClientInterceptor] },
  });
  const worker = await createWorker({
    connection: native,
    client,
    namespace: cfg.temporalNamespace,
    taskQueue: cfg.taskQueue,
    upstream: cfg.upstream,
    cachedWorkflows: cfg.workerCachedWorkflows,
    shutdownGraceTime: cfg.shutdownGraceMs,
  });
  // idempotent: every worker may try, the first creates them (as npm start does on one machine)
  await ensureSupervisionSchedule(client, cfg.taskQueue);
  await ensureUpstreamSchedules(client, cfg.taskQueue, cfg.upstream);
  const readiness = new Readiness({
    worker: () => {
      if (worker.getState() !== 'RUNNING') throw new Error(`worker ${worker.getState().toLowerCase()}`);
    },
    mongodb: mongoReachable(mongoose),
    temporal: temporalReachable(native),
  });
  let http: Server | undefined;
  if (cfg.workerPort) http = await startWorkerHttp({ port: cfg.workerPort, host: cfg.apiHost, readiness, sdkMetrics });
  const running = worker.run();
  log.info(
    { taskQueue: cfg.taskQueue, temporal: temporalAddress, namespace: cfg.temporalNamespace, port: cfg.workerPort },
    'worker polling',
  );
  process.send?.('ready');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'worker draining');
    readiness.drain();
    worker.shutdown();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  let code = 0;
  try {
    await running;
  } catch (e) {
    log.error({ err: e }, 'worker failed');
    code = 1;
  }
  if (!stopping) code = 1;
  http?.close();
  await mongoose.disconnect().catch(() => undefined);
  await native.close().catch(() => undefined);
  await connection.close().catch(() => undefined);
  log.info({ code }, 'worker stopped');
  log.flush(() => process.exit(code));
}

main().catch((e) => {
  process.stderr.write(
    `${e instanceof ConfigError ? e.message : `worker failed to start / Worker 启动失败: ${(e as Error).message}`}\n`,
  );
  process.exit(1);
});
