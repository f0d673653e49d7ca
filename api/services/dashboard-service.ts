/** The credit office's dashboard: counts over the read model, computed on request (aggregations). */
import { CaseModel, ListingModel, TaskModel } from '../../db/models';
import { CASE_DUE_FIELDS, toCaseDue } from '../views/case-views';
import { COUNT_ACK_OVERDUE_NOW, COUNT_FEEDBACK_OVERDUE_NOW, OVERDUE_NOW } from '../../db/task-filters';
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

export async function computeDashboard(): Promise<Dashboard> {
  const [listingGroups, taskGroups, taskFlags, overdueDepts, caseGroups, dueNext] = await Promise.all([
    ListingModel.aggregate<{ _id: { status: string; category: Category }; n: number }>([
      { $match: { status: { $in: ['notice', 'active'] } } },
      { $group: { _id: { status: '$status', category: '$request.category' }, n: { $sum: 1 } } },
    ]),
    TaskModel.aggregate<{ _id: string; n: number }>([{ $group: { _id: '$status', n: { $sum: 1 } } }]),
    TaskModel.aggregate<{ overdue: number; feedbackOverdue: number }>([
      { $match: OVERDUE_NOW },
      {
        $group: {
          _id: null,
          overdue: { $sum: COUNT_ACK_OVERDUE_NOW },
          feedbackOverdue: { $sum: COUNT_FEEDBACK_OVERDUE_NOW },
        },
      },
    ]),
    TaskModel.aggregate<{ _id: string; departmentName: string; overdue: number; feedbackOverdue: number }>([
      { $match: OVERDUE_NOW },
      {
        $group: {
          _id: '$departmentId',
          departmentName: { $first: '$departmentName' },
          overdue: { $sum: COUNT_ACK_OVERDUE_NOW },
          feedbackOverdue: { $sum: COUNT_FEEDBACK_OVERDUE_NOW },
        },
      },
      { $sort: { overdue: -1, feedbackOverdue: -1, _id: 1 } },
    ]),
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
    const cat = CATEGORIES[g._id.category];
    if (!cat) continue;
    byStatus[g._id.status as 'notice' | 'active'] += g.n;
    byList[cat.kind] += g.n;
    byCat.set(g._id.category, (byCat.get(g._id.category) ?? 0) + g.n);
  }
  const tasks = {
    pending: 0,
    acknowledged: 0,
    lifted: 0,
    overdue: taskFlags[0]?.overdue ?? 0,
    feedbackOverdue: taskFlags[0]?.feedbackOverdue ?? 0,
  };
  for (const g of taskGroups) if (g._id in tasks) tasks[g._id as 'pending' | 'acknowledged' | 'lifted'] = g.n;
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
    overdueDepartments: overdueDepts.map((d) => ({
      departmentId: d._id,
      departmentName: d.departmentName,
      overdue: d.overdue,
      feedbackOverdue: d.feedbackOverdue,
    })),
    cases: { ...cases, dueNext: dueNext.map(toCaseDue) },
  };
}
