/**
 * Credit records in MongoDB (`credit_records`): one document per record (source department + its own
 * record id) holding every version it ever had, append-only, and the current one. A version is added by
 * one conditional update on the current version number, so a correction or withdrawal is atomic and
 * two concurrent deliveries cannot both win; nothing is ever overwritten.
 */
import mongoose, { Schema } from 'mongoose';
import type { CreditRecordInput } from '../domain/credit-record';
import { ALL_MODELS } from './models';

export interface RecordVersion {
  version: number;
  action: 'create' | 'correct' | 'withdraw';
  at: string;
  by: string;
  digest: string;
  /** the record as delivered; a withdrawal carries the last content on */
  record: CreditRecordInput;
  reason?: string;
}

export interface CreditRecordDoc {
  _id: string;
  recordId: string;
  departmentId: string;
  departmentName: string;
  sourceRecordId: string;
  subjectId: string;
  recordClass: CreditRecordInput['recordClass'];
  version: number;
  withdrawn: boolean;
  current: RecordVersion;
  versions: RecordVersion[];
  /** an objection under way on this record */
  objection?: { caseId: string; since: string };
  createdAt: string;
  updatedAt: string;
}

export const CreditRecordModel = mongoose.model<CreditRecordDoc>(
  'CreditRecord',
  new Schema(
    { _id: String, subjectId: String, departmentId: String, recordClass: String, version: Number },
    { versionKey: false, strict: false, minimize: false, collection: 'credit_records' },
  )
    .index({ subjectId: 1, recordClass: 1 })
    .index({ departmentId: 1, updatedAt: -1 }),
);
ALL_MODELS.push(CreditRecordModel as never);

export type WriteOutcome = 'created' | 'corrected' | 'withdrawn' | 'unchanged';

/** A record's current documents by id (lean). */
export async function recordsById(ids: string[]): Promise<Map<string, CreditRecordDoc>> {
  const docs = await CreditRecordModel.find({ _id: { $in: ids } }, { versions: 0 }).lean<CreditRecordDoc[]>();
  return new Map(docs.map((d) => [d._id, d]));
}

export interface PlannedWrite {
  id: string;
  /** the version the write expects to follow (0: a new record) */
  after: number;
  doc?: CreditRecordDoc; // for inserts
  version?: RecordVersion; // for appends
  withdraw?: boolean;
}

/**
 * Applies the writes in one unordered bulk. Returns the ids whose write lost a race (someone else added
 * a version first, or created the record): the caller reads them again and plans anew.
 */
export async function applyWrites(writes: PlannedWrite[]): Promise<Set<string>> {
  if (writes.length === 0) return new Set();
  const ops = writes.map((w) =>
    w.after === 0
      ? { insertOne: { document: w.doc! } }
      : {
          updateOne: {
            filter: { _id: w.id, version: w.after },
            update: {
              $set: {
                version: w.version!.version,
                current: w.version!,
                withdrawn: !!w.withdraw,
                updatedAt: w.version!.at,
              },
              $push: { versions: w.version! },
            },
          },
        },
  );
  const lost = new Set<string>();
  try {
    const res = await CreditRecordModel.bulkWrite(ops as never, { ordered: false });
    collectLostUpdates(res, writes, lost);
  } catch (e) {
    const err = e as { writeErrors?: Array<{ index: number; code: number }>; result?: unknown };
    if (!err.writeErrors) throw e;
    for (const we of err.writeErrors) {
      if (we.code !== 11000) throw e;
      lost.add(writes[we.index].id);
    }
    if (err.result) collectLostUpdates(err.result as never, writes, lost);
  }
  return lost;
}

/**
 * Conditional updates that matched nothing lost their race; bulk results do not say which, so all
 * updates are reported as possibly lost and the caller re-reads them (one that did apply is then found
 * at exactly the version it wrote).
 */
function collectLostUpdates(res: { matchedCount?: number }, writes: PlannedWrite[], lost: Set<string>): void {
  const updates = writes.filter((w) => w.after !== 0);
  if ((res.matchedCount ?? updates.length) >= updates.length) return;
  for (const w of updates) lost.add(w.id);
}

export function recordsOfSubject(subjectId: string): Promise<CreditRecordDoc[]> {
  return CreditRecordModel.find({ subjectId }, { versions: 0 }).lean<CreditRecordDoc[]>();
}

export async function versionsOf(recordId: string): Promise<RecordVersion[] | undefined> {
  const d = await CreditRecordModel.findById(recordId, { versions: 1 }).lean<Pick<CreditRecordDoc, 'versions'>>();
  return d?.versions;
}
