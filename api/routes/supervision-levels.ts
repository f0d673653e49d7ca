/**
 * 督查考核 by level: the city office (and the auditor) sees the city's departments and every county's and
 * zone's figures, or one region's departments with `region`; a county office sees its own units only.
 * `format=csv` exports the same view.
 */
import { z } from 'zod';
import { OrgId, OrgLevel } from '../../domain/organisation';
import { defineRoute, RawResponse, type AnyRoute } from '../route';
import { scopeOf } from '../services/listing-scope';
import { levelsReportCsv, supervisionByLevel } from '../services/supervision-levels-service';
import { Figures, Period, period } from './supervision';

const LevelsQuery = Period.extend({
  region: OrgId.optional().describe('只看一个县（市、区）或园区（市信用办）；县级信用办总是本地区'),
}).strict();

const Level = z.strictObject({
  orgId: z.string(),
  name: z.string(),
  level: OrgLevel,
  departments: z.array(Figures),
  totals: Figures,
});
const LevelsReport = z.strictObject({
  from: z.string(),
  to: z.string(),
  computedAt: z.string(),
  levels: z.array(Level),
});

export function supervisionLevelRoutes(): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/office/supervision/levels',
      tag: '督查考核',
      roles: ['office', 'auditor', 'county_office'],
      summary: '分级督查考核：市本级各部门与各县（市、区）、园区的指标；县级信用办看本地区各单位（format=csv 导出）',
      query: LevelsQuery,
      response: LevelsReport,
      alsoProduces: ['text/csv'],
      errors: [422],
      handler: async ({ query, req }) => {
        const { from, to } = period(query);
        const r = await supervisionByLevel(from, to, scopeOf(req.principal!), query.region);
        const name = r.levels.length === 1 ? r.levels[0].orgId : 'levels';
        return query.format === 'csv'
          ? new RawResponse('text/csv; charset=utf-8', levelsReportCsv(r), `supervision_${name}_${from}_${to}.csv`)
          : r;
      },
    }),
  ];
}
