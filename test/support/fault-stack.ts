/**
 * Real servers for fault tests: mongod and the Temporal dev server with data on disk (so they can be
 * stopped and started again), and workers as separate processes from dist/ (`npm test` builds first),
 * to be killed and restarted.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { ListingModel } from '../../db/models';
import { entryIdOf, listingWorkflowId, ListingRequest } from '../../domain/listing';
import { startLocalMongo, type LocalMongo } from '../../infra/mongod';
import { PROJECT_ROOT } from '../../infra/paths';
import { freePort, type Launched } from '../../infra/process';
import { startTemporalDev } from '../../infra/temporal-dev';
import { listingWorkflow } from '../../workflows/listing';
import { daysFromToday, listingBody } from './fixtures';
import { SMALL_MEASURES } from './workflow-env';

const WORKER = path.join(PROJECT_ROOT, 'dist', 'infra', 'worker-main.js');

export interface FaultStack {
  mongoUri(): string;
  client: Client;
  taskQueue: string;
  /** A worker process polling the task queue (ready when this resolves). */
  startWorker(): Promise<ChildProcess>;
  stopWorker(child: ChildProcess, signal: NodeJS.Signals): Promise<void>;
  restartTemporal(): Promise<void>;
  restartMongo(): Promise<void>;
  stop(): Promise<void>;
}

export async function startFaultStack(taskQueue: string): Promise<FaultStack> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xinlian-fault-'));
  const [tPort, uiPort, mPort] = [await freePort(), await freePort(), await freePort()];
  const startTemporal = () =>
    startTemporalDev({ dir: path.join(dir, 'temporal'), port: tPort, uiPort, logDir: dir, namespace: 'default' });
  const startMongo = () => startLocalMongo({ dbPath: path.join(dir, 'mongo'), port: mPort, logDir: dir });
  let mongo: LocalMongo = await startMongo();
  let temporal: Launched = await startTemporal();
  const connection = await Connection.connect({ address: `127.0.0.1:${tPort}` });
  const workerEnv = () => ({
    ...process.env,
    TEMPORAL_ADDRESS: `127.0.0.1:${tPort}`,
    MONGODB_URI: mongo.uri,
    XINLIAN_MEASURES_DIR: SMALL_MEASURES,
    XINLIAN_TASK_QUEUE: taskQueue,
  });
  return {
    mongoUri: () => mongo.uri,
    client: new Client({ connection }),
    taskQueue,
    startWorker() {
      const child = fork(WORKER, [], { env: workerEnv(), stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      return new Promise((resolve, reject) => {
        child.once('message', () => resolve(child));
        child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
      });
    },
    async stopWorker(child, signal) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await exited;
    },
    async restartTemporal() {
      await temporal.stop();
      temporal = await startTemporal();
    },
    async restartMongo() {
      await mongo.process.stop();
      mongo = await startMongo();
    },
    async stop() {
      await connection.close();
      await temporal.stop();
      await mongo.process.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until the condition holds (errors count as "not yet": servers may be restarting). */
export async function until(cond: () => Promise<boolean>, ms = 180_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Starts `n` listings (decision numbers `${tag}〔故障〕i号`, notice served 20 days ago, so they take effect at
 * once) and waits until every one is active; answers their entry ids. Needs a running worker and Mongo.
 */
export async function startActiveListings(stack: FaultStack, n: number, tag: string): Promise<string[]> {
  const requests = Array.from({ length: n }, (_, i) =>
    ListingRequest.parse(
      listingBody({
        decisionDocument: { number: `${tag}〔故障〕${i}号`, date: daysFromToday(-20) },
        noticeServedOn: daysFromToday(-20),
      }),
    ),
  );
  const ids = requests.map(entryIdOf);
  for (const request of requests) {
    await stack.client.workflow.start(listingWorkflow, {
      taskQueue: stack.taskQueue,
      workflowId: listingWorkflowId(entryIdOf(request)),
      args: [{ entryId: entryIdOf(request), request }],
    });
  }
  await until(async () => (await ListingModel.countDocuments({ _id: { $in: ids }, status: 'active' })) === n);
  return ids;
}
