/**
 * Writes a workflow's projection batch to MongoDB. Every write is idempotent by a business id: events,
 * messages and feedback are inserted once; listing and task documents carry a revision and are only ever
 * moved forward (new ones inserted, stored ones upserted on their revision), so a retried or late
 * activity can never roll the read model back.
 */
import type { Collection } from 'mongodb';
import type { Model } from 'mongoose';
import { CaseModel, ListingModel, TaskModel, FeedbackModel, EventModel, OutboxModel } from '../db/models';
import type { ProjectionBatch } from '../workflows/listing-types';
import { appendAudit } from '../db/audit-log';
import { insertManyOnce, takenKeysOnly } from '../db/insert-once';
import { markTasksWritten, type TaskBucketKey } from '../db/supervision-rollups';

type Doc = { _id: string; rev: number } & Record<string, unknown>;
// Projections use the driver directly: plain documents, string ids, no hydration.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const coll = (m: Model<any>) => m.collection as unknown as Collection<{ _id: string } & Record<string, unknown>>;

/**
 * A task's fields that a re-matching clears when it takes a lifted task up again: the workflow writes
 * whole tasks, so one of them absent from the written task is absent from the stored one too.
 */
const TASK_CLEARABLE = ['acknowledgedAt', 'acknowledgedBy', 'ackOnTime', 'reminderSentAt', 'escalatedAt', 'liftedAt'];

/** Upserts the document unless a newer revision is already stored (and unsets `clearable` fields it lacks). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function upsertForward(model: Model<any>, docs: Doc[], clearable: string[] = []): Promise<void> {
  if (docs.length === 0) return;
  try {
    await coll(model).bulkWrite(
      docs.map((d) => {
        const unset = clearable.filter((k) => !(k in d));
        return {
          updateOne: {
            filter: { _id: d._id, $or: [{ rev: { $lt: d.rev } }, { rev: { $exists: false } }] },
            update: unset.length ? { $set: d, $unset: Object.fromEntries(unset.map((k) => [k, ''])) } : { $set: d },
            upsert: true,
          },
        };
      }),
      { ordered: false },
    );
  } catch (e) {
    // E11000 on an upsert means a newer (or equal) revision is stored: that write is correctly skipped.
    if (!takenKeysOnly(e)) throw e;
  }
}

/** Inserts documents keyed by their business id; one stored before (a retried activity) stays as it was. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const insertById = async (model: Model<any>, docs: Array<{ id: string } & object>) => {
  await insertManyOnce(
    coll(model),
    docs.map((d) => ({ ...d, _id: d.id })),
  );
};

/**
 * Writes tasks, moving each forward only. Those not stored when the projection began (`stored`: a listing's
 * first tasks, a re-matching's new ones) are inserted, which costs MongoDB much less than an upsert; one
 * stored meanwhile by a racing retry of this activity takes the upsert's way, which keeps the newer revision.
 */
export async function writeTasks(docs: Doc[], stored: Set<string>): Promise<void> {
  const taken = await insertManyOnce(
    coll(TaskModel),
    docs.filter((d) => !stored.has(d._id)),
  );
  await upsertForward(TaskModel, [...docs.filter((d) => stored.has(d._id)), ...(taken as Doc[])], TASK_CLEARABLE);
}

/** State changes the workflows make on their own (timers, fan-out): audited with the system as actor. */
const SYSTEM_AUDITED = new Set(['effective', 'reminder_sent', 'escalated', 'feedback_overdue', 'closed']);
export const SYSTEM = { sub: 'system', name: '系统（工作流）', role: 'system' };

export async function writeProjection(batch: ProjectionBatch): Promise<void> {
  const tasks = batch.tasks ?? [];
  // the supervision roll-up buckets the tasks leave (a re-matching may move one) and enter, marked after the write
  const before = tasks.length
    ? await coll(TaskModel)
        .find({ _id: { $in: tasks.map((t) => t.taskId) } }, { projection: { departmentId: 1, assignedAt: 1 } })
        .toArray()
    : [];
  await Promise.all([
    writeTasks(
      tasks.map((t) => ({ ...t, _id: t.taskId })),
      new Set(before.map((t) => t._id)),
    ),
    insertById(EventModel, batch.events ?? []),
    insertById(OutboxModel, batch.outbox ?? []),
    insertById(FeedbackModel, batch.feedback ?? []),
    upsertForward(
      CaseModel,
      (batch.cases ?? []).map((c) => ({ ...c, _id: c.caseId })),
    ),
  ]);
  if (tasks.length) await markTasksWritten([...(before as unknown as TaskBucketKey[]), ...tasks]);
  // the listing document goes last: a reader that sees its new state also sees everything it summarises
  if (batch.listing) await upsertForward(ListingModel, [{ ...batch.listing, _id: batch.listing.entryId }]);
  for (const e of batch.events ?? []) {
    if (!SYSTEM_AUDITED.has(e.type)) continue;
    await appendAudit({
      key: `event:${e.id}`,
      actor: SYSTEM,
      action: `listing.${e.type}`,
      target: e.departmentId
        ? { kind: 'task', id: `${e.entryId}:${e.departmentId}` }
        : { kind: 'listing', id: e.entryId },
      after: { at: e.at, ...e.detail },
      requestId: e.id,
    });
  }
  // case deadlines passing are the system's doing too
  for (const c of batch.cases ?? []) {
    const last = c.timeline[c.timeline.length - 1];
    if (last && !last.by && (last.type === 'reminder_sent' || last.type === 'escalated')) {
      await appendAudit({
        key: `case:${c.caseId}:${c.timeline.length}`,
        actor: SYSTEM,
        action: `case.${last.type}`,
        target: { kind: 'case', id: c.caseId },
        after: { at: last.at, ...last.detail },
        requestId: `${c.caseId}:${c.timeline.length}`,
      });
    }
  }
}
