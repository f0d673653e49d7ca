/**
 * Check records in buckets (db/check-records.ts) against a real MongoDB: a check found and decided by
 * its id, a department's history walked page by page across interleaved buckets (with and without a
 * subject), the counts and hits of a period, and the move of records stored one per document before.
 */
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { CheckLog, type NewCheckRecord } from '../../db/check-log';
import {
  checkCountsBetween,
  checkPage,
  checkedSince,
  decideCheck,
  findCheck,
  hitsBetween,
  insertBuckets,
  migrateLegacyChecks,
} from '../../db/check-records';
import { CheckBucketModel, type CheckRecord } from '../../db/models';
import { MAX_BUCKET_SPAN_MS, bucketIdOf, bucketOf } from '../../domain/check-bucket';
import { connectTestDb } from '../support/mongo';

const T0 = Date.parse('2026-11-02T01:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const rec = (subjectId: string, atMs: number, more: Partial<NewCheckRecord> = {}): NewCheckRecord => ({
  at: iso(atMs),
  departmentId: 'tax',
  userId: 'u',
  userName: '税务局经办人',
  subjectId,
  matter: 'tax_incentive',
  result: 'clear',
  underObjection: false,
  entryIds: [],
  measureIds: [],
  ...more,
});

beforeAll(() => connectTestDb('check_records'));
beforeEach(() => CheckBucketModel.collection.deleteMany({}));
afterAll(() => mongoose.disconnect());

/** Stores records through the check log, `perWrite` at a time, so they land in several buckets. */
async function store(records: NewCheckRecord[], perWrite: number): Promise<string[]> {
  const log = new CheckLog(60_000, 1_000_000, 1_000_000);
  const ids: string[] = [];
  for (let i = 0; i < records.length; i += perWrite) {
    ids.push(...log.record(records.slice(i, i + perWrite)).ids);
    await log.flush();
  }
  return ids;
}

async function walk(filter: { departmentId: string; subjectId?: string }, limit: number) {
  const seen: CheckRecord[] = [];
  let cursor: string | undefined;
  let total: number | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await checkPage(filter, { limit, ...(cursor ? { cursor } : {}) });
    if (pages === 0) total = page.total;
    seen.push(...page.items);
    if (!page.next) return { seen, total };
    cursor = page.next;
  }
  throw new Error('the walk did not end');
}

it('finds a check by its id in its department only, and records its decisions once', async () => {
  const [id] = await store([rec('S1', T0, { result: 'hit', measureIds: ['m1'] })], 1);
  expect(await findCheck('tax', id)).toMatchObject({ _id: id, subjectId: 'S1' });
  expect(await findCheck('housing', id)).toBeUndefined();
  expect(await findCheck('tax', `${bucketIdOf(id)}-00000000ffff`)).toBeUndefined();
  const decision = { decisions: [{ measureId: 'm1', applied: true }], decidedAt: iso(T0 + 1000), decidedBy: '李四' };
  expect(await decideCheck('tax', id, decision)).toMatchObject({ _id: id, ...decision });
  expect(await decideCheck('tax', id, { ...decision, decidedBy: '王五' })).toBeUndefined();
  expect(await findCheck('tax', id)).toMatchObject({ decidedBy: '李四' });
});

it('walks a history of interleaved buckets newest first, every check once, with and without a subject', async () => {
  // three API processes' buckets overlapping in time, and equal times settled by id
  const records = Array.from({ length: 47 }, (_, i) => rec(`S${i % 4}`, T0 + Math.floor(i / 2) * 100));
  await insertBuckets(
    [0, 1, 2].map((k) =>
      bucketOf(
        randomUUID().slice(0, 33),
        records.flatMap((r, i) => (i % 3 === k ? [{ _id: `${k}-${String(i).padStart(3, '0')}`, ...r }] : [])),
      ),
    ),
  );
  await store([rec('S1', T0 - 10 * MAX_BUCKET_SPAN_MS), rec('S2', T0 + 10 * MAX_BUCKET_SPAN_MS)], 1);
  const all = await CheckBucketModel.collection
    .aggregate<CheckRecord>([{ $unwind: '$checks' }, { $replaceRoot: { newRoot: '$checks' } }])
    .toArray();
  const expected = all
    .sort((a, b) => (a.at !== b.at ? b.at.localeCompare(a.at) : b._id.localeCompare(a._id)))
    .map((c) => c._id);
  for (const limit of [1, 5, 50]) {
    const { seen, total } = await walk({ departmentId: 'tax' }, limit);
    expect(seen.map((c) => c._id)).toEqual(expected);
    expect(total).toBe(49);
    const s1 = await walk({ departmentId: 'tax', subjectId: 'S1' }, limit);
    expect(s1.seen.map((c) => c._id)).toEqual(all.filter((c) => c.subjectId === 'S1').map((c) => c._id));
    expect(s1.total).toBe(all.filter((c) => c.subjectId === 'S1').length);
  }
  expect(await walk({ departmentId: 'housing' }, 10)).toEqual({ seen: [], total: 0 });
});

it('answers whether the department checked a subject since a moment, and a period’s counts and hits', async () => {
  await store(
    [
      rec('S1', T0),
      rec('S2', T0 + 1000, { result: 'hit', entryIds: ['e1'] }),
      rec('S3', T0 + 2000, { result: 'hit', entryIds: ['e2'] }),
      rec('S1', T0 + 3000, { departmentId: 'housing', result: 'hit' }),
      rec('S4', T0 + 4000),
    ],
    2,
  );
  expect(await checkedSince('tax', 'S1', iso(T0))).toBe(true);
  expect(await checkedSince('tax', 'S1', iso(T0 + 1))).toBe(false);
  expect(await checkedSince('housing', 'S2', iso(T0 - 1))).toBe(false);
  const [hit] = (await hitsBetween(iso(T0 + 1000), iso(T0 + 1999))).map((c) => c.subjectId);
  expect(hit).toBe('S2');
  expect((await hitsBetween(iso(T0), iso(T0 + 5000))).map((c) => c.subjectId).sort()).toEqual(['S1', 'S2', 'S3']);
  const [id] = (await hitsBetween(iso(T0 + 2000), iso(T0 + 2000))).map((c) => c._id);
  await decideCheck('tax', id, { decisions: [], decidedAt: iso(T0 + 9000), decidedBy: '李四' });
  const counts = await checkCountsBetween(iso(T0 + 500), iso(T0 + 4000)); // [lo, hi): S1 at T0 and S4 left out
  expect(counts.sort((a, b) => a._id.localeCompare(b._id))).toEqual([
    { _id: 'housing', checks: 1, checkHits: 1, hitsWithDecision: 0 },
    { _id: 'tax', checks: 2, checkHits: 2, hitsWithDecision: 1 },
  ]);
});

it('moves records stored one per document into buckets, once, and keeps them reachable by their ids', async () => {
  const legacy = mongoose.connection.db!.collection<CheckRecord>('checks');
  await legacy.deleteMany({});
  const old = Array.from({ length: 25 }, (_, i) => ({ _id: randomUUID(), ...rec(`S${i}`, T0 + i * 1000) }));
  await legacy.insertMany(old);
  // a run stopped between its insert and its delete left one already moved
  await insertBuckets([bucketOf(bucketIdOf(old[3]._id), [old[3]])]);
  expect(await migrateLegacyChecks(10)).toBe(25);
  expect(await migrateLegacyChecks(10)).toBe(0);
  expect(await mongoose.connection.db!.listCollections({ name: 'checks' }).toArray()).toEqual([]);
  for (const c of old) expect(await findCheck('tax', c._id)).toEqual(c);
  expect((await walk({ departmentId: 'tax' }, 7)).seen.map((c) => c._id)).toEqual(old.map((c) => c._id).reverse());
});
