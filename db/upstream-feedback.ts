/**
 * Feedback sent up to the provincial platform, in MongoDB: `upstream_feedback_batches`, one document per
 * period (`_id` its batch id) with what was sent, how each attempt went and the upstream's answer; and the
 * queries that gather a period's feedback and checks on the entries that came from upstream.
 */
import mongoose, { Schema } from 'mongoose';
import { FeedbackModel, ALL_MODELS } from './models';
import { hitsBetween } from './check-records';
import { newestFirst } from '../domain/check-bucket';
import { UpstreamRecordModel } from './upstream-exchange';
import type { DeliveryStatus } from '../domain/upstream-exchange';
import { endOfCstDay, startOfCstDay } from '../domain/cst';
import { checkUpItems, type CheckUpItem, type FeedbackPeriod, type FeedbackUpItem } from '../domain/upstream-feedback';

export interface FeedbackBatchDoc {
  _id: string;
  period: FeedbackPeriod;
  createdAt: string;
  /** pending: not taken yet (retrying); sent: taken upstream; failed: never taken, after every attempt */
  status: DeliveryStatus;
  attempts: number;
  feedback?: number;
  checks?: number;
  lastError?: string;
  /** the upstream's reason when it refused the batch (it is sent again) */
  lastRefusal?: string;
  sentAt?: string;
}

export const FeedbackBatchModel = mongoose.model<FeedbackBatchDoc>(
  'UpstreamFeedbackBatch',
  new Schema(
    { _id: String, createdAt: String },
    { versionKey: false, strict: false, minimize: false, collection: 'upstream_feedback_batches' },
  )
    // the office's list, newest first
    .index({ createdAt: -1, _id: -1 }),
);
ALL_MODELS.push(FeedbackBatchModel as never);

/** Records the batch of a period once (a second run for the same period finds it). */
export async function openFeedbackBatch(batchId: string, period: FeedbackPeriod, at: Date): Promise<void> {
  await FeedbackBatchModel.collection.updateOne(
    { _id: batchId as never },
    { $setOnInsert: { period, createdAt: at.toISOString(), status: 'pending', attempts: 0 } },
    { upsert: true },
  );
}

export async function recordFeedbackAttempt(
  batchId: string,
  attempt:
    | { ok: true; at: Date; feedback: number; checks: number }
    | { ok: false; error?: string; refusal?: string; final: boolean },
): Promise<void> {
  await FeedbackBatchModel.collection.updateOne(
    { _id: batchId as never, status: { $ne: 'sent' } },
    attempt.ok
      ? {
          $set: {
            status: 'sent',
            sentAt: attempt.at.toISOString(),
            feedback: attempt.feedback,
            checks: attempt.checks,
          },
          $inc: { attempts: 1 },
        }
      : {
          $set: {
            status: attempt.final ? 'failed' : 'pending',
            ...(attempt.error ? { lastError: attempt.error } : {}),
            ...(attempt.refusal ? { lastRefusal: attempt.refusal } : {}),
          },
          $inc: { attempts: 1 },
        },
  );
}

const range = (p: FeedbackPeriod) => ({
  $gte: startOfCstDay(p.from).toISOString(),
  $lte: endOfCstDay(p.to).toISOString(),
});

/** Entry id → upstream record id, for the entries given that came from upstream. */
async function upstreamRecordsOf(entryIds: string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(entryIds)];
  const docs = await UpstreamRecordModel.find(
    { $or: [{ entryIds: { $in: wanted } }, { entryId: { $in: wanted } }] },
    { entryId: 1, entryIds: 1 },
  ).lean();
  // a listing a correction replaced is still the record's
  return new Map(docs.flatMap((d) => [...(d.entryIds ?? []), d.entryId].map((e) => [e, d._id] as const)));
}

/** The period's execution feedback on upstream entries (by the time it was reported, CST days). */
export async function feedbackOfPeriod(p: FeedbackPeriod): Promise<FeedbackUpItem[]> {
  const docs = await FeedbackModel.find({ reportedAt: range(p) })
    .sort({ reportedAt: 1, _id: 1 })
    .lean();
  const recordOf = await upstreamRecordsOf(docs.map((d) => d.entryId));
  return docs.flatMap((d) => {
    const upstreamRecordId = recordOf.get(d.entryId);
    if (!upstreamRecordId) return [];
    const { entryId, departmentId, matter, measureIds, appliedOn, outcome, reportedAt } = d;
    return [{ upstreamRecordId, entryId, departmentId, matter, measureIds, appliedOn, outcome, reportedAt }];
  });
}

/**
 * The period's checks that found upstream entries. Read per department on the checks' own index
 * (department, time): the check path's inserts carry no index for this export.
 */
export async function checksOfPeriod(p: FeedbackPeriod): Promise<CheckUpItem[]> {
  const { $gte, $lte } = range(p);
  const hits = (await hitsBetween($gte, $lte)).sort(newestFirst);
  const recordOf = await upstreamRecordsOf(hits.flatMap((c) => c.entryIds));
  return hits.flatMap((c) => checkUpItems(c, recordOf)).sort((a, b) => a.checkedAt.localeCompare(b.checkedAt));
}
