/**
 * The check records in MongoDB: buckets of checks (domain/check-bucket.ts) in `check_buckets`, and
 * every question asked of them: one check by its id, its decisions, a department's history a page at a
 * time, whether a department checked a subject lately, the counts of a period and its hits.
 *
 * Records stored before buckets (one document per check, collection `checks`) are moved into buckets of
 * one by `migrateLegacyChecks`, run at every start of an API or worker process.
 */
import type { Collection, Document, Filter } from 'mongodb';
import mongoose from 'mongoose';
import type { CheckRecord, MeasureDecision } from '../domain/check';
import {
  MAX_BUCKET_SPAN_MS,
  bucketIdOf,
  bucketOf,
  isAfter,
  pageComplete,
  takeNewest,
  type CheckBucket,
  type CheckCursor,
} from '../domain/check-bucket';
import { CursorMismatchError, decodeCursor, encodeCursor, type Page, type PageRequest } from '../domain/pagination';
import { CheckBucketModel } from './models';
import { insertManyOnce } from './insert-once';

const buckets = () => CheckBucketModel.collection as unknown as Collection<CheckBucket>;

/** Stores buckets; one already stored (a retried write that had landed) is left as it is. */
export async function insertBuckets(batch: CheckBucket[]): Promise<void> {
  await insertManyOnce(buckets(), batch);
}

/** One check of the department, by its id. */
export async function findCheck(departmentId: string, checkId: string): Promise<CheckRecord | undefined> {
  const b = await buckets().findOne(
    { _id: bucketIdOf(checkId), departmentId },
    { projection: { checks: { $elemMatch: { _id: checkId } } } },
  );
  return b?.checks?.[0];
}

/** Records the decisions of a check not decided yet; undefined when it was decided meanwhile (or is not there). */
export async function decideCheck(
  departmentId: string,
  checkId: string,
  decision: { decisions: MeasureDecision[]; decidedAt: string; decidedBy: string },
): Promise<CheckRecord | undefined> {
  const b = await buckets().findOneAndUpdate(
    { _id: bucketIdOf(checkId), departmentId, checks: { $elemMatch: { _id: checkId, decidedAt: { $exists: false } } } },
    {
      $set: {
        'checks.$.decisions': decision.decisions,
        'checks.$.decidedAt': decision.decidedAt,
        'checks.$.decidedBy': decision.decidedBy,
      },
    },
    { returnDocument: 'after', projection: { checks: { $elemMatch: { _id: checkId } } } },
  );
  return b?.checks?.[0];
}

/**
 * A department's checks (of one subject, if given), newest first, a page at a time; the total on the
 * first page. Buckets are read newest last check first, on the index, until no further bucket can hold
 * a check of the page. After a cursor the scan starts at the buckets ending within the longest bucket
 * span after it, and skips on the index those begun after it: so a deep page reads what the first
 * page reads, plus the buckets that straddle the cursor.
 */
export async function checkPage(
  filter: { departmentId: string; subjectId?: string },
  page: PageRequest,
): Promise<Page<CheckRecord>> {
  const cursor = page.cursor ? parseCursor(page.cursor) : undefined;
  const { departmentId, subjectId } = filter;
  const base: Filter<CheckBucket> = { departmentId, ...(subjectId ? { 'checks.subjectId': subjectId } : {}) };
  const query: Filter<CheckBucket> = cursor
    ? {
        ...base,
        firstAt: { $lte: cursor.at },
        lastAt: { $lte: new Date(Date.parse(cursor.at) + MAX_BUCKET_SPAN_MS).toISOString() },
      }
    : base;
  const accept = (c: CheckRecord) => (!subjectId || c.subjectId === subjectId) && isAfter(c, cursor);
  const keep = page.limit + 1;
  const [taken, total] = await Promise.all([
    (async () => {
      let taken: CheckRecord[] = [];
      const found = buckets().find(query).sort({ lastAt: -1 }).batchSize(20);
      try {
        for await (const b of found) {
          if (pageComplete(taken, keep, b.lastAt)) break;
          taken = takeNewest(taken, b, accept, keep);
        }
      } finally {
        await found.close();
      }
      return taken;
    })(),
    cursor ? Promise.resolve(undefined) : countChecks(base, subjectId),
  ]);
  const items = taken.slice(0, page.limit);
  const last = items[items.length - 1];
  const next = taken.length > page.limit && last ? encodeCursor([last.at, last._id]) : null;
  return total === undefined ? { items, next } : { items, next, total };
}

function parseCursor(cursor: string): CheckCursor {
  const v = decodeCursor(cursor);
  if (!v || v.length !== 2 || typeof v[0] !== 'string' || typeof v[1] !== 'string' || Number.isNaN(Date.parse(v[0])))
    throw new CursorMismatchError();
  return { at: v[0], id: v[1] };
}

async function countChecks(base: Filter<CheckBucket>, subjectId?: string): Promise<number> {
  const count: Document | string = subjectId
    ? { $size: { $filter: { input: '$checks', cond: { $eq: ['$$this.subjectId', subjectId] } } } }
    : '$count';
  const [row] = await buckets()
    .aggregate<{ n: number }>([{ $match: base }, { $group: { _id: null, n: { $sum: count } } }])
    .toArray();
  return row?.n ?? 0;
}

/** Whether the department checked the subject at `since` or later. */
export async function checkedSince(departmentId: string, subjectId: string, since: string): Promise<boolean> {
  const b = await buckets().findOne(
    {
      departmentId,
      'checks.subjectId': subjectId,
      lastAt: { $gte: since },
      checks: { $elemMatch: { subjectId, at: { $gte: since } } },
    },
    { projection: { _id: 1 } },
  );
  return !!b;
}

/** The checks that found a listing, taken from `from` to `to` inclusive, per department on its index. */
export async function hitsBetween(from: string, to: string): Promise<CheckRecord[]> {
  const departments = (await buckets().distinct('departmentId')) as string[];
  const found = await Promise.all(
    departments.map((departmentId) =>
      buckets()
        .find({
          departmentId,
          lastAt: { $gte: from, $lte: new Date(Date.parse(to) + MAX_BUCKET_SPAN_MS).toISOString() },
          firstAt: { $lte: to },
          'checks.result': 'hit',
        })
        .toArray(),
    ),
  );
  return found.flat().flatMap((b) => b.checks.filter((c) => c.result === 'hit' && c.at >= from && c.at <= to));
}

/** Per department, the checks taken in [lo, hi): how many, how many found a listing, how many of those were decided. */
export function checkCountsBetween(lo: string, hi: string) {
  return buckets()
    .aggregate<{ _id: string; checks: number; checkHits: number; hitsWithDecision: number }>([
      { $match: { lastAt: { $gte: lo }, firstAt: { $lt: hi } } },
      { $unwind: '$checks' },
      { $match: { 'checks.at': { $gte: lo, $lt: hi } } },
      {
        $group: {
          _id: '$departmentId',
          checks: { $sum: 1 },
          checkHits: { $sum: { $cond: [{ $eq: ['$checks.result', 'hit'] }, 1, 0] } },
          hitsWithDecision: {
            $sum: {
              $cond: [{ $and: [{ $eq: ['$checks.result', 'hit'] }, { $ifNull: ['$checks.decidedAt', false] }] }, 1, 0],
            },
          },
        },
      },
    ])
    .toArray();
}

/**
 * Moves the records stored one per document (collection `checks`, before buckets) into buckets of one
 * under the bucket their id names, then drops the emptied collection. Idempotent and safe to run in
 * several processes at once: a record is deleted from `checks` only once its bucket holds it.
 */
export async function migrateLegacyChecks(chunk = 1000): Promise<number> {
  const legacy = mongoose.connection.db!.collection<CheckRecord>('checks');
  let moved = 0;
  for (;;) {
    const docs = await legacy.find().limit(chunk).toArray();
    if (docs.length === 0) break;
    const taken = await insertManyOnce(
      buckets(),
      docs.map((d) => bucketOf(bucketIdOf(d._id), [d])),
    );
    // a bucket already there: this record again (a run before stopped between insert and delete), or,
    // for two records whose ids share a prefix, another record, which it joins
    for (const b of taken) {
      const d = b.checks[0];
      await buckets().updateOne(
        { _id: b._id, departmentId: d.departmentId, 'checks._id': { $ne: d._id } },
        { $push: { checks: d }, $inc: { count: 1 }, $min: { firstAt: d.at }, $max: { lastAt: d.at } },
      );
    }
    await legacy.deleteMany({ _id: { $in: docs.map((d) => d._id) } });
    moved += docs.length;
  }
  await legacy.drop().catch(() => undefined); // not there: nothing was ever stored before buckets
  return moved;
}
