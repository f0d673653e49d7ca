/** 督查考核 endpoints: live figures per department and period, stored periodic reports, CSV export. */
import { z } from 'zod';
import { computeSupervision, storedReports } from '../services/supervision-service';
import { cstDate } from '../../domain/calendar';
import { CivilDate } from '../../domain/dates';
import { toCsv } from '../../domain/supervision';
import { PageQuery, pageOf } from '../../domain/pagination';
import { HttpError, ruleViolation } from '../errors';
import { defineRoute, RawResponse, type AnyRoute } from '../route';

export const Period = z
  .object({
    from: CivilDate.optional().describe('起始日期（含），缺省为本月1日'),
    to: CivilDate.optional().describe('截止日期（含），缺省为今天'),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict();

export const Figures = z.strictObject({
  departmentId: z.string(),
  departmentName: z.string(),
  tasksReceived: z.number(),
  acknowledged: z.number(),
  acknowledgedOnTime: z.number(),
  onTimeAckRate: z.number().nullable(),
  escalated: z.number(),
  currentlyOverdue: z.number(),
  withFeedback: z.number(),
  feedbackOverdue: z.number(),
  feedbackRate: z.number().nullable(),
  checks: z.number(),
  checkHits: z.number(),
  hitsWithDecision: z.number(),
  decisionRate: z.number().nullable(),
  flags: z.array(z.string()),
});
const Report = z.strictObject({
  id: z.string(),
  from: z.string(),
  to: z.string(),
  computedAt: z.string(),
  departments: z.array(Figures),
  totals: Figures,
  flagged: z.array(
    z.strictObject({ departmentId: z.string(), departmentName: z.string(), flags: z.array(z.string()) }),
  ),
});

export function period(q: { from?: string; to?: string }) {
  const today = cstDate(new Date());
  const from = q.from ?? `${today.slice(0, 8)}01`;
  const to = q.to ?? today;
  if (from > to) throw ruleViolation('query.from', ['起始日期不能晚于截止日期']);
  return { from, to };
}

export function supervisionRoutes(): AnyRoute[] {
  const tag = '督查考核';
  return [
    defineRoute({
      method: 'get',
      path: '/office/supervision',
      tag,
      roles: ['office', 'auditor'],
      summary: '各部门督查考核指标（format=csv 导出）',
      query: Period,
      response: Report,
      alsoProduces: ['text/csv'],
      handler: async ({ query }) => {
        const { from, to } = period(query);
        const r = await computeSupervision(from, to);
        return query.format === 'csv'
          ? new RawResponse(
              'text/csv; charset=utf-8',
              toCsv([...r.departments, r.totals]),
              `supervision_${from}_${to}.csv`,
            )
          : r;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/office/supervision/reports',
      tag,
      roles: ['office', 'auditor'],
      summary: '定期督查报告（每日01:00生成本月累计；最新的在前，分页）',
      query: PageQuery,
      response: pageOf(Report),
      handler: ({ query }) => storedReports(query),
    }),
    defineRoute({
      method: 'get',
      path: '/departments/me/supervision',
      tag,
      roles: ['department'],
      summary: '本部门督查考核指标',
      query: Period,
      response: Figures,
      alsoProduces: ['text/csv'],
      errors: [404],
      handler: async ({ query, req }) => {
        const { from, to } = period(query);
        const r = await computeSupervision(from, to);
        const mine = r.departments.find((d) => d.departmentId === req.principal!.departmentId);
        if (!mine) throw new HttpError(404, 'not_found', '本部门没有督查数据');
        return query.format === 'csv'
          ? new RawResponse(
              'text/csv; charset=utf-8',
              toCsv([mine]),
              `supervision_${mine.departmentId}_${from}_${to}.csv`,
            )
          : mine;
      },
    }),
  ];
}
