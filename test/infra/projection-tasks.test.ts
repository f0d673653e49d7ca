/**
 * The projection's task writes (activities/projection.ts): new tasks are inserted, stored ones move
 * forward only, and a task stored meanwhile by a racing retry keeps the newer revision.
 */
import mongoose from 'mongoose';
import { writeTasks } from '../../activities/projection';
import { connectTestDb } from '../support/mongo';

type Task = { _id: string; rev: number; status: string; acknowledgedAt?: string };
const tasks = () => mongoose.connection.db!.collection<Task>('tasks');
const stored = async () => (await tasks().find().sort({ _id: 1 }).toArray()) as Task[];

beforeAll(() => connectTestDb('projection_tasks'));
beforeEach(() => tasks().deleteMany({}));
afterAll(() => mongoose.disconnect());

it('inserts new tasks, and a repeated write of the same revision changes nothing', async () => {
  const first = [
    { _id: 't1', rev: 1, status: 'pending' },
    { _id: 't2', rev: 1, status: 'pending' },
  ];
  await writeTasks(first, new Set());
  await writeTasks(first, new Set(['t1', 't2']));
  expect(await stored()).toEqual(first);
});

it('moves a stored task forward and clears what the newer revision lacks, never back', async () => {
  await tasks().insertOne({ _id: 't1', rev: 2, status: 'acknowledged', acknowledgedAt: '2026-12-01T01:00:00Z' });
  await writeTasks([{ _id: 't1', rev: 1, status: 'pending' }], new Set(['t1']));
  expect((await stored())[0].rev).toBe(2);
  await writeTasks([{ _id: 't1', rev: 3, status: 'pending' }], new Set(['t1']));
  expect(await stored()).toEqual([{ _id: 't1', rev: 3, status: 'pending' }]);
});

it('a task thought new but stored meanwhile is upserted: a newer revision stays, an older one moves on', async () => {
  await tasks().insertMany([
    { _id: 'newer', rev: 5, status: 'lifted' },
    { _id: 'older', rev: 1, status: 'pending' },
  ]);
  await writeTasks(
    [
      { _id: 'newer', rev: 3, status: 'acknowledged' },
      { _id: 'older', rev: 2, status: 'acknowledged' },
      { _id: 'fresh', rev: 1, status: 'pending' },
    ],
    new Set(),
  );
  expect(await stored()).toEqual([
    { _id: 'fresh', rev: 1, status: 'pending' },
    { _id: 'newer', rev: 5, status: 'lifted' },
    { _id: 'older', rev: 2, status: 'acknowledged' },
  ]);
});
