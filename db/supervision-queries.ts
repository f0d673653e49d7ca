/**
 * The read-model queries behind supervision (督查考核): per department, the counts of tasks assigned
 * and checks made in a period, and the stored periodic reports. The figures are computed from these
 * counts by domain/supervision.ts.
 */
import mongoose from 'mongoose';
import { endOfCstDay, startOfCstDay } from '../domain/calendar';
import type { DepartmentCounts, SupervisionReport } from '../domain/supervision';
import { TaskModel } from './models';
import { checkCountsBetween } from './check-records';
import { rollupCounts, rollupsReady, TASK_COUNT_GROUP, type RollupCounts } from './supervision-rollups';
import { findPage, type SortKey } from './paging';
import { mapPage, type Page, type PageRequest } from '../domain/pagination';

const byDept = <R extends { _id: string }>(rows: R[]) => new Map(rows.map((r) => [r._id, r]));
const reports = () => mongoose.connection.db!.collection<SupervisionReport & { _id: string }>('supervision_reports');

/** Per department, the counts of the tasks assigned in [lo, hi) computed from the tasks themselves. */
export async function taskCountsDirect(lo: string, hi: string, nowIso: string): Promise<TaskRow[]> {
  return TaskModel.aggregate([
    { $match: { assignedAt: { $gte: lo, $lt: hi } } },
    {
      $group: {
        _id: '$departmentId',
        name: { $first: '$departmentName' },
        ...TASK_COUNT_GROUP,
        currentlyOverdue: {
          $sum: { $cond: [{ $and: [{ $eq: ['$status', 'pending'] }, { $lt: ['$ackDeadline', nowIso] }] }, 1, 0] },
        },
      },
    },
  ]);
}

type TaskRow = { _id: string; name?: string; currentlyOverdue: number } & RollupCounts;

/**
 * Counts for tasks assigned and checks made in [from, to] (CST dates, inclusive), one row per known
 * department (zero where it had none); "currently overdue" is taken at `nowIso`. The task counts come
 * from the roll-ups once they are built (`direct` forces the computation from the tasks).
 */
export async function departmentCounts(
  from: string,
  to: string,
  nowIso: string,
  opts: { direct?: boolean } = {},
): Promise<DepartmentCounts[]> {
  const lo = startOfCstDay(from).toISOString();
  const hi = endOfCstDay(to).toISOString();
  const rolled = !opts.direct && (await rollupsReady());
  const [taskRows, checkRows, depts] = await Promise.all([
    rolled
      ? rollupCounts(from, to, nowIso).then((rows) => rows.filter((r) => r.tasksReceived > 0))
      : taskCountsDirect(lo, hi, nowIso),
    checkCountsBetween(lo, hi),
    mongoose.connection.db!.collection<{ _id: string; name: string }>('departments').find().sort({ _id: 1 }).toArray(),
  ]);
  const t = byDept(taskRows);
  const c = byDept(checkRows);
  const names = new Map<string, string>(depts.map((d) => [d._id, d.name]));
  for (const r of taskRows) if (!names.has(r._id)) names.set(r._id, r.name as string);
  return [...names].map(([departmentId, departmentName]) => ({
    departmentId,
    departmentName,
    tasksReceived: t.get(departmentId)?.tasksReceived ?? 0,
    acknowledged: t.get(departmentId)?.acknowledged ?? 0,
    acknowledgedOnTime: t.get(departmentId)?.acknowledgedOnTime ?? 0,
    escalated: t.get(departmentId)?.escalated ?? 0,
    currentlyOverdue: t.get(departmentId)?.currentlyOverdue ?? 0,
    withFeedback: t.get(departmentId)?.withFeedback ?? 0,
    feedbackOverdue: t.get(departmentId)?.feedbackOverdue ?? 0,
    checks: c.get(departmentId)?.checks ?? 0,
    checkHits: c.get(departmentId)?.checkHits ?? 0,
    hitsWithDecision: c.get(departmentId)?.hitsWithDecision ?? 0,
  }));
}

let reportIndex: Promise<unknown> | undefined;

/** The stored periodic reports, newest first, a page at a time. */
export async function latestReports(page: PageRequest): Promise<Page<SupervisionReport>> {
  await (reportIndex ??= reports().createIndex({ computedAt: -1, _id: -1 }));
  const order: SortKey[] = [
    { field: 'computedAt', dir: -1 },
    { field: '_id', dir: -1 },
  ];
  return mapPage(
    await findPage(reports(), {}, order, page, { total: true }),
    ({ _id, ...r }) => r as SupervisionReport,
  );
}

/** Stores a report under its period id (idempotent: a second run of the same period replaces it). */
export async function saveReport(report: SupervisionReport): Promise<void> {
  await reports().replaceOne({ _id: report.id }, { ...report }, { upsert: true });
}
