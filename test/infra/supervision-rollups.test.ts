/**
 * The supervision roll-ups (db/supervision-rollups.ts) answer exactly what the direct computation from the
 * tasks answers: on a small seeded city (bench/read-model.ts) for a month, a quarter, a year and five
 * years; before the first build (the figures come from the tasks); and after tasks are written through the
 * projection (a task acknowledged, a task moved to another day by a re-matching), which marks their buckets
 * so the next reader recomputes them.
 */
import mongoose from 'mongoose';
import { writeProjection } from '../../activities/projection';
import { cityListing, type Department } from '../../bench/read-model';
import type { TaskDoc } from '../../db/models';
import { departmentCounts } from '../../db/supervision-queries';
import { buildRollups, resetRollupsState, rollupsReady } from '../../db/supervision-rollups';
import type { TaskState } from '../../workflows/listing-types';
import { connectTestDb } from '../support/mongo';

const DEPTS: Department[] = [
  { departmentId: 'tax', departmentName: '税务局' },
  { departmentId: 'housing', departmentName: '住房和城乡建设局' },
  { departmentId: 'market', departmentName: '市场监督管理局' },
];
const NOW = new Date('2026-12-01T04:00:00.000Z');
const PERIODS: Array<[string, string]> = [
  ['2026-11-01', '2026-11-30'],
  ['2026-09-01', '2026-11-30'],
  ['2025-12-01', '2026-12-01'],
  ['2021-01-01', '2026-12-01'],
];
const db = () => mongoose.connection.db!;
const tasks = () => db().collection<TaskDoc>('tasks');
const counts = (from: string, to: string, direct = false) => departmentCounts(from, to, NOW.toISOString(), { direct });

beforeAll(async () => {
  await connectTestDb('supervision_rollups');
  await db()
    .collection('departments')
    .insertMany(DEPTS.map((d) => ({ _id: d.departmentId, name: d.departmentName }) as never));
});
// each test starts from the same city and no roll-ups
beforeEach(async () => {
  await Promise.all(
    ['tasks', 'supervision_rollups', 'supervision_rollup_state'].map((c) => db().collection(c).deleteMany({})),
  );
  resetRollupsState();
  const made = Array.from({ length: 400 }, (_, i) => cityListing(i, DEPTS, NOW.getTime()));
  await tasks().insertMany(made.flatMap((m) => m.tasks));
});
afterAll(() => mongoose.disconnect());

it('answers from the tasks until built, then from the roll-ups with the same figures for every period', async () => {
  const all = await counts('2021-01-01', '2026-12-01', true);
  expect(all.map((d) => [d.departmentId, d.tasksReceived])).toEqual([
    ['housing', 388],
    ['market', 388],
    ['tax', 388],
  ]);
  const year = await counts('2025-12-01', '2026-12-01', true);
  expect(year.map((d) => d.tasksReceived).reduce((a, b) => a + b)).toBeGreaterThan(0);
  expect(year.map((d) => d.tasksReceived).reduce((a, b) => a + b)).toBeLessThan(3 * 388);

  expect(await counts('2025-12-01', '2026-12-01')).toEqual(year); // not built yet: computed directly
  const built = await buildRollups(NOW);
  expect(built.buckets).toBe(1047); // 1,164 tasks: some listings' tasks share a department and day
  expect(await rollupsReady()).toBe(true);
  for (const [from, to] of PERIODS) expect(await counts(from, to)).toEqual(await counts(from, to, true));
});

it('stays equal to the direct computation after tasks are written through the projection', async () => {
  await buildRollups(NOW); // idempotent: this test also runs first
  expect(await rollupsReady()).toBe(true);
  const pending = (await tasks().findOne({ departmentId: 'tax', status: 'pending', overdue: true }))!;
  const acked = (await tasks().findOne({ departmentId: 'housing', status: 'acknowledged', feedbackCount: 1 }))!;
  const day = pending.assignedAt.slice(0, 10);
  const [before] = await counts(day, day).then((r) => r.filter((d) => d.departmentId === 'tax'));

  const { _id: _a, ...p } = pending;
  const { _id: _b, ...m } = acked;
  await writeProjection({
    tasks: [
      {
        ...p,
        rev: p.rev + 1,
        status: 'acknowledged',
        acknowledgedAt: NOW.toISOString(),
        acknowledgedBy: '测试',
        ackOnTime: false,
        overdue: false,
      } as unknown as TaskState,
      // a re-matching takes the task up again today: it leaves its old day's bucket for today's
      { ...m, rev: m.rev + 1, assignedAt: NOW.toISOString(), feedbackCount: 0 } as unknown as TaskState,
    ],
  });

  const [after] = await counts(day, day).then((r) => r.filter((d) => d.departmentId === 'tax'));
  expect(after.acknowledged - before.acknowledged).toBe(1);
  expect(after.acknowledgedOnTime).toBe(before.acknowledgedOnTime);
  expect(before.currentlyOverdue - after.currentlyOverdue).toBe(1);
  for (const [from, to] of [...PERIODS, ['2026-12-01', '2026-12-01'] as [string, string]])
    expect(await counts(from, to)).toEqual(await counts(from, to, true));
  const today = await counts('2026-12-01', '2026-12-01');
  expect(today.find((d) => d.departmentId === 'housing')!.tasksReceived).toBe(1);
});
