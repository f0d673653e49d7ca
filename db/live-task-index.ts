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
 * Storage is by entry, not by task: an entry holds its live departments' measure lists, and identical
 * lists are shared between entries. A million subjects with 100,000 entries make about 100,000 small
 * objects instead of millions, which keeps garbage-collection pauses out of the check's tail latency.
 */
import { randomUUID } from 'node:crypto';
import type { ChangeStream, Db, Document, Timestamp } from 'mongodb';
import type { CheckTask } from '../domain/check';

const LIVE = new Set(['pending', 'acknowledged']);
const FIELDS = {
  subjectId: 1,
  departmentId: 1,
  status: 1,
  entryId: 1,
  entry: 1,
  measures: 1,
  underObjection: 1,
} as const;

type TaskDoc = CheckTask & { _id: string; subjectId: string; departmentId: string; status: string };
type Measures = CheckTask['measures'];

interface EntryRec {
  entryId: string;
  subjectId: string;
  entry: CheckTask['entry'];
  /** department → its measures for this entry (lists shared between entries) */
  depts: Map<string, Measures>;
  /** departments whose task is flagged "under objection" (usually none) */
  objected?: Set<string>;
}

/** Task ids are `<entryId>:<departmentId>`; entry ids never contain a colon. */
const splitTaskId = (taskId: string): [string, string] => {
  const i = taskId.indexOf(':');
  return [taskId.slice(0, i), taskId.slice(i + 1)];
};

export class LiveTaskIndex {
  private bySubject = new Map<string, EntryRec[]>();
  private entries = new Map<string, EntryRec>();
  private measureLists = new Map<string, Measures>(); // interned by content
  private liveTasks = 0;
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
    return this.liveTasks;
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
    if (!this.fresh()) return undefined;
    const out: CheckTask[] = [];
    for (const r of this.bySubject.get(subjectId) ?? []) {
      const measures = r.depts.get(departmentId);
      if (!measures) continue;
      const task: CheckTask = { entryId: r.entryId, entry: r.entry, measures };
      if (r.objected?.has(departmentId)) task.underObjection = true;
      out.push(task);
    }
    return out;
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
    this.bySubject.clear();
    this.entries.clear();
    this.liveTasks = 0;
    const cursor = this.db.collection<TaskDoc>('tasks').find({ status: { $in: [...LIVE] } }, { projection: FIELDS });
    for await (const doc of cursor) this.apply(doc);
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
    if (c.operationType === 'delete' || !c.fullDocument) this.remove(id);
    else this.apply(c.fullDocument as TaskDoc);
  }

  private apply(doc: TaskDoc): void {
    this.remove(doc._id);
    if (!LIVE.has(doc.status)) return;
    let rec = this.entries.get(doc.entryId);
    if (!rec) {
      rec = { entryId: doc.entryId, subjectId: doc.subjectId, entry: doc.entry, depts: new Map() };
      this.entries.set(doc.entryId, rec);
      const list = this.bySubject.get(doc.subjectId);
      if (list) list.push(rec);
      else this.bySubject.set(doc.subjectId, [rec]);
    }
    rec.entry = doc.entry; // the latest (a correction changes the expiry)
    const key = doc.measures.map((m) => `${m.id}\u0001${m.title}`).join('\u0000');
    let measures = this.measureLists.get(key);
    if (!measures) this.measureLists.set(key, (measures = doc.measures));
    rec.depts.set(doc.departmentId, measures);
    if (doc.underObjection) (rec.objected ??= new Set()).add(doc.departmentId);
    this.liveTasks++;
  }

  private remove(taskId: string): void {
    const [entryId, departmentId] = splitTaskId(taskId);
    const rec = this.entries.get(entryId);
    if (!rec || !rec.depts.delete(departmentId)) return;
    this.liveTasks--;
    rec.objected?.delete(departmentId);
    if (rec.depts.size > 0) return;
    this.entries.delete(entryId);
    const list = this.bySubject.get(rec.subjectId)!.filter((r) => r !== rec);
    if (list.length) this.bySubject.set(rec.subjectId, list);
    else this.bySubject.delete(rec.subjectId);
  }
}
