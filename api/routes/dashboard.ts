/** 信用办 dashboard: listings by list and category, tasks by state, overdue departments, cases due. */
import { z } from 'zod';
import { ListKind } from '../../domain/vocabulary';
import { CaseDue } from '../views/case-views';
import { defineRoute, type AnyRoute } from '../route';
import { computeDashboard } from '../services/dashboard-service';
import { cstDate, nextYearStatus } from '../../domain/calendar';

const Count = z.number().int();
const DashboardView = z.strictObject({
  listings: z.strictObject({
    byStatus: z.strictObject({ notice: Count, active: Count }),
    byList: z.strictObject({ red: Count, black: Count }),
    byCategory: z.array(z.strictObject({ category: z.string(), label: z.string(), listKind: ListKind, count: Count })),
  }),
  tasks: z.strictObject({ pending: Count, acknowledged: Count, lifted: Count, overdue: Count, feedbackOverdue: Count }),
  overdueDepartments: z.array(
    z.strictObject({ departmentId: z.string(), departmentName: z.string(), overdue: Count, feedbackOverdue: Count }),
  ),
  calendar: z.strictObject({ nextYear: Count, covered: z.boolean(), warning: z.string().nullable() }),
  cases: z.strictObject({
    objectionsOpen: Count,
    repairsOpen: Count,
    overdue: Count,
    dueNext: z.array(CaseDue),
  }),
});

export function dashboardRoutes(): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/office/dashboard',
      tag: '信用办',
      roles: ['office', 'auditor'],
      summary: '工作台：名单、任务、逾期部门、异议与修复',
      response: DashboardView,
      handler: async () => ({ ...(await computeDashboard()), calendar: nextYearStatus(cstDate(new Date())) }),
    }),
  ];
}
