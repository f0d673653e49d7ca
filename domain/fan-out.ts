/**
 * Which departments a listing fans out to (the rule of issue 13, also in docs/operations.md):
 *
 *   For every measures list the entry matches, one task goes to each department that applies that list
 *   at the city level, and — when the listing names the subject's registered region (`request.region`, a
 *   county or zone) — to each department of that region that applies it. Nothing goes to other regions.
 *
 * Who may name which region is the listing authority's level (api/services/listing-scope.ts): a county
 * office's listings always carry its own county; the city office names any region, or none for a subject
 * registered with the city itself (市本级), whose listing reaches the city's departments only — exactly
 * what every listing did before regions existed. Pure.
 */
import type { OrgDepartment, OrgNode } from './organisation';

/** Matched measures of one list (the catalogue groups them by the department whose list it is). */
export interface ListGroup {
  /** The list: the catalogue department id (measures/data/<id>.json). */
  departmentId: string;
  departmentName: string;
}

export interface FanOutLevels {
  /** The city level's departments. */
  city: readonly OrgDepartment[];
  /** The subject's registered region, if the listing names one. */
  region?: Pick<OrgNode, 'id' | 'departments'>;
}

/**
 * One group per receiving department: the list's group with the department's id and name. Ordered by
 * department id, as tasks always were. A department applies its own list once one of its editions is in
 * force (`ownListInForce`: a county department that drew up its own), else the list it names.
 */
export function fanOut<G extends ListGroup>(
  groups: readonly G[],
  levels: FanOutLevels,
  ownListInForce: (departmentId: string) => boolean = () => false,
): G[] {
  const receivers = [...levels.city, ...(levels.region?.departments ?? [])];
  const out: G[] = [];
  for (const g of groups)
    for (const d of receivers)
      if (appliedList(d, ownListInForce) === g.departmentId)
        out.push({ ...g, departmentId: d.id, departmentName: d.name });
  return out.sort((a, b) => a.departmentId.localeCompare(b.departmentId));
}

/** The list a tree department applies on a date: its own when one is in force, else the one it names. */
export function appliedList(
  department: { id: string; measuresList: string },
  ownInForce: (departmentId: string) => boolean,
): string {
  return ownInForce(department.id) ? department.id : department.measuresList;
}

/** The city level as it was before the tree: each catalogue department applies its own list. */
export const catalogueAsCity = (departments: ReadonlyArray<{ id: string; name: string }>): OrgDepartment[] =>
  departments.map((d) => ({ id: d.id, name: d.name, measuresList: d.id }));
