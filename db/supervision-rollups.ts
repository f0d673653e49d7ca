/**
 * Supervision roll-ups: per department and CST day of assignment, the task counts the supervision figures
 * sum (received, acknowledged, on time, escalated, with feedback, feedback overdue), so that a period's
 * figures read one small document per department and day instead of every task assigned in it.
 *
 * Kept exact by recomputation, not by increments: the projection that writes tasks marks the buckets of the
 * tasks it wrote (their old and new department/day) dirty, after the task write (`seq` + 1). A reader
 * recomputes the dirty buckets of its period from the tasks before summing, and stores the result only if
 * no write marked the bucket again meanwhile (`seq` unchanged), so a bucket is never trusted while a write
 * may be missing from it; a retried projection marks again, so nothing is lost. Until a first full build
 * has finished (its marker document) the figures are computed from the tasks directly
 * (db/supervision-queries.ts).
 */
import mongoose from 'mongoose';
import type { AnyBulkWriteOperation, Document } from 'mongodb';
import { cstDate, endOfCstDay, startOfCstDay } from '../domain/calendar';
import { groupCommit } from './group-commit';
import { TaskModel } from './models';

/** The counts a bucket holds (those of DepartmentCounts that do not depend on the time of asking). */
export const ROLLUP_COUNTS = [
  'tasksReceived',
  'acknowledged',
  'acknowledgedOnTime',
  'escalated',
  'withFeedback',
  'feedbackOverdue',
] as const;
export type RollupCounts = Record<(typeof ROLLUP_COUNTS)[number], number>;

/** The $group accumulators of those counts over task documents (the supervision definition, once). */
export const TASK_COUNT_GROUP = {
  tasksReceived: { $sum: 1 },
  acknowledged: { $sum: { $cond: [{ $ifNull: ['$acknowledgedAt', false] }, 1, 0] } },
  acknowledgedOnTime: { $sum: { $cond: [{ $eq: ['$ackOnTime', true] }, 1, 0] } },
  escalated: { $sum: { $cond: [{ $ifNull: ['$escalatedAt', false] }, 1, 0] } },
  withFeedback: { $sum: { $cond: [{ $gt: ['$feedbackCount', 0] }, 1, 0] } },
  feedbackOverdue: { $sum: { $cond: [{ $eq: ['$feedbackOverdue', true] }, 1, 0] } },
} as const;

/** The ack deadlines of a bucket's pending tasks (nulls for the others, dropped before storing). */
const PENDING_DEADLINES = { $push: { $cond: [{ $eq: ['$status', 'pending'] }, '$ackDeadline', null] } };
const withoutNulls = (a: unknown) => ((a as Array<string | null> | undefined) ?? []).filter((x) => x !== null);

interface Bucket extends RollupCounts {
  _id: string;
  /** ack deadlines of the pending tasks */
  pendingDeadlines: string[];
  departmentId: string;
  departmentName?: string;
  /** CST civil date of the tasks' assignment */
  day: string;
  seq: number;
  dirty: boolean;
}

/** What a task write touches: its department and day of assignment. */
export interface TaskBucketKey {
  departmentId: string;
  departmentName?: string;
  assignedAt: string;
}

const buckets = () => mongoose.connection.db!.collection<Bucket>('supervision_rollups');
const state = () => mongoose.connection.db!.collection<{ _id: string; builtAt: string }>('supervision_rollup_state');
const bucketId = (departmentId: string, day: string) => `${departmentId}|${day}`;
const ZERO: RollupCounts = Object.fromEntries(ROLLUP_COUNTS.map((k) => [k, 0])) as RollupCounts;
const countsOf = (row: Document | undefined): RollupCounts =>
  Object.fromEntries(ROLLUP_COUNTS.map((k) => [k, (row?.[k] as number | undefined) ?? 0])) as RollupCounts;
const isDuplicate = (e: unknown) => {
  const errs = (e as { writeErrors?: Array<{ code?: number }>; code?: number }).writeErrors;
  return errs ? errs.every((w) => w.code === 11000) : (e as { code?: number }).code === 11000;
};

let indexes: Promise<unknown> | undefined;
const ensureIndexes = () =>
  (indexes ??= Promise.all([
    buckets().createIndex({ day: 1, departmentId: 1 }),
    buckets().createIndex({ day: 1 }, { name: 'dirty_day', partialFilterExpression: { dirty: true } }),
  ]));

/**
 * Marks the buckets of the written tasks dirty; called after the tasks are written. Projections that
 * finish together share one write (db/group-commit.ts): one `seq` step after several task writes still
 * tells a reader that started before any of them that its counts may miss one.
 */
export function markTasksWritten(tasks: TaskBucketKey[]): Promise<void> {
  const keys = new Map<string, TaskBucketKey & { day: string }>();
  for (const t of tasks) {
    if (!t.departmentId || !t.assignedAt) continue;
    const day = cstDate(new Date(t.assignedAt));
    keys.set(bucketId(t.departmentId, day), { ...t, day });
  }
  return markBuckets(keys);
}

const markBuckets = groupCommit(async (keys: Map<string, TaskBucketKey & { day: string }>) => {
  const ops: AnyBulkWriteOperation<Bucket>[] = [...keys].map(([_id, k]) => ({
    updateOne: {
      filter: { _id },
      update: {
        $inc: { seq: 1 },
        $set: { dirty: true },
        $setOnInsert: {
          departmentId: k.departmentId,
          departmentName: k.departmentName,
          day: k.day,
          ...ZERO,
          pendingDeadlines: [],
        },
      },
      upsert: true,
    },
  }));
  try {
    await buckets().bulkWrite(ops, { ordered: false });
  } catch (e) {
    // two writers inserting one bucket at once: the loser's $inc is applied by retrying it
    if (!isDuplicate(e)) throw e;
    await buckets().bulkWrite(ops, { ordered: false });
  }
});

/** The counts of one department's tasks assigned on one CST day, from the tasks. */
async function countDay(
  departmentId: string,
  day: string,
): Promise<RollupCounts & { departmentName?: string; pendingDeadlines: string[] }> {
  const [row] = await TaskModel.aggregate([
    {
      $match: {
        departmentId,
        assignedAt: { $gte: startOfCstDay(day).toISOString(), $lt: endOfCstDay(day).toISOString() },
      },
    },
    {
      $group: {
        _id: null,
        departmentName: { $first: '$departmentName' },
        ...TASK_COUNT_GROUP,
        pendingDeadlines: PENDING_DEADLINES,
      },
    },
  ]);
  return {
    ...countsOf(row),
    pendingDeadlines: withoutNulls(row?.pendingDeadlines),
    ...(row?.departmentName ? { departmentName: row.departmentName as string } : {}),
  };
}

/** Recomputes a dirty bucket; stored clean only if no write marked it again meanwhile. */
async function refresh(b: Bucket): Promise<void> {
  const counts = await countDay(b.departmentId, b.day);
  await buckets().updateOne({ _id: b._id, seq: b.seq }, { $set: { ...counts, dirty: false } });
}

/**
 * Builds every bucket from the tasks (one aggregation), then marks the roll-ups built. Safe while tasks are
 * written: a bucket marked after the seqs were read is left dirty, so its first reader recomputes it.
 */
export async function buildRollups(now = new Date()): Promise<{ buckets: number }> {
  await ensureIndexes();
  const seqs = new Map<string, number>();
  for await (const b of buckets().find({}, { projection: { seq: 1 } })) seqs.set(b._id, b.seq);
  type Row = { _id: { d: string; day: string }; departmentName?: string; pendingDeadlines: null[] } & RollupCounts;
  const rows = TaskModel.aggregate<Row>([
    {
      $group: {
        _id: {
          d: '$departmentId',
          day: {
            $dateToString: {
              date: { $dateFromString: { dateString: '$assignedAt' } },
              format: '%Y-%m-%d',
              timezone: '+08:00',
            },
          },
        },
        departmentName: { $first: '$departmentName' },
        ...TASK_COUNT_GROUP,
        pendingDeadlines: PENDING_DEADLINES,
      },
    },
  ]).allowDiskUse(true);
  const seen = new Set<string>();
  let ops: AnyBulkWriteOperation<Bucket>[] = [];
  const put = (_id: string, doc: Omit<Bucket, '_id' | 'seq' | 'dirty'>) => {
    const seq = seqs.get(_id);
    ops.push({
      updateOne: {
        filter: seq === undefined ? { _id, seq: { $exists: false } } : { _id, seq },
        update: { $set: { ...doc, dirty: false }, ...(seq === undefined ? { $setOnInsert: { seq: 0 } } : {}) },
        upsert: true,
      },
    });
  };
  const flush = async () => {
    const batch = ops;
    ops = [];
    if (!batch.length) return;
    try {
      await buckets().bulkWrite(batch, { ordered: false });
    } catch (e) {
      if (!isDuplicate(e)) throw e; // marked by a writer meanwhile: left dirty for its first reader
    }
  };
  for await (const r of rows) {
    if (!r._id.d || !r._id.day) continue;
    const _id = bucketId(r._id.d, r._id.day);
    seen.add(_id);
    const { d: departmentId, day } = r._id;
    const pendingDeadlines = withoutNulls(r.pendingDeadlines);
    put(_id, { departmentId, day, departmentName: r.departmentName, ...countsOf(r), pendingDeadlines });
    if (ops.length >= 1000) await flush();
  }
  for (const _id of seqs.keys()) {
    if (seen.has(_id)) continue;
    const [departmentId, day] = _id.split('|');
    put(_id, { departmentId, day, ...ZERO, pendingDeadlines: [] });
  }
  await flush();
  await state().updateOne({ _id: 'tasks' }, { $set: { builtAt: now.toISOString() } }, { upsert: true });
  built = true;
  return { buckets: seen.size };
}

let built = false;
let building: Promise<unknown> | undefined;

/** Whether the roll-ups can answer; the first call in a process starts a build if none has finished. */
export async function rollupsReady(): Promise<boolean> {
  if (built) return true;
  if (await state().findOne({ _id: 'tasks' })) return (built = true);
  building ??= buildRollups().catch((e: Error) => {
    console.error('[supervision-rollups] build failed; figures are computed from the tasks:', e.message);
    building = undefined;
  });
  return false;
}

/** Forgets what this process knows about the roll-ups (tests drop their database). */
export function resetRollupsState(): void {
  built = false;
  building = undefined;
  indexes = undefined;
}

/**
 * Per department, the roll-up counts of tasks assigned on CST days [from, to], with the pending ones whose
 * deadline is before `nowIso` as `currentlyOverdue`: dirty buckets recomputed first, then the buckets summed.
 */
export async function rollupCounts(
  from: string,
  to: string,
  nowIso: string,
): Promise<Array<{ _id: string; name?: string; currentlyOverdue: number } & RollupCounts>> {
  await ensureIndexes();
  const dirty = await buckets()
    .find({ dirty: true, day: { $gte: from, $lte: to } })
    .hint('dirty_day')
    .toArray();
  for (let i = 0; i < dirty.length; i += 8) await Promise.all(dirty.slice(i, i + 8).map(refresh));
  return buckets()
    .aggregate<{ _id: string; name?: string; currentlyOverdue: number } & RollupCounts>([
      { $match: { day: { $gte: from, $lte: to } } },
      {
        $group: {
          _id: '$departmentId',
          name: { $first: '$departmentName' },
          ...Object.fromEntries(ROLLUP_COUNTS.map((k) => [k, { $sum: `$${k}` }])),
          currentlyOverdue: {
            $sum: { $size: { $filter: { input: '$pendingDeadlines', cond: { $lt: ['$$this', nowIso] } } } },
          },
        },
      },
    ])
    .toArray();
}
