/**
 * An in-memory index of live department tasks (status pending or acknowledged) by subject and
 * department, for the 逢办必查 hot path. It is loaded from MongoDB and kept current by a change
 * stream that starts at the load's operation time, so no change falls between the two.
 *
 * Freshness is proven, not assumed: every 200 ms the index writes a heartbeat document of its own and
 * watches for it on the same change stream. Seeing its heartbeat written at time W means every change
 * committed before W has been applied. `lookup` answers only while the last heartbeat seen is younger
 * than `maxLagMs` (1 s); otherwise it returns undefined and the caller reads MongoDB directly. So a
 * listing, removal or lift is reflected within 1 s in every API process, or the check goes to the
 * database.
 *
 * What it holds and how is db/live-task-store.ts (by entry, measure lists shared by content).
 */
import { randomUUID } from 'node:crypto';
import type { ChangeStream, Db, Document, Timestamp } from 'mongodb';
import type { CheckTask } from '../domain/check';
import { LIVE_TASK_STATUSES, LiveTaskStore, type IndexedTask, type RawIndexedTask } from './live-task-store';

/** The fields the index reads of a task. */
export const LIVE_TASK_FIELDS = {
  subjectId: 1,
  departmentId: 1,
  status: 1,
  entryId: 1,
  entry: 1,
  measures: 1,
  underObjection: 1,
} as const;

export class LiveTaskIndex {
  private readonly store = new LiveTaskStore();
  private stream?: ChangeStream;
  private timer?: NodeJS.Timeout;
  private lastHeartbeat = 0;
  private stopped = false;
  readonly id = randomUUID();

  constructor(
    private readonly db: Db,
    private readonly maxLagMs = 1000,
    private readonly heartbeatMs = 200,
  ) {}

  get size(): number {
    return this.store.size;
  }

  /** True while the index provably reflects every change older than `maxLagMs`. */
  fresh(now = Date.now()): boolean {
    return this.stream !== undefined && now - this.lastHeartbeat <= this.maxLagMs;
  }

  /** Milliseconds since the last heartbeat seen on the stream (Infinity before the first). */
  lagMs(now = Date.now()): number {
    return this.lastHeartbeat ? now - this.lastHeartbeat : Infinity;
  }

  lookup(subjectId: string, departmentId: string): CheckTask[] | undefined {
    return this.fresh() ? this.store.lookup(subjectId, departmentId) : undefined;
  }

  async start(): Promise<this> {
    const hb = this.db.collection<{ _id: string; writtenAt: number; at: Date }>('index_heartbeats');
    await hb.createIndex({ at: 1 }, { expireAfterSeconds: 3600 });
    await this.open();
    const beat = () =>
      void hb
        .updateOne({ _id: this.id }, { $set: { writtenAt: Date.now(), at: new Date() } }, { upsert: true })
        .catch(() => undefined);
    this.timer = setInterval(beat, this.heartbeatMs);
    this.timer.unref();
    beat();
    return this;
  }

  /** Loads the live tasks and watches from the load's operation time, so no change falls between. */
  private async open(): Promise<void> {
    const { operationTime } = (await this.db.command({ ping: 1 })) as { operationTime?: Timestamp };
    if (!operationTime) throw new Error('the live task index needs MongoDB as a replica set (change streams)');
    this.store.clear();
    // measures stay raw BSON until a list is seen for the first time (db/live-task-store.ts applyRaw)
    const cursor = this.db
      .collection<RawIndexedTask>('tasks')
      .find(
        { status: { $in: [...LIVE_TASK_STATUSES] } },
        { projection: LIVE_TASK_FIELDS, fieldsAsRaw: { measures: true }, batchSize: 10_000 },
      );
    for await (const doc of cursor) this.store.applyRaw(doc);
    const stream = this.db.watch([{ $match: { 'ns.coll': { $in: ['tasks', 'index_heartbeats'] } } }], {
      fullDocument: 'updateLookup',
      startAtOperationTime: operationTime,
    });
    stream.on('change', (c: Document) => this.onChange(c));
    stream.on('error', (e) => {
      if (this.stopped || this.stream !== stream) return;
      // until reopened, fresh() is false and checks read MongoDB directly
      console.error('[live-task-index] change stream failed, reloading in 1 s:', e.message);
      this.stream = undefined;
      void stream.close().catch(() => undefined);
      this.reopenLater();
    });
    this.stream = stream;
  }

  private reopenLater(): void {
    setTimeout(() => {
      if (this.stopped) return;
      this.open().catch((e) => {
        console.error('[live-task-index] reload failed, retrying:', (e as Error).message);
        this.reopenLater();
      });
    }, 1000).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    const s = this.stream;
    this.stream = undefined;
    await s?.close();
  }

  private onChange(c: Document): void {
    if (c.ns?.coll === 'index_heartbeats') {
      if (c.documentKey?._id === this.id && c.fullDocument?.writtenAt)
        this.lastHeartbeat = Math.max(this.lastHeartbeat, c.fullDocument.writtenAt);
      return;
    }
    const id = c.documentKey?._id as string;
    if (c.operationType === 'delete' || !c.fullDocument) this.store.remove(id);
    else this.store.apply(c.fullDocument as IndexedTask);
  }
}
