/**
 * What Xinlian has applied from the provincial platform, in MongoDB: `upstream_records` (one document per
 * upstream record, `_id` its upstream record id, holding the version applied and the listing it became)
 * and `upstream_batches` (one per batch, `_id` its batch id, with the receipt answered). Both writes are
 * idempotent by those keys: a version is recorded only over an older one, and a batch only once, so a
 * retried activity or a batch delivered twice changes nothing.
 */
import mongoose, { Schema } from 'mongoose';
import type { AppliedUpstream, ExchangeReceipt } from '../domain/upstream-exchange';
import { ALL_MODELS } from './models';
import { insertOnce } from './insert-once';

export interface UpstreamRecordDoc extends AppliedUpstream {
  _id: string;
  batchId: string;
  appliedAt: string;
}

export interface UpstreamBatchDoc {
  _id: string;
  sender: string;
  sentAt: string;
  mode: 'push' | 'pull' | 'file';
  receivedAt: string;
  receipt: ExchangeReceipt;
}

const opts = { versionKey: false, strict: false, minimize: false } as const;

export const UpstreamRecordModel = mongoose.model<UpstreamRecordDoc>(
  'UpstreamRecord',
  new Schema({ _id: String, entryId: String }, { ...opts, collection: 'upstream_records' })
    // the listing an upstream record became (a removal or a correction finds its record by it)
    .index({ entryId: 1 }),
);
export const UpstreamBatchModel = mongoose.model<UpstreamBatchDoc>(
  'UpstreamBatch',
  new Schema({ _id: String, receivedAt: String }, { ...opts, collection: 'upstream_batches' })
    // the office's list of batches, newest first
    .index({ receivedAt: -1, _id: -1 }),
);
ALL_MODELS.push(UpstreamRecordModel as never, UpstreamBatchModel as never);

/** What was applied of each of these upstream records (absent: never). */
export async function appliedUpstream(ids: string[]): Promise<Map<string, AppliedUpstream>> {
  const docs = await UpstreamRecordModel.find({ _id: { $in: ids } }).lean<UpstreamRecordDoc[]>();
  return new Map(
    docs.map(({ upstreamRecordId, version, digest, entryId, removed }) => [
      upstreamRecordId,
      { upstreamRecordId, version, digest, entryId, removed },
    ]),
  );
}

/**
 * Records that `a.version` of a record was applied; false when that version or a newer one already is
 * (so of two writers racing, one wins and the other learns it).
 */
export async function recordApplied(a: AppliedUpstream, batchId: string, at: Date): Promise<boolean> {
  const doc: UpstreamRecordDoc = { _id: a.upstreamRecordId, ...a, batchId, appliedAt: at.toISOString() };
  const newer = await UpstreamRecordModel.collection.updateOne(
    { _id: a.upstreamRecordId as never, version: { $lt: a.version } },
    { $set: doc },
  );
  return newer.matchedCount === 1 || insertOnce(UpstreamRecordModel.collection, doc);
}

/** Records a batch with its receipt; the receipt already stored when the batch was received before. */
export async function recordBatch(doc: UpstreamBatchDoc): Promise<ExchangeReceipt | undefined> {
  if (await insertOnce(UpstreamBatchModel.collection, doc)) return undefined;
  return (await UpstreamBatchModel.findById(doc._id).lean<UpstreamBatchDoc>())?.receipt;
}
