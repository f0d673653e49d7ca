/**
 * Re-matching under a fault on real servers: the worker is killed with SIGKILL while the re-matching
 * run of a publication works through 40 running listings, then restarted. Every listing must be
 * re-matched exactly once: one timeline event and one message to the department each, every task
 * holding the new measure once, the counts exact.
 */
import type { ChildProcess } from 'node:child_process';
import mongoose from 'mongoose';
import { connectMongo, EventModel, OutboxModel, TaskModel } from '../../db/models';
import { insertEdition, publishEdition, seedEditions } from '../../db/measure-editions';
import type { Measure } from '../../domain/measure';
import { loadCatalogue } from '../../measures/catalogue';
import { rematchWorkflow } from '../../workflows/rematch';
import { today } from '../support/fixtures';
import { startActiveListings, startFaultStack, until, type FaultStack } from '../support/fault-stack';
import { SMALL_MEASURES } from '../support/workflow-env';

jest.setTimeout(300_000);

const N = 40;
let stack: FaultStack;

beforeAll(async () => {
  stack = await startFaultStack('rematch-fault');
  await connectMongo(stack.mongoUri());
});
afterAll(async () => {
  await mongoose.disconnect();
  await stack?.stop();
});

it('re-matches every listing once when the worker is killed mid-way', async () => {
  const catalogue = loadCatalogue(SMALL_MEASURES);
  expect(await seedEditions(catalogue)).toBe(3);
  let worker: ChildProcess = await stack.startWorker();
  const ids = await startActiveListings(stack, N, '清单');
  expect(await TaskModel.countDocuments({ entryId: { $in: ids } })).toBe(2 * N);

  // alpha's edition 2 adds a measure, published from today
  const added: Measure = {
    ...catalogue.measureById.get('alpha.no-procurement')!,
    id: 'alpha.no-honours',
    title: '限制参加评先评优',
    areas: ['awards_ratings'],
    matters: [],
  };
  const at = new Date().toISOString();
  const who = { sub: 'o', name: '信用办' };
  await insertEdition({
    _id: 'alpha:2',
    departmentId: 'alpha',
    departmentName: '测试甲局',
    number: 2,
    label: '故障测试版',
    status: 'approved',
    measures: [...catalogue.measures.filter((m) => m.id.startsWith('alpha.')), added],
    createdAt: at,
    createdBy: who,
    updatedAt: at,
    reviews: [],
  });
  const published = await publishEdition(
    'alpha:2',
    { effectiveFrom: today, runningListings: 'rematch', publishedAt: at, publishedBy: who },
    () => undefined,
  );
  expect('edition' in published).toBe(true);

  const run = await stack.client.workflow.start(rematchWorkflow, {
    taskQueue: stack.taskQueue,
    workflowId: 'rematch-edition-alpha-2',
    args: [
      {
        change: { key: 'edition:alpha:2', reason: 'edition_published', editionId: 'alpha:2' },
        targets: { categories: ['major_tax_violation'] },
        startAt: at,
        pageSize: 5,
        concurrency: 2,
      },
    ],
  });
  const rematched = () => EventModel.countDocuments({ entryId: { $in: ids }, type: 'measures_rematched' });
  await until(async () => (await rematched()) >= 5, 120_000);
  await stack.stopWorker(worker, 'SIGKILL');
  expect(await rematched()).toBeLessThan(N);
  worker = await stack.startWorker();

  const counts = await run.result();
  expect(counts.changed + counts.already).toBe(N);
  expect(counts.unchanged + counts.skipped).toBe(0);
  const events = await EventModel.aggregate<{ _id: string; n: number }>([
    { $match: { entryId: { $in: ids }, type: 'measures_rematched' } },
    { $group: { _id: '$entryId', n: { $sum: 1 } } },
  ]);
  expect(events).toHaveLength(N);
  expect(events.every((e) => e.n === 1)).toBe(true);
  const told = await OutboxModel.countDocuments({
    entryId: { $in: ids },
    type: 'measures_changed',
    recipient: 'alpha',
  });
  expect(told).toBe(N);
  const alphaTasks = await TaskModel.find({ entryId: { $in: ids }, departmentId: 'alpha' }).lean();
  expect(alphaTasks).toHaveLength(N);
  for (const t of alphaTasks)
    expect(t.measures.map((m: { id: string }) => m.id)).toEqual([
      'alpha.no-procurement',
      'alpha.no-subsidy',
      'alpha.no-honours',
    ]);
  await stack.stopWorker(worker, 'SIGTERM');
});
