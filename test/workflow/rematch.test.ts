/**
 * Re-matching a running listing to a newly published measures list edition (措施清单版本), on the real
 * time-skipping server with the real activities writing to a real mongod.
 *
 * The first case also records, with XINLIAN_RECORD_HISTORIES=1, the replay fixture of a listing run
 * before re-matching existed (test/workflow/replay.test.ts replays it with the current code).
 */
import mongoose from 'mongoose';
import { FeedbackModel, TaskModel } from '../../db/models';
import { acknowledgeUpdate, feedbackUpdate, removeUpdate, stateQuery } from '../../workflows/listing';
import { connectTestDb } from '../support/mongo';
import { eventually } from '../support/eventually';
import { listingRequest, prepareWorkflowTests, recordHistory, startListing, withWorker } from '../support/workflow-env';

const T0 = '2026-11-02T02:00:00Z'; // Mon 2 Nov 2026, 10:00 CST

// the prior notice went out with the decision: the listing takes effect at once
const request = () =>
  listingRequest({
    decisionDocument: { number: `沧税稽罚〔2026〕${Math.floor(Math.random() * 1e9)}号`, date: '2026-10-01' },
    noticeServedOn: '2026-10-01',
    effectiveDate: '2026-10-12',
    validUntil: '2027-10-11',
  });

beforeAll(async () => {
  await connectTestDb('workflow-rematch');
  await prepareWorkflowTests();
});
afterAll(() => mongoose.disconnect());

it('runs a listing through fan-out, acknowledgement, feedback and removal', async () => {
  await withWorker(T0, async (env) => {
    const h = await startListing(env, { request: request() });
    await eventually(async () => expect((await h.query(stateQuery)).status).toBe('active'));
    const { entryId, tasks } = await h.query(stateQuery);
    expect(tasks.map((t) => t.departmentId)).toEqual(['alpha', 'beta']);
    await h.executeUpdate(acknowledgeUpdate, { args: [{ departmentId: 'alpha', by: '甲局经办人' }] });
    await h.executeUpdate(feedbackUpdate, {
      args: [
        {
          departmentId: 'alpha',
          by: '甲局经办人',
          matter: 'government_procurement.bid_award',
          measureIds: ['alpha.no-procurement'],
          appliedOn: '2026-11-02',
          outcome: '已拒绝其投标',
        },
      ],
    });
    expect(await FeedbackModel.countDocuments({ entryId })).toBe(1);
    await h.executeUpdate(removeUpdate, { args: [{ by: '信用办', reason: '测试结束' }] });
    expect((await h.result()).closeReason).toBe('removed');
    expect((await TaskModel.find({ entryId }).lean()).map((t) => t.status)).toEqual(['lifted', 'lifted']);
    await recordHistory(h, 'listing-before-rematch.json');
  });
});
