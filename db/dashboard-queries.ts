/**
 * The counts behind the office dashboard, each answered from an index without reading documents, so
 * that they stay fast at city scale (100,000 listings in force, 1,400,000 tasks):
 * - listings in force by status and category: a count on the category/status index for each pair;
 * - tasks by status: counts on the "overdue" index, whose first key every task has (true/false), and the
 *   collection's stored size;
 * - tasks overdue now, and per department: covered scans of two small partial indexes that hold only
 *   the tasks with an escalation flag (db/models.ts), with the departments' names from the catalogue.
 */
import mongoose from 'mongoose';
import { ACK_OVERDUE_NOW, FEEDBACK_OVERDUE_NOW } from '../domain/overdue';
import { TaskStatus } from '../domain/task';
import { CATEGORIES, type Category } from '../domain/vocabulary';
import { ListingModel, TaskModel } from './models';

/** The index keys the counts are read on (declared in db/models.ts). */
export const LISTING_CATEGORY_INDEX = { 'request.category': 1, status: 1, startedAt: -1, _id: -1 };
export const TASK_STATUS_INDEX = { overdue: 1, status: 1, ackDeadline: 1, _id: 1 };
export const ACK_OVERDUE_DEPT_INDEX = { overdue: 1, status: 1, departmentId: 1 };
export const FEEDBACK_OVERDUE_DEPT_INDEX = { feedbackOverdue: 1, status: 1, departmentId: 1 };

/** One COUNT_SCAN per category and status in force (a covered $group cannot cover the nested category). */
export async function listingsInForceByCategory(): Promise<Array<{ status: string; category: Category; n: number }>> {
  const pairs = (Object.keys(CATEGORIES) as Category[]).flatMap((category) =>
    (['notice', 'active'] as const).map((status) => ({ category, status })),
  );
  const counts = await Promise.all(
    pairs.map((p) =>
      ListingModel.collection.countDocuments(
        { 'request.category': p.category, status: p.status },
        { hint: LISTING_CATEGORY_INDEX },
      ),
    ),
  );
  return pairs.map((p, i) => ({ ...p, n: counts[i] })).filter((r) => r.n > 0);
}

/**
 * Tasks by status: the two smaller states counted on the index, acknowledged (by far the largest in a
 * city whose listings run for years) as the collection's count less those two. The collection's count is
 * its stored size (estimatedDocumentCount, no scan): exact on a running server, it can be off after an
 * unclean shutdown until MongoDB revalidates it — for a dashboard figure, the price of not counting
 * 1.2 million index keys on every view.
 */
export async function tasksByStatus(): Promise<Record<TaskStatus, number>> {
  const count = (status: TaskStatus) =>
    TaskModel.collection.countDocuments({ overdue: { $in: [false, true] }, status }, { hint: TASK_STATUS_INDEX });
  const [all, pending, lifted] = await Promise.all([
    TaskModel.collection.estimatedDocumentCount(),
    count('pending'),
    count('lifted'),
  ]);
  return { pending, acknowledged: Math.max(0, all - pending - lifted), lifted };
}

/** Per department: tasks overdue now for acknowledgement and for feedback (departments with any). */
export async function overdueByDepartment(): Promise<
  Array<{ departmentId: string; overdue: number; feedbackOverdue: number }>
> {
  const group = (match: Record<string, unknown>, hint: Record<string, unknown>) =>
    TaskModel.aggregate<{ _id: string; n: number }>([
      { $match: match },
      { $project: { _id: 0, departmentId: 1 } },
      { $group: { _id: '$departmentId', n: { $sum: 1 } } },
    ]).hint(hint);
  const [ack, feedback] = await Promise.all([
    group(ACK_OVERDUE_NOW, ACK_OVERDUE_DEPT_INDEX),
    group(FEEDBACK_OVERDUE_NOW, FEEDBACK_OVERDUE_DEPT_INDEX),
  ]);
  const out = new Map<string, { departmentId: string; overdue: number; feedbackOverdue: number }>();
  const row = (id: string) => out.get(id) ?? out.set(id, { departmentId: id, overdue: 0, feedbackOverdue: 0 }).get(id)!;
  for (const r of ack) row(r._id).overdue = r.n;
  for (const r of feedback) row(r._id).feedbackOverdue = r.n;
  return [...out.values()];
}

/** The departments' names as the catalogue has them. */
export async function departmentNames(): Promise<Map<string, string>> {
  const depts = await mongoose.connection
    .db!.collection<{ _id: string; name: string }>('departments')
    .find({}, { projection: { name: 1 } })
    .toArray();
  return new Map(depts.map((d) => [d._id, d.name]));
}
