/**
 * One reading of "overdue now" (domain/overdue.ts, as queries in db/task-filters.ts) for the office's
 * overdue list and the dashboard: the escalation flags stay on a task once set, so a late acknowledgement
 * or a feedback that came after its deadline must take the task off both.
 */
import mongoose from 'mongoose';
import { computeDashboard } from '../../api/services/dashboard-service';
import { ListingService } from '../../api/services/listing-service';
import { connectTestDb } from '../support/mongo';

const task = (
  id: string,
  departmentId: string,
  status: string,
  overdue: boolean,
  feedbackOverdue: boolean,
  ackDeadline: string,
) => ({
  _id: id,
  taskId: id,
  entryId: `E-${id}`,
  subjectId: '91110000000000000X',
  departmentId,
  departmentName: departmentId === 'tax' ? '税务局' : '住建局',
  status,
  overdue,
  feedbackOverdue,
  ackDeadline,
  feedbackCount: 0,
  rev: 1,
});

beforeAll(async () => {
  await connectTestDb('overdue_now');
  await mongoose.connection
    .db!.collection('tasks')
    .insertMany([
      task('ack-overdue', 'tax', 'pending', true, false, '2026-10-14T16:00:00.000Z'),
      task('acked-late', 'tax', 'acknowledged', true, false, '2026-10-13T16:00:00.000Z'),
      task('feedback-overdue', 'housing', 'acknowledged', true, true, '2026-10-12T16:00:00.000Z'),
      task('lifted-after-both', 'housing', 'lifted', true, true, '2026-10-11T16:00:00.000Z'),
      task('pending-in-time', 'tax', 'pending', false, false, '2026-10-10T16:00:00.000Z'),
      task('acked-in-time', 'housing', 'acknowledged', false, false, '2026-10-09T16:00:00.000Z'),
    ] as never[]);
});
afterAll(() => mongoose.disconnect());

it('the overdue list holds only tasks still waiting for what was due, earliest deadline first', async () => {
  const list = await new ListingService({} as never, 'unused').overdueTasks({ limit: 50 });
  expect(list.total).toBe(2);
  expect(list.items.map((t) => t.taskId)).toEqual(['feedback-overdue', 'ack-overdue']);
});

it('the dashboard counts the same tasks, per department', async () => {
  const d = await computeDashboard();
  expect([d.tasks.overdue, d.tasks.feedbackOverdue]).toEqual([1, 1]);
  // pending and lifted counted on the index, acknowledged as the rest
  expect([d.tasks.pending, d.tasks.acknowledged, d.tasks.lifted]).toEqual([2, 3, 1]);
  expect(d.tasks).toMatchObject({ pending: 2, acknowledged: 3, lifted: 1 });
  expect(d.overdueDepartments.map((x) => [x.departmentId, x.overdue, x.feedbackOverdue]).sort()).toEqual([
    ['housing', 0, 1],
    ['tax', 1, 0],
  ]);
});
