/**
 * Calendar re-planning under a fault on real servers: the worker is killed with SIGKILL while the
 * re-planning workflow works through 40 running listings, then restarted. Every listing must be
 * re-planned exactly once: one timeline event each, every task's deadline moved, the counts exact.
 *
 * The dev server runs in real time, so the test data is an office entry for the current year that
 * keeps the package's holidays and adds three days from tomorrow: deadlines planned today move.
 */
import type { ChildProcess } from 'node:child_process';
import mongoose from 'mongoose';
import { arrangementId, insertVersion } from '../../db/calendar-store';
import { connectMongo, EventModel, TaskModel } from '../../db/models';
import { packageArrangementOf } from '../../domain/calendar';
import { calendarReplanWorkflow } from '../../workflows/calendar-replan';
import { daysFromToday } from '../support/fixtures';
import { startActiveListings, startFaultStack, until, type FaultStack } from '../support/fault-stack';

jest.setTimeout(300_000);

const N = 40;
let stack: FaultStack;

beforeAll(async () => {
  stack = await startFaultStack('calendar-fault');
  await connectMongo(stack.mongoUri());
});
afterAll(async () => {
  await mongoose.disconnect();
  await stack?.stop();
});

it('re-plans every listing once when the worker is killed mid-way', async () => {
  let worker: ChildProcess = await stack.startWorker();
  const ids = await startActiveListings(stack, N, '日历');
  const before = new Map(
    (await TaskModel.find({ entryId: { $in: ids } }).lean()).map((t) => [t._id, t.ackDeadline] as const),
  );
  expect(before.size).toBe(2 * N);

  // the office's entry for this year: the package's holidays, and three more days from tomorrow
  const year = Number(daysFromToday(1).slice(0, 4));
  const pkg = packageArrangementOf(year);
  const extra = { name: '测试假期', from: daysFromToday(1), to: daysFromToday(3) };
  const coveredAt = new Date().toISOString();
  const notice = { number: '测试〔故障〕1号', date: daysFromToday(0) };
  await insertVersion({
    _id: arrangementId(year, 1),
    year,
    version: 1,
    notice,
    holidays: [...pkg.holidays.filter((h) => h.to < extra.from || h.from > extra.to), extra],
    workdays: pkg.workdays.filter((d) => d < extra.from || d > extra.to),
    enteredAt: coveredAt,
    enteredBy: { sub: 'o', name: '信用办' },
  });

  const replan = await stack.client.workflow.start(calendarReplanWorkflow, {
    taskQueue: stack.taskQueue,
    workflowId: `calendar-replan-${year}-v1`,
    args: [{ year, version: 1, coveredAt, notice, pageSize: 5 }],
  });
  const replanned = () => EventModel.countDocuments({ entryId: { $in: ids }, type: 'calendar_replanned' });
  await until(async () => (await replanned()) >= 5, 120_000);
  await stack.stopWorker(worker, 'SIGKILL');
  expect(await replanned()).toBeLessThan(N);
  worker = await stack.startWorker();

  const counts = await replan.result();
  expect(counts).toEqual({ changed: N, unchanged: 0, already: 0, skipped: 0 });
  const events = await EventModel.aggregate<{ _id: string; n: number }>([
    { $match: { entryId: { $in: ids }, type: 'calendar_replanned' } },
    { $group: { _id: '$entryId', n: { $sum: 1 } } },
  ]);
  expect(events).toHaveLength(N);
  expect(events.every((e) => e.n === 1)).toBe(true);
  const after = await TaskModel.find({ entryId: { $in: ids } }).lean();
  expect(after.filter((t) => t.ackDeadline > before.get(t._id)!)).toHaveLength(2 * N);
  await stack.stopWorker(worker, 'SIGTERM');
});
