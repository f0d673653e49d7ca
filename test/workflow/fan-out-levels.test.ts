/**
 * The listing workflow's fan-out across levels (domain/fan-out.ts) on the real time-skipping server with the
 * real activities and mongod: a listing without a region reaches the city level only (as every listing did
 * before the organisation tree), one naming a county reaches the city's and that county's departments.
 * The small catalogue has two lists, alpha and beta.
 */
import mongoose from 'mongoose';
import { TaskModel } from '../../db/models';
import { removeUpdate, stateQuery } from '../../workflows/listing';
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
