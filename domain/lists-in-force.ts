/**
 * The measures lists in force on a date (现行措施清单), as `GET /measures` answers them: one entry per list a
 * department keeps itself (a file of measures/data, or an edition made in the system), with the edition in
 * force that day (the published edition with the latest effective date not after it; none for a list
 * whose first edition takes effect later), each measure marked when the office has suspended it city-wide,
 * the organisation the department belongs to, and the departments that apply the list without keeping one
 * of their own (a county's bureau applying its city counterpart's list). Pure: every input is a parameter.
 */
import type { Measure } from './measure';
import { editionId, editionInForce, type EditionDoc } from './measure-edition';
import { appliedList } from './fan-out';
import type { OrgLevel, OrgNode } from './organisation';

export interface ListInForce {
  id: string;
  name: string;
  org?: { id: string; name: string; level: OrgLevel };
  /** The edition in force; undefined for a list read from the files only, null when none is in force yet. */
  edition: { id: string; number: number; label: string; effectiveFrom: string } | null | undefined;
  measures: Array<Measure & { suspension?: { at: string; reason: string } }>;
  appliedBy: string[];
}

export interface ListsInForceInput {
  /** The lists of measures/data (the seed), for a department the edition store does not know. */
  files: { departments: ReadonlyArray<{ id: string; name: string }>; measures: readonly Measure[] };
  published: readonly EditionDoc[];
  suspensions: ReadonlyMap<string, { at: string; reason: string }>;
  nodes: readonly OrgNode[];
  onDate: string;
}

export function listsInForce(input: ListsInForceInput): ListInForce[] {
  const { files, published, suspensions, nodes, onDate } = input;
  const byDept = new Map<string, EditionDoc[]>();
  for (const e of published) byDept.set(e.departmentId, [...(byDept.get(e.departmentId) ?? []), e]);
  const inForce = new Map([...byDept].map(([id, eds]) => [id, editionInForce(eds, onDate)] as const));
  const orgOf = new Map(
    nodes.flatMap((n, position) =>
      n.departments.map((d, i) => [d.id, { node: n, dept: d, order: position * 1000 + i }] as const),
    ),
  );
  const ids = [...new Set([...files.departments.map((d) => d.id), ...byDept.keys()])];
  const order = (id: string) => orgOf.get(id)?.order ?? Number.MAX_SAFE_INTEGER;
  ids.sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  const mark = (m: Measure) => {
    const s = suspensions.get(m.id);
    return s ? { ...m, suspension: s } : m;
  };
  const ownInForce = (id: string) =>
    inForce.get(id) !== undefined || (!byDept.has(id) && files.departments.some((d) => d.id === id));
  return ids.map((id) => {
    const known = orgOf.get(id);
    const eds = byDept.get(id);
    const e = inForce.get(id);
    const name =
      known?.dept.name ?? eds?.[eds.length - 1].departmentName ?? files.departments.find((d) => d.id === id)!.name;
    const measures = eds ? (e?.measures ?? []) : files.measures.filter((m) => m.id.startsWith(`${id}.`));
    return {
      id,
      name,
      ...(known ? { org: { id: known.node.id, name: known.node.name, level: known.node.level } } : {}),
      edition: eds
        ? e
          ? {
              id: editionId(e.departmentId, e.number),
              number: e.number,
              label: e.label,
              effectiveFrom: e.effectiveFrom!,
            }
          : null
        : undefined,
      measures: measures.map(mark),
      appliedBy: nodes.flatMap((n) =>
        n.departments.filter((d) => d.id !== id && appliedList(d, ownInForce) === id).map((d) => d.id),
      ),
    };
  });
}
