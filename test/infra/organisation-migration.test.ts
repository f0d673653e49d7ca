/**
 * The organisation migration (db/organisations.ts) on a real mongod, starting from what a deployment holds
 * before the tree existed: the catalogue's departments, a running listing of the city and its tax task.
 * After it, the city level holds today's departments under their old ids, so the task, its inbox and the
 * department's token (bound to `tax`) stay valid; the counties and zones are added; a second run changes
 * nothing and the office's own edits are kept.
 */
import mongoose from 'mongoose';
import { ListingModel, TaskModel } from '../../db/models';
import { loadOrgTree, migrateOrganisations, orgNodeDoc, writeOrgNode } from '../../db/organisations';
import { fanOutNodes } from '../../db/organisations';
import { loadCatalogue } from '../../measures/catalogue';
import { connectTestDb } from '../support/mongo';

const catalogue = loadCatalogue();
const AT = '2026-12-01T00:00:00.000Z';

beforeAll(() => connectTestDb('organisation_migration'));
afterAll(() => mongoose.disconnect());

it("makes today's departments the city level's without touching running listings and tasks", async () => {
  const entryId = 'E0123456789abcdef0123';
  await ListingModel.collection.insertOne({ _id: entryId as never, entryId, status: 'active', rev: 3 });
  await TaskModel.collection.insertOne({
    _id: `${entryId}:tax` as never,
    entryId,
    departmentId: 'tax',
    status: 'pending',
  });

  const first = await migrateOrganisations(catalogue.departments, AT);
  expect(first.cityCreated).toBe(true);
  expect(first.departmentsAdded).toEqual([]);
  expect(first.regionsAdded).toHaveLength(19);

  const tree = await loadOrgTree();
  expect(tree.nodes[0]).toMatchObject({ id: 'cangzhou', name: '沧州市', level: 'city', parentId: null });
  expect(tree.city()!.departments).toHaveLength(14);
  expect(tree.city()!.departments.map((d) => d.id)).toEqual(catalogue.departments.map((d) => d.id));
  expect(tree.department('tax')).toEqual({ id: 'tax', name: '沧州市税务局', measuresList: 'tax' });
  expect(tree.nodeOf('tax')?.id).toBe('cangzhou');
  expect(tree.nodeOf('botou-tax')?.id).toBe('botou');
  // the running listing and its task are as they were: same ids, same department
  expect(await TaskModel.findById(`${entryId}:tax`).lean()).toMatchObject({ departmentId: 'tax', status: 'pending' });
  expect(await ListingModel.findById(entryId).lean()).toMatchObject({ status: 'active', rev: 3 });
  // a listing without a region keeps fanning out to exactly the city level
  const { city, region } = await fanOutNodes(undefined);
  expect(city?.departments.map((d) => d.id)).toEqual(catalogue.departments.map((d) => d.id));
  expect(region).toBeUndefined();
});

it('changes nothing when run again, keeps the office edits, adds a new catalogue department to the city', async () => {
  const botou = (await orgNodeDoc('botou'))!;
  const { _id, position: _p, version, updatedAt: _u, updatedBy: _b, ...fields } = botou;
  await writeOrgNode({ id: _id, ...fields, creditOffice: { name: '泊头市社会信用体系建设办公室' } }, '信用办', version);

  const again = await migrateOrganisations(catalogue.departments, AT);
  expect(again).toEqual({ cityCreated: false, departmentsAdded: [], regionsAdded: [] });
  expect((await orgNodeDoc('botou'))!.creditOffice.name).toBe('泊头市社会信用体系建设办公室');
  expect((await orgNodeDoc('cangzhou'))!.version).toBe(1);

  const withNew = [...catalogue.departments, { id: 'statistics', name: '沧州市统计局' }];
  const third = await migrateOrganisations(withNew, AT);
  expect(third.departmentsAdded).toEqual(['statistics']);
  const city = (await orgNodeDoc('cangzhou'))!;
  expect(city.departments.at(-1)).toEqual({ id: 'statistics', name: '沧州市统计局', measuresList: 'statistics' });
  expect(city.version).toBe(2);
});
