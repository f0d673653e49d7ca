/**
 * 督查考核 by level for the API: the live figures of a period grouped by the organisation tree
 * (domain/supervision-levels.ts), for the caller's scope — every level for the city office, one region
 * when it asks for one, and only its own for a county office.
 */
import { byLevel, levelsCsv, type LevelFigures } from '../../domain/supervision-levels';
import { departmentCounts } from '../../db/supervision-queries';
import { loadOrgTree } from '../../db/organisations';
import { ruleViolation } from '../errors';
import type { ListingScope } from './listing-scope';

export interface LevelsReport {
  from: string;
  to: string;
  computedAt: string;
  levels: LevelFigures[];
}

export async function supervisionByLevel(
  from: string,
  to: string,
  scope: ListingScope,
  region?: string,
  now = new Date(),
): Promise<LevelsReport> {
  const computedAt = now.toISOString();
  const [rows, tree] = await Promise.all([departmentCounts(from, to, computedAt), loadOrgTree()]);
  const wanted = scope.region ?? region;
  if (wanted !== undefined && !tree.byId.has(wanted))
    throw ruleViolation('query.region', [`机构“${wanted}”不存在，请按 GET /organisations 填写`]);
  const nodes = wanted === undefined ? tree.nodes : tree.nodes.filter((n) => n.id === wanted);
  return { from, to, computedAt, levels: byLevel(rows, nodes) };
}

/** The CSV of a report: the whole tree gives the city's departments and each region's total. */
export function levelsReportCsv(r: LevelsReport): string {
  const whole = r.levels.length > 1;
  return levelsCsv(r.levels, new Set(whole ? r.levels.filter((l) => l.level !== 'city').map((l) => l.orgId) : []));
}
