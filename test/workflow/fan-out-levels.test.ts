/**
 * The listing workflow's fan-out across levels (domain/fan-out.ts) on the real time-skipping server with the
 * real activities and mongod: a listing without a region reaches the city level only (as every listing did
 * before the organisation tree), one naming a county reaches the city's and that county's departments.
 * The small catalogue has two lists, alpha and beta.
 */
import mongoose from 'mongoose';
import { TaskModel } from '../../db/models';
import { FAN_OUT_TO_REGION, removeUpdate, stateQuery } from '../../workflows/listing';
import { connectTestDb } from '../support/mongo';
import { eventually } from '../support/eventually';
import {
  listingRequest,
  prepareWorkflowTests,
  recordHistory,
  sleepUntil,
  startListing,
  withWorker,
} from '../support/workflow-env';

const T0 = '2026-09-28T02:00:00Z'; // Mon 28 Sep 2026, 10:00 CST; the notice window ends Sat 10 Oct 24:00 CST

beforeAll(async () => {
  await connectTestDb('fan_out_levels');
  await prepareWorkflowTests();
});
afterAll(() => mongoose.disconnect());

it('fans a listing without a region out to the city level only, after its notice window', async () => {
  await withWorker(T0, async (env) => {
    const h = await startListing(env, { request: listingRequest() });
    const entryId = (await h.query(stateQuery)).entryId;
    await sleepUntil(env, '2026-10-10T16:01:00Z');
    const s = await h.query(stateQuery);
    expect(s.status).toBe('active');
    expect(s.tasks.map((t) => [t.departmentId, t.departmentName])).toEqual([
      ['alpha', '测试甲局'],
      ['beta', '测试乙局'],
    ]);
    await eventually(async () => expect(await TaskModel.countDocuments({ entryId })).toBe(2));
    await h.executeUpdate(removeUpdate, { args: [{ by: '信用办', reason: '测试结束' }] });
    expect((await h.result()).closeReason).toBe('removed');
    await recordHistory(h, 'listing-city-fan-out-before-levels.json');
  });
});

it('fans a listing naming a county out to the city level and that county, no other', async () => {
  const nodes = mongoose.connection.db!.collection('organisations');
  const node = (id: string, level: string, departments: Array<[string, string, string]>) => ({
    _id: id,
    name: id,
    level,
    parentId: level === 'city' ? null : 'cangzhou',
    creditOffice: { name: `${id}信用办` },
    departments: departments.map(([did, name, measuresList]) => ({ id: did, name, measuresList })),
    position: 0,
    version: 1,
    updatedAt: T0,
    updatedBy: 'test',
  });
  await nodes.insertMany([
    node('cangzhou', 'city', [
      ['alpha', '市甲局', 'alpha'],
      ['beta', '市乙局', 'beta'],
    ]),
    node('botou', 'county', [['botou-alpha', '泊头甲局', 'alpha']]),
    node('renqiu', 'county', [
      ['renqiu-alpha', '任丘甲局', 'alpha'],
      ['renqiu-beta', '任丘乙局', 'beta'],
    ]),
  ] as never[]);
  try {
    await withWorker(T0, async (env) => {
      const h = await startListing(env, { request: listingRequest({ region: 'botou' }) });
      const entryId = (await h.query(stateQuery)).entryId;
      await sleepUntil(env, '2026-10-10T16:01:00Z');
      const s = await h.query(stateQuery);
      expect(s.status).toBe('active');
      expect(s.tasks.map((t) => [t.departmentId, t.departmentName, t.measures.map((m) => m.id)])).toEqual([
        ['alpha', '市甲局', ['alpha.no-procurement', 'alpha.no-subsidy']],
        ['beta', '市乙局', expect.any(Array)],
        ['botou-alpha', '泊头甲局', ['alpha.no-procurement', 'alpha.no-subsidy']],
      ]);
      await eventually(async () =>
        expect((await TaskModel.find({ entryId }).lean()).map((t) => t._id).sort()).toEqual([
          `${entryId}:alpha`,
          `${entryId}:beta`,
          `${entryId}:botou-alpha`,
        ]),
      );
      await h.executeUpdate(removeUpdate, { args: [{ by: '信用办', reason: '测试结束' }] });
      expect((await h.result()).closeReason).toBe('removed');
      const { events } = await h.fetchHistory();
      const patches = (events ?? []).flatMap((e) => {
        const data = e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data;
        return data ? [(JSON.parse(Buffer.from(data).toString('utf8')) as { id: string }).id] : [];
      });
      expect(patches).toContain(FAN_OUT_TO_REGION);
    });
  } finally {
    await nodes.deleteMany({});
  }
});
