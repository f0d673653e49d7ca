/** What the API answers about a case (objection or repair): its state less the projection revision. */
import { z } from 'zod';
import { CaseState } from '../../domain/case';
import { ListingRequestFields } from '../../domain/listing';
import { ListingRecord } from '../../domain/listing-record';

export const CaseView = CaseState.omit({ rev: true }).strict();
export type CaseView = z.infer<typeof CaseView>;

/** A case as a record's open cases list it (the subject's records page). */
export const CaseSummary = CaseView.pick({ caseId: true, kind: true, entryId: true, status: true, deadline: true });
export type CaseSummary = z.infer<typeof CaseSummary>;

export function toCaseSummary(c: Pick<CaseState, 'caseId' | 'kind' | 'entryId' | 'status' | 'deadline'>): CaseSummary {
  return { caseId: c.caseId, kind: c.kind, entryId: c.entryId, status: c.status, deadline: c.deadline };
}

/** An open case on the dashboard: who, which stage, by when. */
export const CaseDue = CaseView.pick({
  caseId: true,
  kind: true,
  entryId: true,
  subjectId: true,
  authority: true,
  status: true,
  stage: true,
  deadline: true,
  overdue: true,
});
export type CaseDue = z.infer<typeof CaseDue>;
export const CASE_DUE_FIELDS = Object.fromEntries(Object.keys(CaseDue.shape).map((k) => [k, 1]));

export function toCaseDue(c: CaseDue & { _id?: unknown }): CaseDue {
  const { _id, ...due } = c;
  return due;
}

export function toCaseView(doc: CaseState & { _id?: unknown }): CaseView {
  const { _id, rev, ...view } = doc;
  return view;
}

/** A listing as its subject sees it on 我的信用记录: the decision, its dates, the objection flag, open cases. */
export const SubjectRecordView = ListingRecord.pick({
  entryId: true,
  status: true,
  noticeEndsAt: true,
  effectiveAt: true,
  expiresAt: true,
  closeReason: true,
})
  .extend(
    ListingRequestFields.pick({
      listKind: true,
      category: true,
      severity: true,
      authority: true,
      reason: true,
      legalBasis: true,
      decisionDocument: true,
    }).shape,
  )
  .extend({ underObjection: z.boolean(), openCases: z.array(CaseSummary) })
  .strict();
export type SubjectRecordView = z.infer<typeof SubjectRecordView>;

export function toSubjectRecordView(l: ListingRecord, openCases: CaseSummary[]): SubjectRecordView {
  const r = l.request;
  return {
    entryId: l.entryId,
    status: l.status,
    listKind: r.listKind,
    category: r.category,
    ...(r.severity ? { severity: r.severity } : {}),
    authority: r.authority,
    reason: r.reason,
    legalBasis: r.legalBasis,
    decisionDocument: r.decisionDocument,
    noticeEndsAt: l.noticeEndsAt,
    effectiveAt: l.effectiveAt,
    expiresAt: l.expiresAt,
    ...(l.closeReason ? { closeReason: l.closeReason } : {}),
    underObjection: !!l.objection,
    openCases,
  };
}
