/**
 * The matching engine: which measures apply to a list entry, and which of a department's measures
 * apply to a subject in a given administrative matter. Pure functions over the catalogue.
 */
import type { Measure } from '../domain/measure';
import type { Category, ListKind, Severity, SubjectType } from '../domain/vocabulary';
import { appliesToMatter } from '../domain/check';
import type { Catalogue } from './catalogue';

export interface EntryFacts {
  listKind: ListKind;
  category: Category;
  severity?: Severity;
  subjectType: SubjectType;
}

export function measureAppliesToEntry(m: Measure, e: EntryFacts): boolean {
  if ((m.kind === 'incentive') !== (e.listKind === 'red')) return false;
  if (!m.categories.includes(e.category)) return false;
  if (!m.subjectTypes.includes(e.subjectType)) return false;
  // red-list entries carry no severity; incentive measures list every severity
  if (e.listKind === 'black' && (!e.severity || !m.severities.includes(e.severity))) return false;
  return true;
}

/** Does the measure cover the matter? An area-level measure covers every finer matter of its area. */
export const measureAppliesToMatter = (m: Measure, matter: string): boolean => appliesToMatter(m, matter);

export interface DepartmentMatch {
  departmentId: string;
  departmentName: string;
  measures: Measure[];
}

/** Measures matched by an entry, grouped by responsible department (one task per group). */
export function matchEntry(catalogue: Catalogue, e: EntryFacts): DepartmentMatch[] {
  const groups = new Map<string, DepartmentMatch>();
  for (const m of catalogue.measures) {
    if (!measureAppliesToEntry(m, e)) continue;
    const d = catalogue.departmentOf.get(m.id)!;
    let g = groups.get(d.id);
    if (!g) groups.set(d.id, (g = { departmentId: d.id, departmentName: d.name, measures: [] }));
    g.measures.push(m);
  }
  return [...groups.values()].sort((a, b) => a.departmentId.localeCompare(b.departmentId));
}
