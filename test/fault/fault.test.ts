/**
 * Faults on real servers: a worker killed with SIGKILL in the middle of a fan-out and restarted; the
 * Temporal dev server and mongod stopped and restarted mid-run. Every listing must end with exactly one
 * task per department and measure: none lost, none doubled. Workers run as separate processes from
 * dist/ (`npm test` builds first).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import { entryIdOf, listingWorkflowId, ListingRequest } from '../../domain/listing';
import { startLocalMongo, type LocalMongo } from '../../infra/mongod';
import { freePort, type Launched } from '../../infra/process';
import { startTemporalDev } from '../../infra/temporal-dev';
import { PROJECT_ROOT } from '../../infra/paths';
import { loadCatalogue } from '../../measures/catalogue';
import { matchEntry } from '../../measures/matching';
import { listingWorkflow } from '../../workflows/listing';
import { SMALL_MEASURES } from '../support/workflow-env';
import { daysFromToday, listingBody } from '../support/fixtures';

jest.setTimeout(300_000);

const WORKER = path.join(PROJECT_ROOT, 'dist', 'infra', 'worker-main.js');
const N = 40;

let dir: string;
let mongo: LocalMongo;
let temporal: Launched;
let tPort: number;
let uiPort: number;
let mPort: number;
let client: Client;
let connection: Connection;
let db: MongoClient;

const workerEnv = () => ({
  ...process.env,
  TEMPORAL_ADDRESS: `127.0.0.1:${tPort}`,
  MONGODB_URI: mongo.uri,
  XINLIAN_MEASURES_DIR: SMALL_MEASURES,
  XINLIAN_TASK_QUEUE: 'fault',
});

function startWorker(): Promise<ChildProcess> {
  const child = fork(WORKER, [], { env: workerEnv(), stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
}

async function stopWorker(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

const startTemporal = () => startTemporalDev({ dir: path.join(dir, 'temporal'), port: tPort, uiPort, logDir: dir, namespace: 'default' });
const startMongo = async () => (mongo = await startLocalMongo({ dbPath: path.join(dir, 'mongo'), port: mPort, logDir: dir }));

async function until(cond: () => Promise<boolean>, ms = 180_000) {
  const deadline = Date.now() + ms;
  while (!(await cond().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 250));
  }
}

function requests(tag: string) {
  return Array.from({ length: N }, (_, i) =>
    ListingRequest.parse(listingBody({ decisionDocument: { number: `故障〔${tag}〕${i}号`, date: daysFromToday(-20) }, noticeServedOn: daysFromToday(-20) })),
  );
}

async function startAll(reqs: ReturnType<typeof requests>) {
  for (const request of reqs) {
    const entryId = entryIdOf(request);
    await client.workflow.start(listingWorkflow, { taskQueue: 'fault', workflowId: listingWorkflowId(entryId), args: [{ entryId, request }] });
  }
  return reqs.map(entryIdOf);
}

const tasksOf = (ids: string[]) => db.db().collection('tasks').countDocuments({ entryId: { $in: ids } });

/** Exactly one task per matched department and measure for every entry; one assignment message each. */
async function expectExactlyOnce(entryIds: string[]) {
  const groups = matchEntry(loadCatalogue(SMALL_MEASURES), { listKind: 'black', category: 'major_tax_violation', severity: 'serious', subjectType: 'enterprise' });
  const d = db.db();
  await until(async () => (await tasksOf(entryIds)) === entryIds.length * groups.length);
  const tasks = await d.collection('tasks').find({ entryId: { $in: entryIds } }).toArray();
  const expected = groups.map((g) => `${g.departmentId}:${g.measures.map((m) => m.id).join(',')}`).sort();
  for (const id of entryIds) {
    const mine = tasks.filter((t) => t.entryId === id).map((t) => `${t.departmentId}:${(t.measures as Array<{ id: string }>).map((m) => m.id).join(',')}`);
    expect(mine.sort()).toEqual(expected);
  }
  expect(await d.collection('outbox').countDocuments({ entryId: { $in: entryIds }, type: 'task_assigned' })).toBe(entryIds.length * groups.length);
  const effective = await d
    .collection('listing_events')
    .aggregate([{ $match: { entryId: { $in: entryIds }, type: 'effective' } }, { $group: { _id: '$entryId', n: { $sum: 1 } } }])
    .toArray();
  expect(effective.length).toBe(entryIds.length);
  expect(effective.every((e) => e.n === 1)).toBe(true);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'xinlian-fault-'));
  [tPort, uiPort, mPort] = [await freePort(), await freePort(), await freePort()];
  await startMongo();
  temporal = await startTemporal();
  connection = await Connection.connect({ address: `127.0.0.1:${tPort}` });
  client = new Client({ connection });
  db = await MongoClient.connect(mongo.uri);
});

afterAll(async () => {
  await db?.close();
  await connection?.close();
  await temporal?.stop();
  await mongo?.process.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('completes every fan-out exactly once when the worker is killed (SIGKILL) mid-way and restarted', async () => {
  let worker = await startWorker();
  const ids = await startAll(requests('kill'));
  await until(async () => (await tasksOf(ids)) > 0);
  await stopWorker(worker, 'SIGKILL');
  const before = await tasksOf(ids);
  worker = await startWorker();
  try {
    await expectExactlyOnce(ids);
    expect(before).toBeGreaterThan(0);
  } finally {
    await stopWorker(worker, 'SIGTERM');
  }
});

it('completes every fan-out exactly once when the Temporal server and mongod restart mid-run', async () => {
  const worker = await startWorker();
  try {
    const ids = await startAll(requests('restart'));
    await until(async () => (await tasksOf(ids)) > 0);
    await temporal.stop();
    temporal = await startTemporal();
    await mongo.process.stop();
    await startMongo();
    await expectExactlyOnce(ids);
  } finally {
    await stopWorker(worker, 'SIGTERM');
  }
});
