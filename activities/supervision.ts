/** Supervision figures from the read model (tasks, checks), for the API and the scheduled workflow. */
import mongoose from 'mongoose';
import { endOfCstDay, startOfCstDay } from '../domain/calendar';
import { figures, totals, type DepartmentCounts, type DepartmentFigures } from '../domain/supervision';
import { CheckModel, TaskModel } from '../db/models';

export interface SupervisionReport {
  id: string;
  from: string;
  to: string;
  computedAt: string;
  departments: DepartmentFigures[];
  totals: DepartmentFigures;
  flagged: Array<{ departmentId: string; departmentName: string; flags: string[] }>;
}

type Count = Record<string, number>;
const byDept = (rows: Array<{ _id: string } & Count>) => new Map(rows.map((r) => [r._id, r]));

/** Figures for tasks assigned and checks made in [from, to] (CST dates, inclusive). */
export async function computeSupervision(from: string, to: string, now = new Date()): Promise<SupervisionReport> {
  const lo = startOfCstDay(from).toISOString();
  const hi = endOfCstDay(to).toISOString();
  const nowIso = now.toISOString();
  const [taskRows, checkRows, depts] = await Promise.all([
    TaskModel.aggregate([
      { $match: { assignedAt: { $gte: lo, $lt: hi } } },
      {
        $group: {
          _id: '$departmentId',
          name: { $first: '$departmentName' },
          tasksReceived: { $sum: 1 },
          acknowledged: { $sum: { $cond: [{ $ifNull: ['$acknowledgedAt', false] }, 1, 0] } },
          acknowledgedOnTime: { $sum: { $cond: [{ $eq: ['$ackOnTime', true] }, 1, 0] } },
          escalated: { $sum: { $cond: [{ $ifNull: ['$escalatedAt', false] }, 1, 0] } },
          currentlyOverdue: {
            $sum: { $cond: [{ $and: [{ $eq: ['$status', 'pending'] }, { $lt: ['$ackDeadline', nowIso] }] }, 1, 0] },
          },
          withFeedback: { $sum: { $cond: [{ $gt: ['$feedbackCount', 0] }, 1, 0] } },
          feedbackOverdue: { $sum: { $cond: [{ $eq: ['$feedbackOverdue', true] }, 1, 0] } },
        },
      },
    ]),
    CheckModel.aggregate([
      { $match: { at: { $gte: lo, $lt: hi } } },
      {
        $group: {
          _id: '$departmentId',
          checks: { $sum: 1 },
          checkHits: { $sum: { $cond: [{ $eq: ['$result', 'hit'] }, 1, 0] } },
          hitsWithDecision: {
            $sum: { $cond: [{ $and: [{ $eq: ['$result', 'hit'] }, { $ifNull: ['$decidedAt', false] }] }, 1, 0] },
          },
        },
      },
    ]),
    mongoose.connection.db!.collection<{ _id: string; name: string }>('departments').find().sort({ _id: 1 }).toArray(),
  ]);
  const t = byDept(taskRows);
  const c = byDept(checkRows);
  const names = new Map<string, string>(depts.map((d) => [d._id, d.name]));
  for (const r of taskRows) if (!names.has(r._id)) names.set(r._id, r.name as unknown as string);
  const rows: DepartmentCounts[] = [...names].map(([departmentId, departmentName]) => ({
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
  const departments = rows.map((r) => figures(r));
  return {
    id: `${from}_${to}`,
    from,
    to,
    computedAt: nowIso,
    departments,
    totals: totals(rows),
    flagged: departments
      .filter((d) => d.flags.length)
      .map(({ departmentId, departmentName, flags }) => ({ departmentId, departmentName, flags })),
  };
}

/** Activity of the scheduled supervision workflow: compute and store (idempotent per period). */
export async function storeSupervisionReport(input: {
  from: string;
  to: string;
}): Promise<{ id: string; flagged: number }> {
  const report = await computeSupervision(input.from, input.to);
  await mongoose.connection
    .db!.collection<{ _id: string }>('supervision_reports')
    .replaceOne({ _id: report.id }, { ...report }, { upsert: true });
  return { id: report.id, flagged: report.flagged.length };
}
