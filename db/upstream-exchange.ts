/**
 * What Xinlian has received and applied from the provincial platform, in MongoDB:
 * - `upstream_records`: one document per upstream record (`_id` its upstream record id), the version
 *   applied and the listing it became. A version is recorded only over an older one.
 * - `upstream_batches`: one per batch (`_id` its batch id): how it came, its digest, its state and, once
 *   applied, the receipt. A batch is stored once; a delivery of it again finds the first one.
 * - `upstream_batch_rows`: one per row of a batch (`_id` `<batchId>:<index>`): the entry read from it (or
 *   why it was refused), the action planned for it and its outcome. The plan is stored before the action
 *   runs, so a retried activity carries out the same action, and the outcome once it has.
 * - `upstream_leases`: which row applies a record right now (`_id` the upstream record id).
 * - `upstream_state`: the pull cursor (`_id` "pull").
 * Every write is idempotent by those keys.
 */
import mongoose, { Schema } from 'mongoose';
import type {
  DeliveryStatus,
  AppliedUpstream,
  ApplyResult,
  ExchangeReceipt,
  RowOutcome,
  UpstreamAction,
  UpstreamEntry,
} from '../domain/upstream-exchange';
import { ALL_MODELS } from './models';
import { insertOnce } from './insert-once';

export interface UpstreamRecordDoc extends AppliedUpstream {
  _id: string;
  /** every listing the record has had, its first one first (absent on records written before) */
  entryIds?: string[];
  batchId: string;
  /** the row that applied this version, so its retry knows the write as its own (absent on older records) */
  rowId?: string;
  appliedAt: string;
}

/** How a batch came: pushed to the service exchange, or pulled on the schedule. */
export type ExchangeMode = 'push' | 'pull';

/** Sending a pulled batch's receipt back up: retried until the upstream takes it, shown to the office. */
export interface ReceiptDelivery {
  status: DeliveryStatus;
  attempts: number;
  lastError?: string;
  sentAt?: string;
}

export interface UpstreamBatchDoc {
  _id: string;
  sender: string;
  sentAt: string;
  mode: ExchangeMode;
  receivedAt: string;
  /** entriesDigest of its entries: the same batch id with other entries is not the same batch */
  digest: string;
  rows: number;
  /** refused: a pulled batch refused whole (its envelope or digest); a delivery again replaces it */
  status: 'applying' | 'applied' | 'refused';
  refusal?: string;
  appliedAt?: string;
  receipt?: ExchangeReceipt;
  receiptDelivery?: ReceiptDelivery;
}

export interface UpstreamRowDoc {
  _id: string;
  batchId: string;
  index: number;
  upstreamRecordId?: string;
  status: 'pending' | 'done';
  entry?: UpstreamEntry;
  action?: UpstreamAction;
  result?: ApplyResult;
  reason?: string;
  /** the listing the row created, corrected or removed */
  entryId?: string;
}

const opts = { versionKey: false, strict: false, minimize: false } as const;

export const UpstreamRecordModel = mongoose.model<UpstreamRecordDoc>(
  'UpstreamRecord',
  new Schema({ _id: String, entryId: String }, { ...opts, collection: 'upstream_records' })
    // the listing an upstream record became (a removal or a correction finds its record by it)
    .index({ entryId: 1 })
    // every listing it has had (feedback upward on a listing a correction replaced)
    .index({ entryIds: 1 }),
);
export const UpstreamBatchModel = mongoose.model<UpstreamBatchDoc>(
  'UpstreamBatch',
  new Schema({ _id: String, receivedAt: String }, { ...opts, collection: 'upstream_batches' })
    // the office's list of batches, newest first
    .index({ receivedAt: -1, _id: -1 }),
);
export const UpstreamRowModel = mongoose.model<UpstreamRowDoc>(
  'UpstreamRow',
  new Schema({ _id: String, batchId: String }, { ...opts, collection: 'upstream_batch_rows' })
    // the rows still to apply, in order; and a batch's rows for its receipt
    .index({ batchId: 1, status: 1, index: 1 }),
);
/** Who applies a row of each upstream record right now (one row at a time per record, across batches). */
const UpstreamLeaseModel = mongoose.model<{ _id: string; holder: string; until: Date }>(
  'UpstreamLease',
  new Schema({ _id: String }, { ...opts, collection: 'upstream_leases' }),
);
const UpstreamStateModel = mongoose.model<{ _id: string; cursor: string; at: string }>(
  'UpstreamState',
  new Schema({ _id: String }, { ...opts, collection: 'upstream_state' }),
);
ALL_MODELS.push(UpstreamRecordModel as never, UpstreamBatchModel as never, UpstreamRowModel as never);
ALL_MODELS.push(UpstreamStateModel as never, UpstreamLeaseModel as never);

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
 * Records that `row` applied `a.version` of a record; false when that version or a newer one already is
 * by another row (so of two writers racing, one wins and the other learns it). True again for the row
 * that recorded it: a retry of a row whose worker died between this write and the row marked done did
 * apply that version, and must count as what it did, not as superseded.
 */
export async function recordApplied(
  a: AppliedUpstream,
  row: Pick<UpstreamRowDoc, '_id' | 'batchId'>,
  at: Date,
): Promise<boolean> {
  const doc: UpstreamRecordDoc = {
    _id: a.upstreamRecordId,
    ...a,
    batchId: row.batchId,
    rowId: row._id,
    appliedAt: at.toISOString(),
  };
  // every listing the record has had, so what was reported on a listing it replaced still finds it
  const entryIds = a.entryId ? [a.entryId] : [];
  const newer = await UpstreamRecordModel.collection.updateOne(
    { _id: a.upstreamRecordId as never, version: { $lt: a.version } },
    { $set: doc, $addToSet: { entryIds: { $each: entryIds } } },
  );
  if (newer.matchedCount === 1 || (await insertOnce(UpstreamRecordModel.collection, { ...doc, entryIds }))) return true;
  return !!(await UpstreamRecordModel.exists({ _id: a.upstreamRecordId, version: a.version, rowId: row._id }));
}

/**
 * Stores a batch and its rows; the batch stored before under that id when there is one (then nothing is
 * written). The rows go first, each once by its key, so a crash between the two writes leaves rows that
 * the next delivery of the same batch completes.
 */
export async function storeBatch(
  batch: UpstreamBatchDoc,
  rows: UpstreamRowDoc[],
): Promise<{ stored: true } | { stored: false; existing: UpstreamBatchDoc }> {
  const before = await UpstreamBatchModel.findById(batch._id).lean<UpstreamBatchDoc>();
  if (before?.status === 'refused') await UpstreamBatchModel.deleteOne({ _id: batch._id, status: 'refused' });
  else if (before) return { stored: false, existing: before };
  for (let i = 0; i < rows.length; i += 5000) {
    await UpstreamRowModel.collection
      .insertMany(rows.slice(i, i + 5000) as never[], { ordered: false })
      .catch((e: { writeErrors?: Array<{ code?: number }> }) => {
        if (!e.writeErrors || e.writeErrors.some((w) => w.code !== 11000)) throw e;
      });
  }
  if (await insertOnce(UpstreamBatchModel.collection, batch)) return { stored: true };
  return { stored: false, existing: (await UpstreamBatchModel.findById(batch._id).lean<UpstreamBatchDoc>())! };
}

/** The batch's next rows still to apply, in order. */
export function pendingRows(batchId: string, limit: number): Promise<UpstreamRowDoc[]> {
  return UpstreamRowModel.find({ batchId, status: 'pending' }).sort({ index: 1 }).limit(limit).lean<UpstreamRowDoc[]>();
}

/** Stores the action planned for a row unless one is; the stored one (the first plan stands). */
export async function planRow(rowId: string, action: UpstreamAction): Promise<UpstreamAction> {
  await UpstreamRowModel.collection.updateOne(
    { _id: rowId as never, action: { $exists: false } },
    { $set: { action } },
  );
  return (await UpstreamRowModel.findById(rowId, { action: 1 }).lean<UpstreamRowDoc>())!.action!;
}

/** Marks a row done with its outcome (once). */
export async function finishRow(
  rowId: string,
  outcome: { result: ApplyResult; reason?: string; entryId?: string },
): Promise<void> {
  await UpstreamRowModel.collection.updateOne(
    { _id: rowId as never, status: 'pending' },
    { $set: { status: 'done', ...outcome } },
  );
}

/** Every row's outcome, for the receipt (rows are done by then). */
export async function rowOutcomes(batchId: string): Promise<RowOutcome[]> {
  const rows = await UpstreamRowModel.find(
    { batchId },
    { index: 1, upstreamRecordId: 1, result: 1, reason: 1, _id: 0 },
  ).lean<UpstreamRowDoc[]>();
  return rows.map((r) => ({
    index: r.index,
    ...(r.upstreamRecordId ? { upstreamRecordId: r.upstreamRecordId } : {}),
    result: r.result ?? 'refused',
    ...(r.reason ? { reason: r.reason } : {}),
  }));
}

/** Closes an applying batch with its receipt; the receipt stored (the first close stands). */
export async function closeBatch(batchId: string, receipt: ExchangeReceipt, at: Date): Promise<ExchangeReceipt> {
  const pulled = await UpstreamBatchModel.findById(batchId, { mode: 1 }).lean<UpstreamBatchDoc>();
  await UpstreamBatchModel.collection.updateOne(
    { _id: batchId as never, status: 'applying' },
    {
      $set: {
        status: 'applied',
        appliedAt: at.toISOString(),
        receipt,
        ...(pulled?.mode === 'pull' ? { receiptDelivery: { status: 'pending', attempts: 0 } } : {}),
      },
    },
  );
  return (await UpstreamBatchModel.findById(batchId, { receipt: 1 }).lean<UpstreamBatchDoc>())!.receipt!;
}

/**
 * Records a pulled batch refused whole, with the receipt that tells the upstream so (nothing of it is
 * stored; a corrected delivery under the same id replaces this record). Never over a stored batch.
 */
export async function recordRefusedBatch(doc: UpstreamBatchDoc): Promise<void> {
  await UpstreamBatchModel.collection
    .updateOne({ _id: doc._id as never, status: 'refused' }, { $set: doc }, { upsert: true })
    .catch((e: { code?: number }) => {
      // a stored batch of that id (not refused): it stands
      if (e.code !== 11000) throw e;
    });
}

/** A batch as stored (absent: never received). */
export function findBatch(batchId: string): Promise<UpstreamBatchDoc | null> {
  return UpstreamBatchModel.findById(batchId).lean<UpstreamBatchDoc>();
}

/** Records one attempt at sending a pulled batch's receipt back up. */
export async function recordReceiptDelivery(
  batchId: string,
  attempt: { ok: true; at: Date } | { ok: false; error: string; final: boolean },
): Promise<void> {
  await UpstreamBatchModel.collection.updateOne(
    { _id: batchId as never, 'receiptDelivery.status': { $ne: 'sent' } },
    attempt.ok
      ? {
          $set: { 'receiptDelivery.status': 'sent', 'receiptDelivery.sentAt': attempt.at.toISOString() },
          $inc: { 'receiptDelivery.attempts': 1 },
        }
      : {
          $set: {
            'receiptDelivery.status': attempt.final ? 'failed' : 'pending',
            'receiptDelivery.lastError': attempt.error,
          },
          $inc: { 'receiptDelivery.attempts': 1 },
        },
  );
}

/**
 * Takes the lease on an upstream record for `holder` (a row) for `ms`, when no other holder has it or its
 * lease ran out (its worker died); true when `holder` has it now. Rows of one record in two batches
 * applied at the same time are so applied one after the other, each planned on what the other applied.
 */
export async function takeRecordLease(
  recordId: string,
  holder: string,
  ms: number,
  now = new Date(),
): Promise<boolean> {
  try {
    await UpstreamLeaseModel.collection.updateOne(
      { _id: recordId as never, $or: [{ holder }, { until: { $lt: now } }] },
      { $set: { holder, until: new Date(now.getTime() + ms) } },
      { upsert: true },
    );
    return true;
  } catch (e) {
    // held by another row: the upsert's insert met the stored lease
    if ((e as { code?: number }).code === 11000) return false;
    throw e;
  }
}

export async function releaseRecordLease(recordId: string, holder: string): Promise<void> {
  await UpstreamLeaseModel.collection.deleteOne({ _id: recordId as never, holder });
}

/** Where the last pull stopped (absent before the first). */
export async function pullCursor(): Promise<string | undefined> {
  return (await UpstreamStateModel.findById('pull').lean())?.cursor;
}

/** Moves the pull cursor on, after the batches before it are stored. */
export async function savePullCursor(cursor: string, at: Date): Promise<void> {
  await UpstreamStateModel.updateOne({ _id: 'pull' }, { $set: { cursor, at: at.toISOString() } }, { upsert: true });
}
