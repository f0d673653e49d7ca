/**
 * The organisation tree in MongoDB (`organisations`, `_id` the node id), and its migration.
 *
 * The migration (run at every start, idempotent) makes the tree exist without losing anything: the city
 * node takes the catalogue's departments with their ids unchanged (so running listings' tasks, inboxes and
 * department tokens stay valid), a catalogue department no node holds becomes a city department, and the
 * seed's counties and zones are added when missing. What the office changed is never overwritten.
 * Each node carries a `version`; a replacement names the version it replaces.
 */
import type { Collection } from 'mongodb';
import mongoose from 'mongoose';
import { CITY_ID, seedCity, seedRegions } from '../domain/cangzhou-divisions';
import { catalogueAsCity } from '../domain/fan-out';
import { OrgTree, type OrgNode } from '../domain/organisation';
import { insertOnce } from './insert-once';

export interface OrgNodeDoc extends Omit<OrgNode, 'id'> {
  _id: string;
  /** Order in the tree's listings: the city first, then the seed's order, then later additions. */
  position: number;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

const collection = (): Collection<OrgNodeDoc> => mongoose.connection.db!.collection<OrgNodeDoc>('organisations');

export const toOrgNode = ({ _id, name, level, parentId, creditOffice, departments }: OrgNodeDoc): OrgNode => ({
  id: _id,
  name,
  level,
  parentId,
  creditOffice,
  departments,
});

export async function orgNodeDocs(): Promise<OrgNodeDoc[]> {
  return collection().find({}).sort({ position: 1, _id: 1 }).toArray();
}

export async function loadOrgTree(): Promise<OrgTree> {
  return new OrgTree((await orgNodeDocs()).map(toOrgNode));
}

/** The city node and one region, for a listing's fan-out (two small documents, by id). */
export async function fanOutNodes(region?: string): Promise<{ city?: OrgNode; region?: OrgNode }> {
  const docs = await collection()
    .find({ _id: { $in: region ? [CITY_ID, region] : [CITY_ID] } })
    .toArray();
  const city = docs.find((d) => d.level === 'city');
  const reg = region ? docs.find((d) => d._id === region && d.level !== 'city') : undefined;
  return { city: city && toOrgNode(city), region: reg && toOrgNode(reg) };
}

export interface MigrationResult {
  cityCreated: boolean;
  departmentsAdded: string[];
  regionsAdded: string[];
}

/** Makes the tree exist and hold every catalogue department (see the header). Safe to run again and at once. */
export async function migrateOrganisations(
  catalogueDepartments: ReadonlyArray<{ id: string; name: string }>,
  at = new Date().toISOString(),
): Promise<MigrationResult> {
  const col = collection();
  const lists = new Set(catalogueDepartments.map((d) => d.id));
  const meta = { version: 1, updatedAt: at, updatedBy: '数据迁移' };
  const { id: _id, ...city } = seedCity(catalogueAsCity(catalogueDepartments));
  const created = await col.updateOne(
    { _id: CITY_ID },
    { $setOnInsert: { ...city, position: 0, ...meta } as never },
    { upsert: true },
  );
  const result: MigrationResult = { cityCreated: created.upsertedCount === 1, departmentsAdded: [], regionsAdded: [] };
  // a catalogue department that no node holds (a measures file added later) joins the city level
  const held = new Set(
    (await col.find({}, { projection: { departments: 1 } }).toArray()).flatMap((n) => n.departments.map((d) => d.id)),
  );
  for (const d of catalogueAsCity(catalogueDepartments)) {
    if (held.has(d.id)) continue;
    const r = await col.updateOne(
      { _id: CITY_ID, 'departments.id': { $ne: d.id } },
      { $push: { departments: d }, $inc: { version: 1 }, $set: { updatedAt: at, updatedBy: '数据迁移' } },
    );
    if (r.modifiedCount === 1) result.departmentsAdded.push(d.id);
  }
  const regions = seedRegions(lists);
  for (const [i, { id, ...node }] of regions.entries()) {
    const r = await col.updateOne(
      { _id: id },
      { $setOnInsert: { ...node, position: i + 1, ...meta } as never },
      { upsert: true },
    );
    if (r.upsertedCount === 1) result.regionsAdded.push(id);
  }
  return result;
}

export class StaleVersionError extends Error {}

/**
 * Writes a node: a new one (version 1) when `expectedVersion` is undefined and the id is free, else the
 * replacement of exactly that version. A concurrent change answers StaleVersionError.
 */
export async function writeOrgNode(node: OrgNode, by: string, expectedVersion?: number): Promise<OrgNodeDoc> {
  const col = collection();
  const { id, ...fields } = node;
  const updatedAt = new Date().toISOString();
  if (expectedVersion === undefined) {
    const last = await col.find({}).sort({ position: -1 }).limit(1).next();
    const doc: OrgNodeDoc = {
      _id: id,
      ...fields,
      position: (last?.position ?? 0) + 1,
      version: 1,
      updatedAt,
      updatedBy: by,
    };
    if (!(await insertOnce(col, doc))) throw new StaleVersionError(id);
    return doc;
  }
  const after = await col.findOneAndUpdate(
    { _id: id, version: expectedVersion },
    { $set: { ...fields, updatedAt, updatedBy: by }, $inc: { version: 1 } },
    { returnDocument: 'after' },
  );
  if (!after) throw new StaleVersionError(id);
  return after;
}

export async function orgNodeDoc(id: string): Promise<OrgNodeDoc | null> {
  return collection().findOne({ _id: id });
}
