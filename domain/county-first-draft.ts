/**
 * A county department's first measures list edition starts from its city counterpart's list: the
 * department already applies that list (its `measuresList` in the organisation tree), so its first
 * draft is that list as in force, each measure re-numbered under the county department's own id
 * (`tax.no-bid` → `botou-tax.no-bid`, the id prefix a department's list must carry), less the measures
 * the office has suspended city-wide (a copy under a new id would escape the suspension). Pure.
 */
import type { Measure } from './measure';

export const reprefixed = (m: Measure, departmentId: string): Measure => ({
  ...m,
  id: `${departmentId}.${m.id.slice(m.id.indexOf('.') + 1)}`,
});

export function countyFirstDraft(
  counterpart: readonly Measure[],
  departmentId: string,
  suspended: ReadonlySet<string>,
): Measure[] {
  return counterpart.filter((m) => !suspended.has(m.id)).map((m) => reprefixed(m, departmentId));
}
