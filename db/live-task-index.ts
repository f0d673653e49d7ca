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
 *
 * Starting: from the newest snapshot in MongoDB when there is one (db/live-index-snapshot.ts: its chunks,
 * then the change stream from the snapshot's resume token), else from the tasks. Every `snapshotEveryMs`
 * some fresh process writes a new snapshot (whichever finds the newest one older than that), so a process
 * starting replays at most that much of the change stream.
 */
import { randomUUID } from 'node:crypto';
import type { ChangeStream, Db, Document, Timestamp } from 'mongodb';
import type { CheckTask } from '../domain/check';
import { LIVE_TASK_STATUSES, LiveTaskStore, type IndexedTask, type RawIndexedTask } from './live-task-store';
import {
  ensureSnapshotIndexes,
  latestSnapshot,
  restoreSnapshot,
  writeSnapshot,
  type SnapshotMeta,
} from './live-index-snapshot';

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

export interface LiveTaskIndexOptions {
  /** how old the last heartbeat seen may be for the index to answer (default 1 s) */
  maxLagMs?: number;
  heartbeatMs?: number;
  /** how often a snapshot is written (default 10 minutes; 0: never, and none is read) */
  snapshotEveryMs?: number;
}

/** Default time between snapshots: what a starting process replays at most. */
export const SNAPSHOT_EVERY_MS = 10 * 60_000;

export class LiveTaskIndex {
  private readonly store = new LiveTaskStore();
  private stream?: ChangeStream;
  private timer?: NodeJS.Timeout;
  private snapshotTimer?: NodeJS.Timeout;
  private lastHeartbeat = 0;
  private stopped = false;
  private writing = false;
  private readonly maxLagMs: number;
  private readonly heartbeatMs: number;
  private readonly snapshotEveryMs: number;
  /** Where the last (re)load started from: a snapshot (its id) or the tasks. */
  loadedFrom: { snapshot: string } | 'tasks' = 'tasks';
  readonly id = randomUUID();

  constructor(
    private readonly db: Db,
    opts: LiveTaskIndexOptions = {},
  ) {
    this.maxLagMs = opts.maxLagMs ?? 1000;
    this.heartbeatMs = opts.heartbeatMs ?? 200;
    this.snapshotEveryMs = opts.snapshotEveryMs ?? SNAPSHOT_EVERY_MS;
  }

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
    if (this.snapshotEveryMs > 0) await ensureSnapshotIndexes(this.db);
    await this.open(this.snapshotEveryMs > 0);
    const beat = () =>
      void hb
        .updateOne({ _id: this.id }, { $set: { writtenAt: Date.now(), at: new Date() } }, { upsert: true })
        .catch(() => undefined);
    this.timer = setInterval(beat, this.heartbeatMs);
    this.timer.unref();
    beat();
    if (this.snapshotEveryMs > 0) {
      // looked at four times a period: the process that finds the newest snapshot too old writes one
      this.snapshotTimer = setInterval(
        () =>
          void this.snapshotIfDue().catch((e) =>
            console.error('[live-task-index] snapshot failed:', (e as Error).message),
          ),
        Math.max(1000, this.snapshotEveryMs / 4),
      );
      this.snapshotTimer.unref();
    }
    return this;
  }

  /** Writes a snapshot when this index is fresh and the newest one is older than the period. */
  async snapshotIfDue(now = new Date()): Promise<SnapshotMeta | undefined> {
    if (this.writing || !this.fresh()) return undefined;
    const latest = await latestSnapshot(this.db);
    if (latest && now.getTime() - latest.takenAt.getTime() < this.snapshotEveryMs) return undefined;
    return this.snapshot();
  }

  /** Writes a snapshot now, if the index is fresh (else undefined: a snapshot of a stale index would mislead). */
  async snapshot(): Promise<SnapshotMeta | undefined> {
    const token = this.stream?.resumeToken;
    if (this.writing || !token || !this.fresh()) return undefined;
    this.writing = true;
    try {
      return await writeSnapshot(this.db, this.store, token, this.id);
    } finally {
      this.writing = false;
    }
  }

  /**
   * From the newest snapshot and its resume token when `fromSnapshot` and there is one; else loads the
   * live tasks and watches from the load's operation time. Either way no change falls between.
   */
  private async open(fromSnapshot = false): Promise<void> {
    const meta = fromSnapshot ? await latestSnapshot(this.db) : undefined;
    if (meta && (await restoreSnapshot(this.db, meta, this.store))) {
      this.loadedFrom = { snapshot: meta._id };
      this.watch({ startAfter: meta.resumeToken });
      return;
    }
    const { operationTime } = (await this.db.command({ ping: 1 })) as { operationTime?: Timestamp };
    if (!operationTime) throw new Error('the live task index needs MongoDB as a replica set (change streams)');
    this.loadedFrom = 'tasks';
    this.store.clear();
    // measures stay raw BSON until a list is seen for the first time (db/live-task-store.ts applyRaw)
    const cursor = this.db
      .collection<RawIndexedTask>('tasks')
      .find(
        { status: { $in: [...LIVE_TASK_STATUSES] } },
        { projection: LIVE_TASK_FIELDS, fieldsAsRaw: { measures: true }, batchSize: 10_000 },
      );
    for await (const doc of cursor) this.store.applyRaw(doc);
    this.watch({ startAtOperationTime: operationTime });
  }

  /** The change stream of the tasks and the heartbeats, from `from`. */
  private watch(from: { startAtOperationTime: Timestamp } | { startAfter: SnapshotMeta['resumeToken'] }): void {
    const stream = this.db.watch([{ $match: { 'ns.coll': { $in: ['tasks', 'index_heartbeats'] } } }], {
      fullDocument: 'updateLookup',
      ...from,
    });
    stream.on('change', (c: Document) => this.onChange(c));
    stream.on('error', (e) => {
      if (this.stopped || this.stream !== stream) return;
      // until reopened, fresh() is false and checks read MongoDB directly; a snapshot's token too old for the
      // oplog fails here too, and the reload reads the tasks
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
    if (this.snapshotTimer) clearInterval(this.snapshotTimer);
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
