/**
 * Writes a workflow's projection batch to MongoDB. Every write is an idempotent upsert keyed by a
 * business id; listing and task documents carry a revision and are only ever moved forward, so a
 * retried or late activity can never roll the read model back.
 */
import type { Collection } from 'mongodb';
import type { Model } from 'mongoose';
import { CaseModel, ListingModel, TaskModel, FeedbackModel, EventModel, OutboxModel } from '../db/models';
import type { ProjectionBatch } from '../workflows/listing-types';

type Doc = { _id: string; rev: number } & Record<string, unknown>;
// Projections use the driver directly: plain documents, string ids, no hydration.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const coll = (m: Model<any>) => m.collection as unknown as Collection<{ _id: string } & Record<string, unknown>>;

/** Upserts the document unless a newer revision is already stored. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function upsertForward(model: Model<any>, docs: Doc[]): Promise<void> {
  if (docs.length === 0) return;
  try {
    await coll(model).bulkWrite(
      docs.map((d) => ({
        updateOne: { filter: { _id: d._id, $or: [{ rev: { $lt: d.rev } }, { rev: { $exists: false } }] }, update: { $set: d }, upsert: true },
      })),
      { ordered: false },
    );
  } catch (e) {
    // E11000 on an upsert means a newer (or equal) revision is stored: that write is correctly skipped.
    const errs = (e as { writeErrors?: Array<{ code?: number }> }).writeErrors;
    if (!errs || errs.some((w) => w.code !== 11000)) throw e;
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function insertOnce(model: Model<any>, docs: Array<{ id: string } & object>) {
  if (docs.length === 0) return;
  await coll(model).bulkWrite(
    docs.map((d) => ({ updateOne: { filter: { _id: d.id }, update: { $setOnInsert: { ...d, _id: d.id } }, upsert: true } })),
    { ordered: false },
  );
}

export async function writeProjection(batch: ProjectionBatch): Promise<void> {
  await Promise.all([
    batch.listing ? upsertForward(ListingModel, [{ ...batch.listing, _id: batch.listing.entryId }]) : undefined,
    upsertForward(TaskModel, (batch.tasks ?? []).map((t) => ({ ...t, _id: t.taskId }))),
    insertOnce(EventModel, batch.events ?? []),
    insertOnce(OutboxModel, batch.outbox ?? []),
    insertOnce(FeedbackModel, batch.feedback ?? []),
    upsertForward(CaseModel, (batch.cases ?? []).map((c) => ({ ...c, _id: c.caseId }))),
  ]);
}
