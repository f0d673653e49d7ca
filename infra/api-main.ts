/**
 * The API alone (`npm run api`): any number of these behind a load balancer, against external
 * Temporal and MongoDB (TEMPORAL_ADDRESS, MONGODB_URI) with configured signing keys. Serves /healthz,
 * /readyz and /metrics besides the API and the pages; logs JSON lines. SIGTERM: /readyz turns 503
 * (still serving for XINLIAN_DRAIN_DELAY_S, so the load balancer takes it out first), the listener
 * closes, requests in flight finish (up to XINLIAN_SHUTDOWN_GRACE_S), the check log is flushed, then the
 * process exits.
 */
import type { Server } from 'node:http';
import mongoose from 'mongoose';
import { parseKeys, TokenService } from '../api/auth';
import { createApp } from '../api/app';
import { listen } from '../api/listen';
import { ApiMetrics } from '../api/metrics';
import { seedCatalogue } from '../db/catalogue-seed';
import { migrateOrganisations } from '../db/organisations';
import { migrateLegacyChecks } from '../db/check-records';
import { seedEditions } from '../db/measure-editions';
import { CheckLog } from '../db/check-log';
import { LiveTaskIndex } from '../db/live-task-index';
import { connectMongo } from '../db/models';
import { loadCatalogue } from '../measures/catalogue';
import { ConfigError, loadConfig, requireExternal } from './config';
import { createLogger, routeConsole } from './observability/logger';
import { mongoReachable, Readiness, temporalReachable } from './observability/readiness';
import { requestIdClientInterceptor } from './observability/temporal-request-id';
import { connectClient } from './temporal-client';

async function main() {
  const cfg = loadConfig();
  const { temporalAddress, mongodbUri } = requireExternal(cfg, 'api');
  const log = createLogger('api', cfg.logLevel ?? 'info');
  routeConsole(log);
  const catalogue = loadCatalogue();
  await connectMongo(mongodbUri);
  await seedCatalogue(catalogue);
  await migrateOrganisations(catalogue.departments); // today's departments are the city level's
  await migrateLegacyChecks(); // checks stored one per document before buckets
  await seedEditions(catalogue);
  const { connection, client } = await connectClient(temporalAddress, cfg.temporalNamespace, {
    tls: cfg.temporalTls,
    apiKey: cfg.temporalApiKey,
    interceptors: { workflow: [requestIdClientInterceptor] },
  });
  const checkLog = new CheckLog().start();
  const liveIndex = await new LiveTaskIndex(mongoose.connection.db!, {
    snapshotEveryMs: cfg.indexSnapshotEveryMs,
  }).start();
  const readiness = new Readiness({
    mongodb: mongoReachable(mongoose),
    temporal: temporalReachable(connection),
    liveIndex: () => {
      if (!liveIndex.fresh()) {
        const lag = liveIndex.lagMs();
        throw new Error(`live index not fresh (last heartbeat ${Number.isFinite(lag) ? `${lag} ms ago` : 'never'})`);
      }
    },
  });
  const metrics = new ApiMetrics({ liveIndex, checkLog, db: () => mongoose.connection.db });
  const app = createApp({
    client,
    taskQueue: cfg.taskQueue,
    catalogue,
    tokens: new TokenService(cfg.jwtKeys ? parseKeys(cfg.jwtKeys) : cfg.jwtSecret!),
    checkLog,
    liveIndex,
    rateLimitPerMinute: cfg.rateLimitPerMinute,
    upstreamMapping: cfg.upstream.mapping,
    readiness,
    metrics,
    logger: log,
  });
  const server: Server = await listen(app, cfg.apiPort, cfg.apiHost);
  const address = `http://${cfg.apiHost}:${cfg.apiPort}`;
  log.info({ address, temporal: temporalAddress, namespace: cfg.temporalNamespace }, 'api listening');
  process.send?.('ready');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'api draining');
    readiness.drain();
    await new Promise((r) => setTimeout(r, cfg.drainDelayMs));
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const grace = setTimeout(() => server.closeAllConnections(), cfg.shutdownGraceMs);
    await closed;
    clearTimeout(grace);
    await checkLog.close();
    await liveIndex.stop();
    await mongoose.disconnect();
    await connection.close();
    log.info('api stopped');
    log.flush(() => process.exit(0));
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((e) => {
  // straight to stderr, synchronously: the message must be there when the process has exited
  process.stderr.write(
    `${e instanceof ConfigError ? e.message : `api failed to start / API 启动失败: ${(e as Error).message}`}\n`,
  );
  process.exit(1);
});
