/** The bucket rules of check records (domain/check-bucket.ts): ids, limits, the newest-first page step. */
import type { CheckRecord } from '../../domain/check';
import {
  MAX_BUCKET_CHECKS,
  MAX_BUCKET_SPAN_MS,
  bucketIdOf,
  bucketOf,
  checkIdIn,
  fitsBucket,
  isAfter,
  newBucketId,
  pageComplete,
  takeNewest,
} from '../../domain/check-bucket';

const c = (id: string, at: string, subjectId = 'S') => ({ _id: id, at, subjectId, departmentId: 'tax' }) as CheckRecord;

it('names a check by its bucket and place, as a UUID of the bucket id’s version and variant', () => {
  const bucket = newBucketId('9f1c2d3e-4b5a-4c6d-9e8f-0123456789ab');
  expect(bucket).toBe('9f1c2d3e-4b5a-4c6d-9e8f-012345678');
  const id = checkIdIn(bucket, 255);
  expect(id).toBe('9f1c2d3e-4b5a-4c6d-9e8f-0123456780ff');
  expect(checkIdIn(bucket, MAX_BUCKET_CHECKS - 1)).toHaveLength(36);
  expect(bucketIdOf(id)).toBe(bucket);
  expect(() => checkIdIn(bucket, MAX_BUCKET_CHECKS)).toThrow(RangeError);
  expect(() => checkIdIn(bucket, -1)).toThrow(RangeError);
});

it('lets a check join a bucket while it has room and the bucket spans no more than its longest time', () => {
  const span = MAX_BUCKET_SPAN_MS;
  expect(fitsBucket(MAX_BUCKET_CHECKS - 1, 0, 0, span)).toBe(true);
  expect(fitsBucket(MAX_BUCKET_CHECKS, 0, 0, 0)).toBe(false);
  expect(fitsBucket(1, 0, 0, span + 1)).toBe(false);
  // a clock stepped back: an earlier check widens the span as much as a later one
  expect(fitsBucket(2, span, span, 0)).toBe(true);
  expect(fitsBucket(2, 0, span, -1)).toBe(false);
});

it('stores a bucket with its first and last times and its count, whatever order the checks came in', () => {
  const b = bucketOf('B', [
    c('2', '2026-01-01T00:00:02Z'),
    c('1', '2026-01-01T00:00:01Z'),
    c('3', '2026-01-01T00:00:03Z'),
  ]);
  expect(b).toMatchObject({ _id: 'B', departmentId: 'tax', firstAt: '2026-01-01T00:00:01Z', count: 3 });
  expect(b.lastAt).toBe('2026-01-01T00:00:03Z');
});

it('keeps the newest checks after the cursor, ties by id, and knows when no older bucket can add one', () => {
  const cursor = { at: '2026-01-01T00:00:05Z', id: 'm' };
  expect(isAfter(c('z', '2026-01-01T00:00:04Z'), cursor)).toBe(true);
  expect(isAfter(c('a', '2026-01-01T00:00:05Z'), cursor)).toBe(true);
  expect(isAfter(c('m', '2026-01-01T00:00:05Z'), cursor)).toBe(false);
  expect(isAfter(c('a', '2026-01-01T00:00:06Z'), cursor)).toBe(false);
  let taken = takeNewest(
    [],
    { checks: [c('a', '2026-01-01T00:00:01Z'), c('b', '2026-01-01T00:00:03Z')] },
    () => true,
    2,
  );
  taken = takeNewest(
    taken,
    { checks: [c('c', '2026-01-01T00:00:03Z'), c('d', '2026-01-01T00:00:02Z')] },
    () => true,
    2,
  );
  expect(taken.map((x) => x._id)).toEqual(['c', 'b']);
  expect(takeNewest(taken, { checks: [c('e', '2026-01-01T00:00:09Z', 'T')] }, (x) => x.subjectId === 'S', 2)).toBe(
    taken,
  );
  // a bucket whose last check is as late as the last one kept may still hold a check that ranks before it
  expect(pageComplete(taken, 2, '2026-01-01T00:00:03Z')).toBe(false);
  expect(pageComplete(taken, 2, '2026-01-01T00:00:02Z')).toBe(true);
  expect(pageComplete(taken, 3, '2026-01-01T00:00:00Z')).toBe(false);
});
