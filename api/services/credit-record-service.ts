/**
 * Record intake (信用信息归集) from departments: one record or a batch of up to 1,000, already validated
 * as a whole at the edge. Each record is keyed by (department, its own record id): a delivery equal to
 * the current version changes nothing; a different one adds a correction version; a withdrawal adds a
 * withdrawal version. Writes are idempotent per record, so a batch cut short by a crash is completed by
 * delivering it again.
 */
import { creditRecordIdOf, recordDigest, recordSubjectId, type CreditRecordInput } from '../../domain/credit-record';
import {
  applyWrites,
  recordsById,
  CreditRecordModel,
  type CreditRecordDoc,
  type PlannedWrite,
  type RecordVersion,
  type WriteOutcome,
} from '../../db/credit-records';
import { HttpError } from '../errors';

export interface Deliverer {
  departmentId: string;
  departmentName: string;
  by: string;
}

export interface DeliveryResult {
  sourceRecordId: string;
  recordId: string;
  version: number;
  result: WriteOutcome;
}

/** A record a file delivery could not store (the others are stored): the reason, in Chinese. */
export interface RefusedDelivery {
  sourceRecordId: string;
  recordId: string;
  result: 'refused';
  reason: string;
}

const MAX_ATTEMPTS = 5;

export class CreditRecordService {
  /**
   * Store the records (validated) all or nothing: a record that cannot be stored (409) refuses the whole
   * delivery before anything is written. Answers one result per distinct record, in delivery order.
   */
  async deliver(who: Deliverer, records: CreditRecordInput[]): Promise<DeliveryResult[]> {
    return (await this.deliverEach(who, records, { allOrNothing: true })) as DeliveryResult[];
  }

  /**
   * Store each record that can be stored; one that cannot (a correction to another subject or class) is
   * answered `refused` with the reason, unless `allOrNothing`, when it refuses the delivery with 409.
   */
  async deliverEach(
    who: Deliverer,
    records: CreditRecordInput[],
    opts: { allOrNothing: boolean } = { allOrNothing: false },
  ): Promise<Array<DeliveryResult | RefusedDelivery>> {
    // the same record twice in one batch (identical content: the batch schema refused differing ones)
    const distinct = [...new Map(records.map((r) => [r.sourceRecordId, r])).values()];
    const byId = new Map(distinct.map((r) => [creditRecordIdOf(who.departmentId, r.sourceRecordId), r]));
    const results = new Map<string, DeliveryResult | RefusedDelivery>();
    let pending = [...byId.keys()];
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= MAX_ATTEMPTS) throw new HttpError(409, 'conflict', '记录正被同时报送，请稍后重试');
      const current = await recordsById(pending);
      const now = new Date().toISOString();
      const writes: Array<PlannedWrite & { outcome: WriteOutcome }> = [];
      for (const id of pending) {
        const record = byId.get(id)!;
        let plan: ReturnType<typeof planDelivery>;
        try {
          plan = planDelivery(who, id, record, current.get(id), now);
        } catch (e) {
          if (opts.allOrNothing || !(e instanceof HttpError)) throw e;
          results.set(id, {
            sourceRecordId: record.sourceRecordId,
            recordId: id,
            result: 'refused',
            reason: e.message,
          });
          continue;
        }
        if (plan.outcome === 'unchanged') {
          results.set(id, {
            sourceRecordId: record.sourceRecordId,
            recordId: id,
            version: plan.after,
            result: 'unchanged',
          });
        } else writes.push(plan);
      }
      const lost = await applyWrites(writes);
      // an update reported lost may have applied after all: it is then found at exactly its version
      const recheck = lost.size > 0 ? await recordsById([...lost]) : new Map<string, CreditRecordDoc>();
      pending = [];
      for (const w of writes) {
        const v = w.version ?? w.doc!.current;
        const now = recheck.get(w.id);
        const applied = !lost.has(w.id) || (now?.version === v.version && now.current.digest === v.digest);
        if (applied) {
          results.set(w.id, {
            sourceRecordId: v.record.sourceRecordId,
            recordId: w.id,
            version: v.version,
            result: w.outcome,
          });
        } else pending.push(w.id);
      }
    }
    return [...byId.keys()].map((id) => results.get(id)!);
  }

  /** Withdraw a record this department delivered (a new version; the content stays in the archive). */
  async withdraw(who: Deliverer, sourceRecordId: string, reason: string): Promise<DeliveryResult> {
    const id = creditRecordIdOf(who.departmentId, sourceRecordId);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const doc = (await recordsById([id])).get(id);
      if (!doc) throw new HttpError(404, 'not_found', `本部门没有编号为“${sourceRecordId}”的信用记录`);
      if (doc.withdrawn) return { sourceRecordId, recordId: id, version: doc.version, result: 'unchanged' };
      const version: RecordVersion = {
        version: doc.version + 1,
        action: 'withdraw',
        at: new Date().toISOString(),
        by: who.by,
        digest: doc.current.digest,
        record: doc.current.record,
        reason,
      };
      const lost = await applyWrites([{ id, after: doc.version, version, withdraw: true }]);
      if (!lost.has(id)) return { sourceRecordId, recordId: id, version: version.version, result: 'withdrawn' };
    }
    throw new HttpError(409, 'conflict', '记录正被同时修改，请稍后重试');
  }

  /** This department's records (current versions), newest first. */
  async ofDepartment(departmentId: string, subjectId?: string, limit = 100): Promise<CreditRecordDoc[]> {
    const filter: Record<string, unknown> = { departmentId };
    if (subjectId) filter.subjectId = subjectId;
    return CreditRecordModel.find(filter, { versions: 0 })
      .sort({ updatedAt: -1 })
      .limit(limit)
      .lean<CreditRecordDoc[]>();
  }
}

/** What one delivery does to the record as stored (pure but for the clock passed in). */
export function planDelivery(
  who: Deliverer,
  id: string,
  record: CreditRecordInput,
  stored: CreditRecordDoc | undefined,
  at: string,
): PlannedWrite & { outcome: WriteOutcome } {
  const digest = recordDigest(record);
  if (!stored) {
    const version: RecordVersion = { version: 1, action: 'create', at, by: who.by, digest, record };
    const doc: CreditRecordDoc = {
      _id: id,
      recordId: id,
      departmentId: who.departmentId,
      departmentName: who.departmentName,
      sourceRecordId: record.sourceRecordId,
      subjectId: recordSubjectId(record),
      recordClass: record.recordClass,
      version: 1,
      withdrawn: false,
      current: version,
      versions: [version],
      createdAt: at,
      updatedAt: at,
    };
    return { id, after: 0, doc, outcome: 'created' };
  }
  if (!stored.withdrawn && stored.current.digest === digest) return { id, after: stored.version, outcome: 'unchanged' };
  if (recordSubjectId(record) !== stored.subjectId || record.recordClass !== stored.recordClass) {
    throw new HttpError(
      409,
      'conflict',
      `记录“${record.sourceRecordId}”已作为另一主体或另一类别报送，不能更正为本主体/类别：请先撤回原记录，再以新编号报送`,
    );
  }
  const version: RecordVersion = { version: stored.version + 1, action: 'correct', at, by: who.by, digest, record };
  return { id, after: stored.version, version, outcome: 'corrected' };
}
