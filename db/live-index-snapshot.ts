/**
 * Snapshots of the live task index in MongoDB, so that an API process starting beside a city's 1.4
 * million live tasks is fresh in seconds instead of reading every task (issue 16).
 *
 * A snapshot is the store's entries (db/live-task-store.ts `slices`), written in chunks of a few thousand
 * entries as JSON, with the change stream's resume token taken before the first chunk. The slices are a
 * fuzzy copy: the index keeps applying changes while they are written. A process that restores it opens
 * its change stream after that token, so every change since the first chunk is applied again over the
 * copy. That is exact, because a change sets a task to its state as it is now (`updateLookup`) or
 * removes it, whatever the copy held. The metadata document is written last: a snapshot without it (a
 * writer stopped half-way) is never read.
 *
 * A token too old for the oplog makes the change stream fail at once; the index then loads from the tasks
 * as before (db/live-task-index.ts), so a stale snapshot costs the time of a full load, never a wrong answer.
 */
import type { Db, ResumeToken } from 'mongodb';
import type { LiveTaskStore, StoreSlice } from './live-task-store';

export const SNAPSHOTS = 'live_index_snapshots';
export const SNAPSHOT_CHUNKS = 'live_index_snapshot_chunks';
/** Entries per chunk: about 1 MB of JSON with 14 departments each (a BSON document holds 16). */
const ENTRIES_PER_CHUNK = 2_000;
/** The form of the chunks; a process meeting another skips the snapshot and loads from the tasks. */
const FORMAT = 1;

export interface SnapshotMeta {
  _id: string;
  format: number;
  takenAt: Date;
  resumeToken: ResumeToken;
  chunks: number;
  entries: number;
  /** live tasks held when the last chunk was written */
  tasks: number;
  /** the index (process) that wrote it */
  by: string;
}

interface SnapshotChunk {
  _id: string;
  snapshot: string;
  n: number;
  takenAt: Date;
  data: string;
}

const metas = (db: Db) => db.collection<SnapshotMeta>(SNAPSHOTS);
const chunks = (db: Db) => db.collection<SnapshotChunk>(SNAPSHOT_CHUNKS);

/**
 * Writes a snapshot of `store`, taken after `resumeToken` (every change up to it applied), then deletes
 * the older ones. Yields between chunks, so the index keeps applying changes while it writes.
 */
export async function writeSnapshot(
  db: Db,
  store: LiveTaskStore,
  resumeToken: ResumeToken,
  by: string,
  now = new Date(),
): Promise<SnapshotMeta> {
  const id = `${now.getTime().toString(36)}-${by.slice(0, 8)}`;
  let n = 0;
  let entries = 0;
  for (const slice of store.slices(ENTRIES_PER_CHUNK)) {
    entries += slice.rows.length;
    await chunks(db).insertOne({ _id: `${id}:${n}`, snapshot: id, n, takenAt: now, data: JSON.stringify(slice) });
    n++;
  }
  const meta: SnapshotMeta = {
    _id: id,
    format: FORMAT,
    takenAt: now,
    resumeToken,
    chunks: n,
    entries,
    tasks: store.size,
    by,
  };
  await metas(db).insertOne(meta);
  // older snapshots go, and chunks of writers that stopped half-way; a newer one being written stays
  await metas(db).deleteMany({ takenAt: { $lt: now } });
  await chunks(db).deleteMany({ takenAt: { $lt: now } });
  return meta;
}

/** The newest complete snapshot's metadata, if there is one of this form. */
export async function latestSnapshot(db: Db): Promise<SnapshotMeta | undefined> {
  const meta = await metas(db).find({ format: FORMAT }).sort({ takenAt: -1 }).limit(1).next();
  return meta ?? undefined;
}

/**
 * Restores `meta`'s snapshot into `store` (cleared first). False, with the store cleared, when a chunk is
 * missing (deleted by a newer snapshot meanwhile): the caller loads from the tasks instead.
 */
export async function restoreSnapshot(db: Db, meta: SnapshotMeta, store: LiveTaskStore): Promise<boolean> {
  store.clear();
  let expected = 0;
  for await (const chunk of chunks(db).find({ snapshot: meta._id }).sort({ n: 1 })) {
    if (chunk.n !== expected) break;
    store.restore(JSON.parse(chunk.data) as StoreSlice);
    expected++;
  }
  if (expected === meta.chunks) return true;
  store.clear();
  return false;
}

/** Indexes of the two collections: newest first, and a snapshot's chunks in order. */
export async function ensureSnapshotIndexes(db: Db): Promise<void> {
  await metas(db).createIndex({ format: 1, takenAt: -1 });
  await chunks(db).createIndex({ snapshot: 1, n: 1 });
  await chunks(db).createIndex({ takenAt: 1 });
}
