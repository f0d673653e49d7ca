/**
 * Inserting a document whose `_id` (or another unique key) is its business key: the write is idempotent
 * by that key, and MongoDB's duplicate-key error (E11000) says the key was taken, by an earlier delivery
 * or by a racing writer.
 */
import type { Collection, Document } from 'mongodb';

/** Inserts `doc`; false when a document with its unique key is already stored. */
export async function insertOnce<T extends Document>(collection: Collection<T>, doc: T): Promise<boolean> {
  try {
    await collection.insertOne(doc as never);
    return true;
  } catch (e) {
    if ((e as { code?: number }).code === 11000) return false;
    throw e;
  }
}
