/**
 * The data structure behind the live task index (db/live-task-index.ts), apart from MongoDB: live tasks
 * stored by entry, not by task. An entry holds its live departments' measure lists; identical lists
 * are shared between entries, by their whole content, so two entries that matched different editions
 * of one measure (same id and title, another legal basis) keep their own. A million subjects with
 * 100,000 entries make about 100,000 small objects instead of millions, which keeps garbage-collection
 * pauses out of the check's tail latency.
 */
import { BSON } from 'mongodb';
import stringify from 'safe-stable-stringify';
import type { CheckTask } from '../domain/check';

export const LIVE_TASK_STATUSES = ['pending', 'acknowledged'] as const;
const LIVE = new Set<string>(LIVE_TASK_STATUSES);

/** A task as the index reads it from MongoDB. */
export type IndexedTask = CheckTask & { _id: string; subjectId: string; departmentId: string; status: string };
/** The same task with its measures as raw BSON documents (the driver's `fieldsAsRaw`). */
export type RawIndexedTask = Omit<IndexedTask, 'measures'> & { measures: Uint8Array[] };
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

/**
 * Part of a snapshot of the store (db/live-index-snapshot.ts): entries as rows, with the measure lists they
 * use given once in `lists` and named by position. A row: entry id, subject, entry, its departments with
 * the position of their list, and the departments whose task is under objection.
 */
export interface StoreSlice {
  lists: Measures[];
  rows: Array<[string, string, CheckTask['entry'], Array<[string, number]>, string[]?]>;
}

/** Task ids are `<entryId>:<departmentId>`; entry ids never contain a colon. */
const splitTaskId = (taskId: string): [string, string] => {
  const i = taskId.indexOf(':');
  return [taskId.slice(0, i), taskId.slice(i + 1)];
};

export class LiveTaskStore {
  private bySubject = new Map<string, EntryRec[]>();
  private entries = new Map<string, EntryRec>();
  private measureLists = new Map<string, Measures>(); // interned by content
  private liveTasks = 0;

  /** Live tasks held. */
  get size(): number {
    return this.liveTasks;
  }

  /** Distinct measure lists held (shared between entries). */
  get distinctMeasureLists(): number {
    return this.measureLists.size;
  }

  clear(): void {
    this.bySubject.clear();
    this.entries.clear();
    this.liveTasks = 0;
  }

  /** The subject's live tasks of one department, one per entry. */
  lookup(subjectId: string, departmentId: string): CheckTask[] {
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

  /** The task as it is now: held while live, dropped once lifted. */
  apply(doc: IndexedTask): void {
    this.put(doc, doc.entry, `json:${stringify(doc.measures)}`, () => doc.measures);
  }

  /**
   * A task as the loader reads it: its measures still raw BSON, one buffer per measure. The list's key is
   * its bytes, so a list is decoded once, the first time those bytes are seen (the load of a million tasks
   * decodes each distinct list once instead of every task's copy). The same bytes always decode to the same
   * list; equal lists written with another key order are kept apart, which costs memory, not correctness.
   */
  applyRaw(doc: RawIndexedTask): void {
    let key = 'bson:';
    for (const b of doc.measures) key += Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
    this.put(doc, doc.entry, key, () => doc.measures.map((b) => BSON.deserialize(b) as Measures[number]));
  }

  private put(doc: Omit<IndexedTask, 'measures'>, entry: CheckTask['entry'], key: string, measures: () => Measures) {
    this.remove(doc._id);
    if (!LIVE.has(doc.status)) return;
    let rec = this.entries.get(doc.entryId);
    if (!rec) {
      rec = { entryId: doc.entryId, subjectId: doc.subjectId, entry, depts: new Map() };
      this.entries.set(doc.entryId, rec);
      const list = this.bySubject.get(doc.subjectId);
      if (list) list.push(rec);
      else this.bySubject.set(doc.subjectId, [rec]);
    }
    rec.entry = entry; // the latest (a correction changes the expiry)
    let list = this.measureLists.get(key);
    if (!list) this.measureLists.set(key, (list = measures()));
    rec.depts.set(doc.departmentId, list);
    if (doc.underObjection) (rec.objected ??= new Set()).add(doc.departmentId);
    this.liveTasks++;
  }

  /**
   * The store as slices of `size` entries, made one at a time as they are asked for: the store may change
   * between two slices (a change stream keeps applying), so the slices together are a fuzzy copy, which is
   * exact again once every change since the first slice is applied over it (db/live-index-snapshot.ts).
   */
  *slices(size: number): Generator<StoreSlice> {
    const it = this.entries.values();
    for (;;) {
      const slice: StoreSlice = { lists: [], rows: [] };
      const position = new Map<Measures, number>();
      for (let r = it.next(); ; r = it.next()) {
        if (r.done) {
          if (slice.rows.length) yield slice;
          return;
        }
        const rec = r.value;
        const depts: Array<[string, number]> = [];
        for (const [dept, list] of rec.depts) {
          let at = position.get(list);
          if (at === undefined) position.set(list, (at = slice.lists.push(list) - 1));
          depts.push([dept, at]);
        }
        const objected = rec.objected?.size ? [...rec.objected] : undefined;
        slice.rows.push(
          objected
            ? [rec.entryId, rec.subjectId, rec.entry, depts, objected]
            : [rec.entryId, rec.subjectId, rec.entry, depts],
        );
        if (slice.rows.length >= size) break;
      }
      yield slice;
    }
  }

  /** Puts a snapshot's slice into the store; an entry already held is replaced by the slice's. */
  restore(slice: StoreSlice): void {
    // keyed as apply() keys a list, so a list seen on the change stream later is the same object
    const keys = slice.lists.map((l) => `json:${stringify(l)}`);
    for (const [entryId, subjectId, entry, depts, objected] of slice.rows) {
      const old = this.entries.get(entryId);
      if (old) for (const dept of [...old.depts.keys()]) this.remove(`${entryId}:${dept}`);
      for (const [departmentId, at] of depts)
        this.put(
          {
            _id: `${entryId}:${departmentId}`,
            entryId,
            subjectId,
            departmentId,
            status: 'pending',
            entry,
            underObjection: objected?.includes(departmentId) ?? false,
          },
          entry,
          keys[at],
          () => slice.lists[at],
        );
    }
  }

  /** The task is gone (deleted, or no longer live). */
  remove(taskId: string): void {
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
