/** The credit office's dashboard: counts over the read model, each read on an index (db/dashboard-queries.ts). */
import { CaseModel } from '../../db/models';
import {
  departmentNames,
  listingsInForceByCategory,
  overdueByDepartment,
  tasksByStatus,
} from '../../db/dashboard-queries';
import { CASE_DUE_FIELDS, toCaseDue } from '../views/case-views';
import { CATEGORIES, type Category } from '../../domain/vocabulary';
import { OPEN_CASE_STATUSES } from '../../domain/case';

export interface Dashboard {
  listings: {
    byStatus: { notice: number; active: number };
    byList: { red: number; black: number };
    byCategory: Array<{ category: string; label: string; listKind: 'red' | 'black'; count: number }>;
  };
  tasks: { pending: number; acknowledged: number; lifted: number; overdue: number; feedbackOverdue: number };
  overdueDepartments: Array<{ departmentId: string; departmentName: string; overdue: number; feedbackOverdue: number }>;
  cases: { objectionsOpen: number; repairsOpen: number; overdue: number; dueNext: unknown[] };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export async function computeDashboard(): Promise<Dashboard> {
  const [listingGroups, taskCounts, overdueDepts, names, caseGroups, dueNext] = await Promise.all([
    listingsInForceByCategory(),
    tasksByStatus(),
    overdueByDepartment(),
    departmentNames(),
    CaseModel.aggregate<{ _id: { kind: string; overdue: boolean }; n: number }>([
      { $match: { status: { $in: OPEN_CASE_STATUSES } } },
      { $group: { _id: { kind: '$kind', overdue: '$overdue' }, n: { $sum: 1 } } },
    ]),
    CaseModel.find({ status: { $in: OPEN_CASE_STATUSES } }, CASE_DUE_FIELDS)
      .sort({ deadline: 1 })
      .limit(10)
      .lean(),
  ]);

  const byStatus = { notice: 0, active: 0 };
  const byList = { red: 0, black: 0 };
  const byCat = new Map<Category, number>();
  for (const g of listingGroups) {
    const cat = CATEGORIES[g.category];
    if (!cat) continue;
    byStatus[g.status as 'notice' | 'active'] += g.n;
    byList[cat.kind] += g.n;
    byCat.set(g.category, (byCat.get(g.category) ?? 0) + g.n);
  }
  const sum = (k: 'overdue' | 'feedbackOverdue') => overdueDepts.reduce((n, d) => n + d[k], 0);
  const tasks = { ...taskCounts, overdue: sum('overdue'), feedbackOverdue: sum('feedbackOverdue') };
  const cases = { objectionsOpen: 0, repairsOpen: 0, overdue: 0 };
  for (const g of caseGroups) {
    if (g._id.kind === 'objection') cases.objectionsOpen += g.n;
    else cases.repairsOpen += g.n;
    if (g._id.overdue) cases.overdue += g.n;
  }
  return {
    listings: {
      byStatus,
      byList,
      byCategory: (Object.keys(CATEGORIES) as Category[]).map((c) => ({
        category: c,
        label: CATEGORIES[c].label,
        listKind: CATEGORIES[c].kind,
        count: byCat.get(c) ?? 0,
      })),
    },
    tasks,
    overdueDepartments: overdueDepts
      .map((d) => ({ ...d, departmentName: names.get(d.departmentId) ?? d.departmentId }))
      .sort(
        (a, b) => b.overdue - a.overdue || b.feedbackOverdue - a.feedbackOverdue || cmp(a.departmentId, b.departmentId),
      ),
    cases: { ...cases, dueNext: dueNext.map(toCaseDue) },
  };
}
