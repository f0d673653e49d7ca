/** What the API answers about a case (objection or repair): its state less the projection revision. */
import { z } from 'zod';
import { CaseState } from '../../domain/case';

export const CaseView = CaseState.omit({ rev: true }).strict();
export type CaseView = z.infer<typeof CaseView>;

export function toCaseView(doc: CaseState & { _id?: unknown }): CaseView {
  const { _id, rev, ...view } = doc;
  return view;
}
