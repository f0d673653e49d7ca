/**
 * How check records are stored: in buckets (collection `check_buckets`), one document holding the
 * checks one API process answered for one department between two writes of its check log: one write,
 * one oplog entry and one `_id` key per bucket, not per check. Measured, mongod's CPU per recorded check
 * fell by about a third (docs/benchmarks.md).
 *
 * A check's id names its bucket: the first 33 characters of the id are the bucket's `_id` (110 random
 * bits of a fresh UUID), the last 3 hex digits its place in it. So every id is still a UUID of the
 * version and variant its bucket's id was drawn with, and a check is found by its id without an index
 * entry of its own.
 *
 * Pure: the bucket's shape, the id rules and the step of the newest-first page (db/check-records.ts).
 */
import { z } from 'zod';
import { CheckRecord } from './check';

/** A bucket never spans more than this from its first check to its last: the pages' scan bound. */
export const MAX_BUCKET_SPAN_MS = 60_000;
/** Nor holds more checks than this (a stored document stays well under MongoDB's 16 MiB). */
export const MAX_BUCKET_CHECKS = 500;

export const CheckBucket = z.strictObject({
  _id: z.string(),
  departmentId: z.string(),
  firstAt: z.string(),
  lastAt: z.string(),
  count: z.number().int().positive(),
  checks: z.array(CheckRecord).min(1),
});
export type CheckBucket = z.infer<typeof CheckBucket>;

/** The bucket a check id belongs to. */
export const bucketIdOf = (checkId: string): string => checkId.slice(0, 33);

/** A new bucket's id from a fresh random UUID (its first 33 characters keep its version and variant). */
export const newBucketId = (uuid: string): string => uuid.slice(0, 33);

/** The id of the check in place `seq` of bucket `bucketId`. */
export function checkIdIn(bucketId: string, seq: number): string {
  if (!Number.isInteger(seq) || seq < 0 || seq >= MAX_BUCKET_CHECKS) throw new RangeError(`check place ${seq}`);
  return `${bucketId}${seq.toString(16).padStart(3, '0')}`;
}

/**
 * Whether a check taken at `atMs` may join a bucket of `count` checks taken from `earliestMs` to
 * `latestMs`: the bucket keeps room and its span, whichever way the clock moved.
 */
export const fitsBucket = (count: number, earliestMs: number, latestMs: number, atMs: number): boolean =>
  count < MAX_BUCKET_CHECKS && Math.max(latestMs, atMs) - Math.min(earliestMs, atMs) <= MAX_BUCKET_SPAN_MS;

/** The stored bucket of `checks` (one department's, in the order they were answered). */
export function bucketOf(id: string, checks: CheckRecord[]): CheckBucket {
  let firstAt = checks[0].at;
  let lastAt = checks[0].at;
  for (const c of checks) {
    if (c.at < firstAt) firstAt = c.at;
    if (c.at > lastAt) lastAt = c.at;
  }
  return { _id: id, departmentId: checks[0].departmentId, firstAt, lastAt, count: checks.length, checks };
}

/** Newest first: by time, then by id (the total order of the check history's pages). */
export const newestFirst = (a: CheckRecord, b: CheckRecord): number =>
  a.at !== b.at ? (a.at > b.at ? -1 : 1) : a._id === b._id ? 0 : a._id > b._id ? -1 : 1;

/** The position a page continues after: the last check of the page before. */
export interface CheckCursor {
  at: string;
  id: string;
}

/** Whether `c` comes after the cursor's position in newest-first order. */
export const isAfter = (c: CheckRecord, cursor?: CheckCursor): boolean =>
  !cursor || c.at < cursor.at || (c.at === cursor.at && c._id < cursor.id);

/**
 * One step of the newest-first page over buckets read in descending `lastAt`: the `keep` newest
 * checks of `taken` and `bucket`'s checks that pass `accept`. The page is complete once the next
 * bucket's `lastAt` is before the `keep`-th check kept (see `pageComplete`).
 */
export function takeNewest(
  taken: CheckRecord[],
  bucket: Pick<CheckBucket, 'checks'>,
  accept: (c: CheckRecord) => boolean,
  keep: number,
): CheckRecord[] {
  const more = bucket.checks.filter(accept);
  if (more.length === 0) return taken;
  return [...taken, ...more].sort(newestFirst).slice(0, keep);
}

/** No bucket whose last check is at `nextLastAt` or before can add to `taken` (of `keep` wanted). */
export const pageComplete = (taken: CheckRecord[], keep: number, nextLastAt: string): boolean =>
  taken.length >= keep && nextLastAt < taken[keep - 1].at;
