/**
 * A whole stack for API integration tests on real servers: a Temporal CLI dev server, a worker,
 * mongod (the run's), and the Express app listening on a free port.
 */
import type { Server } from 'node:http';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import mongoose from 'mongoose';
import * as listingActivities from '../../activities/listing-activities';
import { createApp } from '../../api/app';
import { listen } from '../../api/listen';
import { TokenService, type Principal } from '../../api/auth';
import type { DevAccount } from '../../api/routes/session';
import { seedCatalogue } from '../../db/catalogue-seed';
import { migrateOrganisations } from '../../db/organisations';
import { seedEditions } from '../../db/measure-editions';
import { CheckLog } from '../../db/check-log';
import { LiveTaskIndex } from '../../db/live-task-index';
import { calendarSync } from '../../db/calendar-store';
import { rulesSync } from '../../db/rules-store';
import { workerActivities, WORKFLOWS_PATH } from '../../infra/worker';
import { loadCatalogue, type Catalogue } from '../../measures/catalogue';
import { connectTestDb } from './mongo';
import type { UpstreamEndpoint } from '../../activities/upstream-activities';
import type { FieldMapping } from '../../domain/upstream-exchange';
import { devServerEnv } from './temporal';

export interface ApiStack {
  base: string;
  env: TestWorkflowEnvironment;
  catalogue: Catalogue;
  tokens: TokenService;
  checkLog: CheckLog;
  liveIndex: LiveTaskIndex;
  taskQueue: string;
  token(p: Principal): Promise<string>;
  /** `raw` is sent as it is, as `type` (default JSON). */
  call(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; raw?: string | Buffer; type?: string },
  ): Promise<{ status: number; body: any; headers: Headers }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  stop(): Promise<void>;
}

export async function startApiStack(
  dbName: string,
  measuresDir?: string,
  opts: { devAccounts?: DevAccount[]; upstream?: { endpoint?: UpstreamEndpoint; mapping: FieldMapping } } = {},
): Promise<ApiStack> {
  await connectTestDb(dbName);
  const catalogue = loadCatalogue(measuresDir);
  listingActivities.useCatalogue(catalogue);
  await seedCatalogue(catalogue);
  await migrateOrganisations(catalogue.departments); // today's departments are the city level's
  await seedEditions(catalogue);
  const env = await devServerEnv();
  const taskQueue = `api-${dbName}`;
  const bundle = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } as never,
  });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities: workerActivities(env.client, opts.upstream),
  });
  const running = worker.run();
  const tokens = new TokenService('test-secret-test-secret-test-secret!');
  const checkLog = new CheckLog().start();
  const liveIndex = await new LiveTaskIndex(mongoose.connection.db!).start();
  const calendar = await calendarSync().start();
  const rules = await rulesSync().start();
  const app = createApp({
    client: env.client,
    taskQueue,
    catalogue,
    tokens,
    checkLog,
    liveIndex,
    devAccounts: opts.devAccounts,
    upstreamMapping: opts.upstream?.mapping,
  });
  const server: Server = await listen(app, 0, '127.0.0.1');
  const { port } = server.address() as { port: number };
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    env,
    catalogue,
    tokens,
    checkLog,
    liveIndex,
    taskQueue,
    token: (p) => tokens.issue(p),
    async call(method, path, opts = {}) {
      const headers: Record<string, string> = {};
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] = opts.type ?? 'application/json';
      const res = await fetch(base + path, {
        method,
        headers,
        body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, body, headers: res.headers };
    },
    async stop() {
      await new Promise((r) => server.close(r));
      await checkLog.close();
      await liveIndex.stop();
      await calendar.stop();
      await rules.stop();
      worker.shutdown();
      await running;
      await env.teardown();
      await mongoose.disconnect();
    },
  };
}
