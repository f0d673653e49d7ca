/**
 * The live task index started from a snapshot (db/live-index-snapshot.ts), on the run's MongoDB replica
 * set: it answers what a full load from the tasks answers, changes made after the snapshot included, and
 * falls back to the full load when the snapshot cannot be used.
 */
import mongoose from 'mongoose';
import type { Collection, Db } from 'mongodb';
import { LiveTaskIndex } from '../../db/live-task-index';
import { SNAPSHOT_CHUNKS, SNAPSHOTS } from '../../db/live-index-snapshot';
import type { IndexedTask } from '../../db/live-task-store';
import { connectTestDb } from '../support/mongo';
import { eventually } from '../support/eventually';

const SUBJECTS = ['914403001922038216', '9144030071526726XG', '91130900MA0CNB7K2J'];
const DEPARTMENTS = ['tax', 'finance', 'transport'];
const entry = {
  listKind: 'black',
  category: 'major_tax_violation',
  severity: 'serious',
  authority: '国家税务总局沧州市税务局',
  effectiveAt: '2026-10-10T16:00:00.000Z',
  expiresAt: '2028-10-10T16:00:00.000Z',
};
const task = (n: number, departmentId: string, over: Partial<IndexedTask> = {}) => ({
  _id: `E${String(n).padStart(20, '0')}:${departmentId}`,
  entryId: `E${String(n).padStart(20, '0')}`,
  subjectId: SUBJECTS[n % SUBJECTS.length],
  departmentId,
  status: 'pending',
  entry,
  measures: [{ id: `${departmentId}.no-bid`, kind: 'sanction', title: '限制参与政府采购', mandatory: true }],
  ...over,
});

let db: Db;
let tasks: Collection<{ _id: string }>;
const started: LiveTaskIndex[] = [];

/** An index started and proven fresh. */
async function freshIndex(snapshotEveryMs: number): Promise<LiveTaskIndex> {
  const index = await new LiveTaskIndex(db, { snapshotEveryMs }).start();
  started.push(index);
  await eventually(async () => expect(index.fresh()).toBe(true), 10_000);
  return index;
}

/** Every lookup, to compare two indexes (in the order of entry ids: a lookup's order carries no meaning). */
const answers = (index: LiveTaskIndex) =>
  SUBJECTS.flatMap((s) =>
    DEPARTMENTS.map((d) =>
      index
        .lookup(s, d)
        ?.map((t) => `${t.entryId}${t.underObjection ? ' 异议' : ''}`)
        .sort(),
    ),
  );

beforeAll(async () => {
  db = (await connectTestDb('live_index_snapshot')).connection.db!;
  tasks = db.collection('tasks');
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((i) => i.stop()));
  await Promise.all([tasks, db.collection(SNAPSHOTS), db.collection(SNAPSHOT_CHUNKS)].map((c) => c.deleteMany({})));
});
afterAll(() => mongoose.disconnect());

describe('LiveTaskIndex from a snapshot', () => {
  it('starts from the newest snapshot and applies what changed after it, as a full load would answer', async () => {
    await tasks.insertMany(Array.from({ length: 30 }, (_, i) => task(i, DEPARTMENTS[i % 3])));
    const first = await freshIndex(600_000);
    expect(first.loadedFrom).toBe('tasks'); // no snapshot yet
    const meta = await first.snapshot();
    expect(meta).toMatchObject({ entries: 30, tasks: 30 });
    // after the snapshot: a new task, one lifted, one under objection, one deleted
    await tasks.insertOne(task(100, 'tax'));
    await tasks.updateOne({ _id: task(1, 'finance')._id }, { $set: { status: 'lifted' } });
    await tasks.updateOne({ _id: task(2, 'transport')._id }, { $set: { underObjection: true } });
    await tasks.deleteOne({ _id: task(3, 'tax')._id });

    const restored = await freshIndex(600_000);
    expect(restored.loadedFrom).toEqual({ snapshot: meta!._id });
    const full = await freshIndex(0); // no snapshot read: the tasks
    expect(full.loadedFrom).toBe('tasks');
    expect(restored.size).toBe(29);
    expect(answers(restored)).toEqual(answers(full));
    // and keeps following the stream
    await tasks.updateOne({ _id: task(4, 'finance')._id }, { $set: { status: 'acknowledged', underObjection: true } });
    // both indexes equal before the change reached either would pass too: wait for the change itself
    await eventually(async () => {
      expect(restored.lookup(SUBJECTS[1], 'finance')).toContainEqual(expect.objectContaining({ underObjection: true }));
      expect(answers(restored)).toEqual(answers(full));
    }, 5000);
  });

  it('writes a snapshot only when the newest is older than its period, and keeps only the newest', async () => {
    await tasks.insertMany([task(1, 'tax'), task(2, 'finance')]);
    const index = await freshIndex(600_000);
    const a = await index.snapshotIfDue();
    expect(a).toBeDefined();
    expect(await index.snapshotIfDue()).toBeUndefined(); // the newest is younger than 10 minutes
    const b = await index.snapshotIfDue(new Date(Date.now() + 601_000));
    expect(b).toBeDefined();
    expect(await db.collection(SNAPSHOTS).distinct('_id')).toEqual([b!._id]);
    expect(await db.collection(SNAPSHOT_CHUNKS).distinct('snapshot')).toEqual([b!._id]);
  });

  it('loads from the tasks when the snapshot lacks a chunk', async () => {
    await tasks.insertMany(Array.from({ length: 5 }, (_, i) => task(i, 'tax')));
    const meta = (await (await freshIndex(600_000)).snapshot())!;
    await db.collection(SNAPSHOT_CHUNKS).deleteMany({ snapshot: meta._id });
    const index = await freshIndex(600_000);
    expect(index.loadedFrom).toBe('tasks');
    expect(index.size).toBe(5);
  });

  it('loads from the tasks when the change stream cannot resume from the snapshot’s token', async () => {
    await tasks.insertMany(Array.from({ length: 5 }, (_, i) => task(i, 'tax')));
    const meta = (await (await freshIndex(600_000)).snapshot())!;
    // a token the server cannot resume from (as one the oplog no longer holds)
    await db
      .collection(SNAPSHOTS)
      .updateOne({ _id: meta._id as never }, { $set: { resumeToken: { _data: '82000000010000000129295A1004' } } });
    await tasks.insertOne(task(50, 'tax'));
    const index = await new LiveTaskIndex(db, { snapshotEveryMs: 600_000 }).start();
    started.push(index);
    expect(index.loadedFrom).toEqual({ snapshot: meta._id });
    expect(index.fresh()).toBe(false);
    await eventually(async () => {
      expect(index.loadedFrom).toBe('tasks');
      expect(index.fresh()).toBe(true);
    }, 15_000);
    expect(index.size).toBe(6);
  });
});
