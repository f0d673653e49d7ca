/**
 * Assembles a subject's credit file from its records and from the listings read model (the red/black
 * list entries themselves, not a copy), placed on one day, and answers who may see it.
 */
import { cstDate } from '../../domain/calendar';
import {
  FILE_GROUPS,
  listingItem,
  placeRecord,
  recordItem,
  type FileItem,
  type ListingFacts,
} from '../../domain/credit-file';
import { CaseModel, ListingModel, type ListingDoc } from '../../db/models';
import { checkedSince } from '../../db/check-records';
import { CreditRecordModel, recordsOfSubject } from '../../db/credit-records';
import { ruleValue } from '../../domain/rules';
import { HttpError } from '../errors';

export interface CreditFile {
  subject: { type: string; id: string; name: string };
  asOf: string;
  items: FileItem[];
}

export interface FileOptions {
  /** include records withdrawn by their source (the office's archive view) */
  withWithdrawn?: boolean;
  /** the name to use when no record or listing names the subject (e.g. the subject's own account) */
  fallbackName?: string;
}

export class CreditFileService {
  /** `flushChecks` writes checks still queued (db/check-log.ts), so a check made a moment ago counts. */
  constructor(private readonly flushChecks: () => Promise<void> = async () => {}) {}

  async fileOf(subjectId: string, opts: FileOptions = {}, now = new Date()): Promise<CreditFile> {
    const today = cstDate(now);
    const [records, listings, repairs] = await Promise.all([
      recordsOfSubject(subjectId),
      ListingModel.find({ subjectId }).lean<ListingDoc[]>(),
      CaseModel.find({ subjectId, kind: 'repair', status: 'approved' }, { entryId: 1 }).lean<{ entryId: string }[]>(),
    ]);
    const repaired = new Set(repairs.map((c) => c.entryId));
    const items: FileItem[] = [];
    let named: { type: string; name: string; at: string } | undefined;
    const nameFrom = (s: { type: string; name: string }, at: string) => {
      if (!named || at > named.at) named = { type: s.type, name: s.name, at };
    };
    for (const d of records) {
      const record = d.current.record;
      nameFrom(record.subject, d.updatedAt);
      const p = placeRecord(record, { withdrawn: d.withdrawn, underObjection: !!d.objection }, today);
      if (p.status === 'withdrawn' && !opts.withWithdrawn) continue;
      items.push(recordItem({ recordId: d.recordId, version: d.version, departmentName: d.departmentName, record }, p));
    }
    for (const l of listings) {
      nameFrom(l.request.subject, l.startedAt);
      items.push(listingItem(listingFacts(l, repaired.has(l.entryId))));
    }
    const order = new Map(FILE_GROUPS.map((g, i) => [g.code, i]));
    items.sort((a, b) => order.get(a.group)! - order.get(b.group)! || b.date.localeCompare(a.date));
    const type = named?.type ?? (/^\d{17}[\dX]$/.test(subjectId) ? 'individual' : 'enterprise');
    return {
      subject: { type, id: subjectId, name: named?.name ?? opts.fallbackName ?? '（未登记名称）' },
      asOf: today,
      items,
    };
  }

  /**
   * A department sees the file of a subject it is handling: one it checked (逢办必查) within the period
   * of the rules table, or one it delivered records on. Otherwise 403, saying what to do.
   */
  async assertDepartmentHandles(departmentId: string, subjectId: string, now = new Date()): Promise<void> {
    const validity = ruleValue('report.departmentCheckValidity', cstDate(now));
    const since = new Date(now.getTime() - validity.value * 24 * 3600 * 1000).toISOString();
    const checked = () => checkedSince(departmentId, subjectId, since);
    if (await checked()) return;
    await this.flushChecks();
    if (await checked()) return;
    if (await CreditRecordModel.exists({ departmentId, subjectId })) return;
    throw new HttpError(
      403,
      'forbidden',
      `本部门近${validity.value}日未在办理事项中核查该主体（逢办必查），不能查看其信用档案或出具信用报告：请先进行逢办必查核查`,
    );
  }
}

export function listingFacts(l: ListingDoc, repaired: boolean): ListingFacts {
  return {
    entryId: l.entryId,
    request: l.request,
    status: l.status,
    effectiveAt: l.effectiveAt,
    expiresAt: l.expiresAt,
    closeReason: l.closeReason,
    underObjection: !!l.objection,
    repaired,
  };
}
