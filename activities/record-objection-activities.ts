/**
 * The objection workflow's effects on a credit record (信用档案), where an objection on a listing acts
 * through the listing workflow: flag the record 异议处理中, and carry out the decision — upheld: withdraw
 * it or correct it as a new version by the deciding source ("谁产生、谁负责"), never an overwrite; either
 * way the flag is cleared. Each is idempotent: the flag is conditional on the case, a withdrawal of a
 * withdrawn record and a correction equal to the current version change nothing.
 */
import { CreditRecordService } from '../api/services/credit-record-service';
import { CreditRecordModel, type CreditRecordDoc } from '../db/credit-records';
import { CreditRecordInput, type RecordClass } from '../domain/credit-record';
import type { ListingCallResult } from './case-activities';

export interface RecordDecisionInput {
  recordId: string;
  caseId: string;
  by: string;
  /** upheld: what to do; absent: rejected (the flag is cleared, the record stays as it is) */
  action?: 'remove' | 'correct';
  reasons?: string;
  correction?: { validUntil?: string; reason?: string };
}

/** The classes whose schema has a publicity end of its own (the others are published while valid). */
const PUBLICITY_CLASSES = new Set<RecordClass>([
  'administrative_penalty',
  'administrative_coercion',
  'credit_commitment',
  'business_abnormal',
  'criminal_judgment',
]);

const source = (doc: CreditRecordDoc, by: string) => ({
  departmentId: doc.departmentId,
  departmentName: doc.departmentName,
  by,
});

/**
 * The record as corrected: a new end of publicity (or of validity, for a class without publicity) and
 * the reason as its content summary; checked by the same schema as a delivery.
 */
export function correctedRecord(
  record: CreditRecordInput,
  correction: NonNullable<RecordDecisionInput['correction']>,
): { ok: true; record: CreditRecordInput } | { ok: false; reason: string } {
  const changed: Record<string, unknown> = { ...record };
  if (correction.validUntil)
    changed[PUBLICITY_CLASSES.has(record.recordClass) ? 'publicityUntil' : 'validUntil'] = correction.validUntil;
  if (correction.reason) changed.content = `更正：${correction.reason}`;
  const parsed = CreditRecordInput.safeParse(changed);
  if (!parsed.success) return { ok: false, reason: `更正后的记录不符合规则：${parsed.error.issues[0].message}` };
  return { ok: true, record: parsed.data };
}

export function createRecordObjectionActivities() {
  const records = new CreditRecordService();
  const clear = (recordId: string, caseId: string) =>
    CreditRecordModel.updateOne({ _id: recordId, 'objection.caseId': caseId }, { $unset: { objection: 1 } });
  return {
    /** Flags the record under objection (one open objection per record; the same case again is harmless). */
    async flagRecord(input: { recordId: string; caseId: string }): Promise<ListingCallResult> {
      const res = await CreditRecordModel.updateOne(
        {
          _id: input.recordId,
          withdrawn: false,
          $or: [{ objection: { $exists: false } }, { 'objection.caseId': input.caseId }],
        },
        { $set: { objection: { caseId: input.caseId, since: new Date().toISOString() } } },
      );
      if (res.matchedCount === 1) return { ok: true };
      const doc = await CreditRecordModel.findById(input.recordId, { withdrawn: 1, objection: 1 }).lean();
      if (!doc) return { ok: false, reason: '信用记录不存在', code: 'conflict' };
      if (doc.withdrawn) return { ok: false, reason: '该记录已由来源单位撤回', code: 'listing_closed' };
      return { ok: false, reason: '该记录已有异议正在处理', code: 'objection_pending' };
    },

    /** Carries out the decision on the record, then clears its flag. */
    async decideRecordObjection(input: RecordDecisionInput): Promise<ListingCallResult> {
      const doc = await CreditRecordModel.findById(input.recordId, { versions: 0 }).lean<CreditRecordDoc>();
      if (!doc) return { ok: false, reason: '信用记录不存在', code: 'conflict' };
      let result: ListingCallResult = { ok: true };
      if (input.action === 'remove') {
        await records.withdraw(source(doc, input.by), doc.sourceRecordId, `异议成立：${input.reasons ?? ''}`);
      } else if (input.action === 'correct') {
        const corrected = correctedRecord(doc.current.record, input.correction ?? {});
        if (corrected.ok) {
          const [r] = await records.deliverEach(source(doc, input.by), [corrected.record]);
          if (r.result === 'refused') result = { ok: false, reason: r.reason, code: 'conflict' };
        } else result = { ok: false, reason: corrected.reason, code: 'invalid_input' };
      }
      await clear(input.recordId, input.caseId);
      return result;
    },
  };
}

export type RecordObjectionActivities = ReturnType<typeof createRecordObjectionActivities>;
