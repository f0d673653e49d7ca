/**
 * The catalogue in force on a date, built from the published list editions: for each department the
 * edition in force that day (domain/measure-edition.ts), less the measures the office has suspended
 * city-wide. A department the edition store does not know yet keeps its measures from the files. Pure.
 */
import type { Department, EditionRef, Measure } from '../domain/measure';
import { editionInForce, editionRefOf, type EditionDoc } from '../domain/measure-edition';
import type { Catalogue } from './catalogue';

export interface EditionCatalogue extends Catalogue {
  /** The date the catalogue is in force on. */
  onDate: string;
  /** Each measure's edition (absent for a department matched from the files). */
  editionOf: Map<string, EditionRef>;
  /** The departments with a list of their own in force that day (a file, or a published edition). */
  listsInForce: Set<string>;
}

export function catalogueOn(
  base: Catalogue,
  published: EditionDoc[],
  suspended: ReadonlySet<string>,
  onDate: string,
): EditionCatalogue {
  const byDept = new Map<string, EditionDoc[]>();
  for (const e of published) byDept.set(e.departmentId, [...(byDept.get(e.departmentId) ?? []), e]);
  const departments: Department[] = [...base.departments];
  for (const [id, eds] of byDept)
    if (!departments.some((d) => d.id === id)) departments.push({ id, name: eds[eds.length - 1].departmentName });
  const out: EditionCatalogue = {
    onDate,
    departments,
    measures: [],
    departmentOf: new Map(),
    measureById: new Map(),
    editionOf: new Map(),
    listsInForce: new Set(),
  };
  const add = (d: Department, m: Measure, edition?: EditionRef) => {
    if (suspended.has(m.id)) return;
    out.measures.push(m);
    out.departmentOf.set(m.id, d);
    out.measureById.set(m.id, m);
    if (edition) out.editionOf.set(m.id, edition);
  };
  for (const d of departments) {
    const eds = byDept.get(d.id);
    if (!eds) {
      for (const m of base.measures) if (base.departmentOf.get(m.id)?.id === d.id) add(d, m);
      out.listsInForce.add(d.id);
      continue;
    }
    const e = editionInForce(eds, onDate);
    if (!e) continue;
    out.listsInForce.add(d.id);
    const ref = editionRefOf(e);
    for (const m of e.measures) add(d, m, ref);
  }
  return out;
}
