/**
 * Measures list editions in MongoDB (`measure_editions`, `_id` `<departmentId>:<number>`), city-wide
 * measure suspensions (`measure_suspensions`, `_id` the measure id) and one counter document
 * (`catalogue_state`, `_id` "catalogue") that every publication and suspension bumps in the same
 * transaction: readers of the catalogue reload when it moved, and two publications of one department
 * cannot both pass the overlap check (the second one's transaction conflicts and re-reads).
 *
 * Every state change is one conditional update (or one transaction), so a refused or interrupted
 * change leaves the edition as it was.
 */
import type { ClientSession, Collection } from 'mongodb';
import mongoose from 'mongoose';
import { editionId, SEED_EFFECTIVE_FROM, type EditionDoc, type EditionStatus } from '../domain/measure-edition';
import type { Catalogue } from '../measures/catalogue';
import { insertOnce } from './insert-once';

export interface SuspensionDoc {
  _id: string;
  measureId: string;
  departmentId: string;
  reason: string;
  by: { sub: string; name: string };
  at: string;
  /** The re-matching run that lifts it from running listings (`rematch-suspension-<measureId>`). */
  rematchWorkflowId: string;
  /** How many times the measure has been suspended, this one included (absent: the first). */
  round?: number;
}

/** A suspension the office lifted (`measure_suspension_lifts`, `_id` `<measureId>:<round>`): kept for the record. */
export interface SuspensionLiftDoc {
  _id: string;
  measureId: string;
  suspension: Omit<SuspensionDoc, '_id'>;
  reason: string;
  by: { sub: string; name: string };
  at: string;
  /** The re-matching run giving the measure back to running listings that match it. */
  rematchWorkflowId: string;
  /** The list categories of the measure as in force when lifted: the listings the run visits. */
  categories: string[];
}

interface CatalogueStateDoc {
  _id: 'catalogue';
  version: number;
}

const db = () => mongoose.connection.db!;
export const editions = (): Collection<EditionDoc> => db().collection<EditionDoc>('measure_editions');
export const suspensions = (): Collection<SuspensionDoc> => db().collection<SuspensionDoc>('measure_suspensions');
export const suspensionLifts = (): Collection<SuspensionLiftDoc> =>
  db().collection<SuspensionLiftDoc>('measure_suspension_lifts');
const state = (): Collection<CatalogueStateDoc> => db().collection<CatalogueStateDoc>('catalogue_state');

/** Open = not yet published: a department has at most one. */
export const OPEN_STATUSES: EditionStatus[] = ['draft', 'submitted', 'returned', 'approved'];

export async function ensureEditionIndexes(): Promise<void> {
  await editions().createIndex({ departmentId: 1, number: 1 }, { unique: true });
  // one open edition per department, enforced by the database
  await editions().createIndex(
    { departmentId: 1 },
    { unique: true, name: 'one_open_edition', partialFilterExpression: { open: true } },
  );
}

/**
 * Edition 1 of every department from the files, inserted once (a later edit is never overwritten).
 * Returns how many were inserted.
 */
export async function seedEditions(c: Catalogue, at = new Date().toISOString()): Promise<number> {
  await ensureEditionIndexes();
  if (c.departments.length === 0) return 0;
  const r = await editions().bulkWrite(
    c.departments.map((d) => {
      const measures = c.measures.filter((m) => c.departmentOf.get(m.id)?.id === d.id);
      const doc: EditionDoc = {
        _id: editionId(d.id, 1),
        departmentId: d.id,
        departmentName: d.name,
        number: 1,
        label: c.editionLabelOf?.get(d.id) ?? '初始版本',
        status: 'published',
        measures,
        createdAt: at,
        createdBy: { sub: 'seed', name: '措施清单文件（measures/data）' },
        updatedAt: at,
        reviews: [],
        publishedAt: at,
        publishedBy: { sub: 'seed', name: '措施清单文件（measures/data）' },
        effectiveFrom: SEED_EFFECTIVE_FROM,
        runningListings: 'keep',
      };
      return { updateOne: { filter: { _id: doc._id }, update: { $setOnInsert: doc }, upsert: true } };
    }),
  );
  if (r.upsertedCount) await bumpVersion();
  return r.upsertedCount;
}

export async function catalogueVersion(): Promise<number> {
  return (await state().findOne({ _id: 'catalogue' }))?.version ?? 0;
}

async function bumpVersion(session?: ClientSession): Promise<void> {
  await state().updateOne({ _id: 'catalogue' }, { $inc: { version: 1 } }, { upsert: true, session });
}

export const getEdition = (departmentId: string, number: number) =>
  editions().findOne({ _id: editionId(departmentId, number) });

export async function listEditions(filter: { departmentId?: string; status?: EditionStatus }): Promise<EditionDoc[]> {
  return editions()
    .find(filter, { projection: { measures: 0 } })
    .sort({ departmentId: 1, number: -1 })
    .toArray() as Promise<EditionDoc[]>;
}

export const publishedEditions = (departmentId?: string) =>
  editions()
    .find({ status: 'published', ...(departmentId ? { departmentId } : {}) })
    .sort({ departmentId: 1, number: 1 })
    .toArray();

export const lastEdition = (departmentId: string) =>
  editions().find({ departmentId }).sort({ number: -1 }).limit(1).next();

export class EditionConflict extends Error {}

/** Inserts a new open edition; EditionConflict when the department already has one (or the number was taken). */
export async function insertEdition(doc: EditionDoc): Promise<void> {
  if (!(await insertOnce(editions(), { ...doc, open: true }))) throw new EditionConflict(doc._id);
}

/** Applies `set` when the edition is in one of `from`; the edition after, or null when it was not. */
export async function transition(
  id: string,
  from: EditionStatus[],
  set: Partial<EditionDoc>,
  push?: Partial<Pick<EditionDoc, 'reviews'>>,
): Promise<EditionDoc | null> {
  return editions().findOneAndUpdate(
    { _id: id, status: { $in: from } },
    { $set: set, ...(push?.reviews ? { $push: { reviews: { $each: push.reviews } } } : {}) },
    { returnDocument: 'after' },
  );
}

/**
 * Publishes an approved edition in one transaction: `check` sees the department's published editions
 * as the transaction reads them and returns a problem to refuse with (nothing is written then).
 */
export async function publishEdition(
  id: string,
  set: Pick<EditionDoc, 'effectiveFrom' | 'publishedAt' | 'publishedBy' | 'runningListings'> &
    Partial<Pick<EditionDoc, 'rematchWorkflowId'>>,
  check: (published: EditionDoc[]) => string | undefined,
): Promise<{ edition: EditionDoc } | { problem: string } | { notApproved: true }> {
  const session = mongoose.connection.getClient().startSession();
  try {
    let out: { edition: EditionDoc } | { problem: string } | { notApproved: true } = { notApproved: true };
    await session.withTransaction(async () => {
      const doc = await editions().findOne({ _id: id }, { session });
      if (!doc || doc.status !== 'approved') {
        out = { notApproved: true };
        return;
      }
      const published = await editions()
        .find({ departmentId: doc.departmentId, status: 'published' }, { session })
        .toArray();
      const problem = check(published);
      if (problem) {
        out = { problem };
        return;
      }
      await bumpVersion(session);
      const after = await editions().findOneAndUpdate(
        { _id: id, status: 'approved' },
        { $set: { ...set, status: 'published' }, $unset: { open: '' } },
        { session, returnDocument: 'after' },
      );
      out = { edition: after! };
    });
    return out;
  } finally {
    await session.endSession();
  }
}

/**
 * Inserts a suspension and bumps the catalogue version together; false when the measure is suspended
 * already. `ofRound` completes the document for the round it is (1 + the suspensions lifted before).
 */
export async function insertSuspension(ofRound: (round: number) => SuspensionDoc): Promise<SuspensionDoc | false> {
  const session = mongoose.connection.getClient().startSession();
  try {
    let inserted: SuspensionDoc | false = false;
    await session.withTransaction(async () => {
      inserted = false;
      const probe = ofRound(1);
      if (await suspensions().findOne({ _id: probe._id }, { session })) return;
      const lifted = await suspensionLifts().countDocuments({ measureId: probe.measureId }, { session });
      const doc = ofRound(lifted + 1);
      await suspensions().insertOne(doc, { session });
      await bumpVersion(session);
      inserted = doc;
    });
    return inserted;
  } finally {
    await session.endSession();
  }
}

/**
 * Lifts a suspension: removes it, keeps the record of it and bumps the catalogue version in one
 * transaction. `liftOf` builds the record from the suspension found; null when the measure is not suspended.
 */
export async function liftSuspension(
  measureId: string,
  liftOf: (s: SuspensionDoc) => SuspensionLiftDoc,
): Promise<SuspensionLiftDoc | null> {
  const session = mongoose.connection.getClient().startSession();
  try {
    let lifted: SuspensionLiftDoc | null = null;
    await session.withTransaction(async () => {
      lifted = null;
      const found = await suspensions().findOne({ _id: measureId }, { session });
      if (!found) return;
      const doc = liftOf(found);
      await suspensionLifts().insertOne(doc, { session });
      await suspensions().deleteOne({ _id: measureId }, { session });
      await bumpVersion(session);
      lifted = doc;
    });
    return lifted;
  } finally {
    await session.endSession();
  }
}

export const lastSuspensionLift = (measureId: string) =>
  suspensionLifts().find({ measureId }).sort({ at: -1 }).limit(1).next();

export const listSuspensions = () => suspensions().find({}).sort({ at: -1 }).toArray();
