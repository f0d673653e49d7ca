/**
 * 督查考核 by level: the departments' figures grouped by the node of the organisation tree that holds them,
 * with each level's totals. The city office assesses the city's departments and sees every county's and
 * zone's figures; a county office assesses its own units. Pure: the counts and the tree come from the caller.
 */
import { toCsvText } from './csv';
import type { OrgLevel, OrgNode } from './organisation';
import { CSV_COLUMNS, figures, totals, type DepartmentCounts, type DepartmentFigures } from './supervision';

export interface LevelFigures {
  orgId: string;
  name: string;
  level: OrgLevel;
  departments: DepartmentFigures[];
  totals: DepartmentFigures;
}

/**
 * One entry per node, in the tree's order, each with its departments' figures (in the node's order; a
 * department without tasks or checks counts zero) and their totals. A department that has counts but is in
 * no node any more (dropped after its tasks ended) stays with the city, so no figure is lost.
 */
export function byLevel(rows: DepartmentCounts[], nodes: readonly OrgNode[]): LevelFigures[] {
  const counts = new Map(rows.map((r) => [r.departmentId, r]));
  const held = new Set(nodes.flatMap((n) => n.departments.map((d) => d.id)));
  const zero = (departmentId: string, departmentName: string): DepartmentCounts => ({
    departmentId,
    departmentName,
    tasksReceived: 0,
    acknowledged: 0,
    acknowledgedOnTime: 0,
    escalated: 0,
    currentlyOverdue: 0,
    withFeedback: 0,
    feedbackOverdue: 0,
    checks: 0,
    checkHits: 0,
    hitsWithDecision: 0,
  });
  return nodes.map((n) => {
    const own = n.departments.map((d) => ({ ...(counts.get(d.id) ?? zero(d.id, d.name)), departmentName: d.name }));
    const orphans = n.level === 'city' ? rows.filter((r) => !held.has(r.departmentId)) : [];
    const all = [...own, ...orphans];
    return {
      orgId: n.id,
      name: n.name,
      level: n.level,
      departments: all.map((r) => figures(r)),
      totals: { ...totals(all), departmentId: n.id, departmentName: `${n.name}合计` },
    };
  });
}

/**
 * CSV of a view: for each level its department rows then its total; `totalsOnly` levels give their total
 * alone (the counties' figures in the city office's view). First columns: 层级, 地区.
 */
export function levelsCsv(levels: LevelFigures[], totalsOnly: ReadonlySet<string> = new Set()): string {
  const rows = levels.flatMap((l) =>
    [...(totalsOnly.has(l.orgId) ? [] : l.departments), l.totals].map((f) => [
      l.level === 'city' ? '市本级' : l.level === 'zone' ? '园区' : '县（市、区）',
      l.name,
      ...CSV_COLUMNS.map(([k]) => f[k]),
    ]),
  );
  return toCsvText(['层级', '地区', ...CSV_COLUMNS.map(([, h]) => h)], rows);
}
