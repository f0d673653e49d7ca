/**
 * The check log: checks go into their department's bucket, which names their ids; one write at a time,
 * every check written once, a failed write retried with the same buckets, callers told when it is full.
 */
import { CheckLog, type NewCheckRecord } from '../../db/check-log';
import { bucketIdOf, MAX_BUCKET_CHECKS, MAX_BUCKET_SPAN_MS, type CheckBucket } from '../../domain/check-bucket';
import { eventually } from '../support/eventually';

const T0 = Date.parse('2026-12-01T02:00:00Z');
const rec = (i: number, departmentId = 'tax', atMs = T0): NewCheckRecord => ({
  at: new Date(atMs).toISOString(),
  departmentId,
  userId: 'u',
  userName: '经办人',
  subjectId: `S${i}`,
  matter: 'tax_incentive',
  result: 'clear',
  underObjection: false,
  entryIds: [],
  measureIds: [],
});
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));
let uuids = 0;
const fakeUuid = () => `${(++uuids).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;

function slowStore(ms: number) {
  const buckets: CheckBucket[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const insert = async (batch: CheckBucket[]) => {
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    await tick(ms);
    buckets.push(...batch);
    inFlight--;
  };
  const subjects = () => buckets.flatMap((b) => b.checks.map((c) => c.subjectId));
  return { insert, buckets, subjects, maxInFlight: () => maxInFlight };
}

it('gives every check an id naming its bucket, and stores each department’s checks in buckets of its own', async () => {
  const store = slowStore(1);
  const log = new CheckLog(1000, 100, 10_000, store.insert, fakeUuid);
  const { ids } = log.record([rec(1), rec(2, 'housing'), rec(3)]);
  expect(new Set(ids).size).toBe(3);
  for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  await log.flush();
  expect(store.buckets.map((b) => [b.departmentId, b.count, b.checks.map((c) => c.subjectId)])).toEqual([
    ['tax', 2, ['S1', 'S3']],
    ['housing', 1, ['S2']],
  ]);
  for (const b of store.buckets) for (const c of b.checks) expect(bucketIdOf(c._id)).toBe(b._id);
  expect(store.buckets[0].checks.map((c) => c._id)).toEqual([ids[0], ids[2]]);
});

it('writes full batches as they fill, one write at a time, and every check exactly once', async () => {
  const store = slowStore(15);
  const log = new CheckLog(1000, 100, 10_000, store.insert);
  for (let i = 0; i < 1000; i++) {
    log.record([rec(i)]);
    if (i % 50 === 0) await tick(1);
  }
  await log.flush();
  expect(store.subjects()).toEqual(Array.from({ length: 1000 }, (_, i) => `S${i}`));
  expect(store.maxInFlight()).toBe(1);
  // checks that arrive while a write is under way go together in the next one
  expect(store.buckets.length).toBeLessThan(20);
  expect(log.depth).toBe(0);
});

it('starts a new bucket when one is full or would span more than its longest time', async () => {
  const store = slowStore(0);
  const log = new CheckLog(1000, 100_000, 100_000, store.insert);
  log.record(Array.from({ length: MAX_BUCKET_CHECKS + 1 }, (_, i) => rec(i)));
  log.record([rec(-1, 'tax', T0 + MAX_BUCKET_SPAN_MS)]); // just within the span of the second bucket
  log.record([rec(-2, 'tax', T0 + MAX_BUCKET_SPAN_MS + 1)]); // beyond it
  log.record([rec(-3, 'tax', T0)]); // the clock stepped back: as far beyond the third bucket's span
  await log.flush();
  expect(store.buckets.map((b) => b.count)).toEqual([MAX_BUCKET_CHECKS, 2, 1, 1]);
  expect(store.buckets[1]).toMatchObject({ firstAt: rec(0).at, lastAt: rec(0, 'tax', T0 + MAX_BUCKET_SPAN_MS).at });
  expect(store.buckets.map((b) => b._id)).toHaveLength(new Set(store.buckets.map((b) => b._id)).size);
});

it('writes what the timer finds, and close() writes the rest', async () => {
  const store = slowStore(1);
  const log = new CheckLog(10, 100, 10_000, store.insert).start();
  log.record([rec(1), rec(2)]);
  // no flush: the 10 ms timer writes them
  await eventually(async () => expect(store.subjects()).toEqual(['S1', 'S2']), 5000);
  log.record([rec(3)]);
  await log.close();
  expect(store.subjects()).toEqual(['S1', 'S2', 'S3']);
});

it('retries a failed write with the same buckets, and tells callers when the queue is full', async () => {
  let fail = true;
  const attempts: CheckBucket[][] = [];
  const log = new CheckLog(1000, 100, 5, async (batch) => {
    attempts.push(batch);
    if (fail) {
      fail = false;
      throw new Error('mongod away');
    }
  });
  const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const { queued } = log.record([rec(1), rec(2), rec(3), rec(4), rec(5)]); // full: waits for a write
    await queued; // the write failed; the buckets are queued again
    expect(log.depth).toBe(5);
    await log.flush();
    expect(attempts).toHaveLength(2);
    // the same bucket under the same id: a write that landed before its answer was lost is not stored twice
    expect(attempts[1]).toEqual(attempts[0]);
    expect(log.depth).toBe(0);
    expect(error).toHaveBeenCalledTimes(1);
  } finally {
    error.mockRestore();
  }
});
