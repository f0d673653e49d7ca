/** What the API answers about a case (objection or repair): its state less the projection revision. */
import { z } from 'zod';
import { CaseState } from '../../domain/case';

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
