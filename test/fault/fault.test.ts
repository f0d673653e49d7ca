/**
 * Faults on real servers: a worker killed with SIGKILL in the middle of a fan-out and restarted; the
 * Temporal dev server and mongod stopped and restarted mid-run. Every listing must end with exactly one
 * task per department and measure: none lost, none doubled. Workers run as separate processes from
 * dist/ (`npm test` builds first).
 */
import { MongoClient } from 'mongodb';
import { entryIdOf, listingWorkflowId, ListingRequest } from '../../domain/listing';
import { SMALL_TAX_ENTERPRISE } from '../support/expected-matches';
import { listingWorkflow } from '../../workflows/listing';
import { daysFromToday, listingBody } from '../support/fixtures';
import { startFaultStack, until, type FaultStack } from '../support/fault-stack';

jest.setTimeout(300_000);

const N = 40;

let stack: FaultStack;
let db: MongoClient;

function requests(tag: string) {
  return Array.from({ length: N }, (_, i) =>
    ListingRequest.parse(
      listingBody({
        decisionDocument: { number: `故障〔${tag}〕${i}号`, date: daysFromToday(-20) },
        noticeServedOn: daysFromToday(-20),
      }),
    ),
  );
}

async function startAll(reqs: ReturnType<typeof requests>) {
  for (const request of reqs) {
    const entryId = entryIdOf(request);
    await stack.client.workflow.start(listingWorkflow, {
      taskQueue: stack.taskQueue,
      workflowId: listingWorkflowId(entryId),
      args: [{ entryId, request }],
    });
  }
  return reqs.map(entryIdOf);
}

const tasksOf = (ids: string[]) =>
  db
    .db()
    .collection('tasks')
    .countDocuments({ entryId: { $in: ids } });
const activeListingsOf = (ids: string[]) =>
  db
    .db()
    .collection('listings')
    .countDocuments({ _id: { $in: ids as never[] }, status: 'active' });

/** Exactly one task per matched department and measure for every entry; one assignment message each. */
async function expectExactlyOnce(entryIds: string[]) {
  const groups = SMALL_TAX_ENTERPRISE;
  const d = db.db();
  // the listing document is written after the batch's tasks, events and messages: wait for both
  await until(
    async () =>
      (await tasksOf(entryIds)) === entryIds.length * groups.length &&
      (await activeListingsOf(entryIds)) === entryIds.length,
  );
  const tasks = await d
    .collection('tasks')
    .find({ entryId: { $in: entryIds } })
    .toArray();
  const expected = groups.map((g) => `${g.departmentId}:${g.measures.map((m) => m.id).join(',')}`).sort();
  for (const id of entryIds) {
    const mine = tasks
      .filter((t) => t.entryId === id)
      .map((t) => `${t.departmentId}:${(t.measures as Array<{ id: string }>).map((m) => m.id).join(',')}`);
    expect(mine.sort()).toEqual(expected);
  }
  expect(await d.collection('outbox').countDocuments({ entryId: { $in: entryIds }, type: 'task_assigned' })).toBe(
    entryIds.length * groups.length,
  );
  const effective = await d
    .collection('listing_events')
    .aggregate([
      { $match: { entryId: { $in: entryIds }, type: 'effective' } },
      { $group: { _id: '$entryId', n: { $sum: 1 } } },
    ])
    .toArray();
  expect(effective.length).toBe(entryIds.length);
  expect(effective.every((e) => e.n === 1)).toBe(true);
}

beforeAll(async () => {
  stack = await startFaultStack('fault');
  db = await MongoClient.connect(stack.mongoUri());
});

afterAll(async () => {
  await db?.close();
  await stack?.stop();
});

it('completes every fan-out exactly once when the worker is killed (SIGKILL) mid-way and restarted', async () => {
  let worker = await stack.startWorker();
  const ids = await startAll(requests('kill'));
  await until(async () => (await tasksOf(ids)) > 0);
  await stack.stopWorker(worker, 'SIGKILL');
  const before = await tasksOf(ids);
  worker = await stack.startWorker();
  try {
    await expectExactlyOnce(ids);
    expect(before).toBeGreaterThan(0);
  } finally {
    await stack.stopWorker(worker, 'SIGTERM');
  }
});

it('completes every fan-out exactly once when the Temporal server and mongod restart mid-run', async () => {
  const worker = await stack.startWorker();
  try {
    const ids = await startAll(requests('restart'));
    await until(async () => (await tasksOf(ids)) > 0);
    await stack.restartTemporal();
    await stack.restartMongo();
    await expectExactlyOnce(ids);
  } finally {
    await stack.stopWorker(worker, 'SIGTERM');
  }
});
