/**
 * Listing workflow on the real time-skipping test server, with the real activities writing to a real
 * mongod. The server's clock starts on Mon 28 Sep 2026 10:00 CST, so the deadlines cross National Day.
 */
import { WorkflowIdConflictPolicy, type WorkflowHandle } from '@temporalio/client';
import mongoose from 'mongoose';
import { EventModel, FeedbackModel, ListingModel, OutboxModel, TaskModel } from '../../db/models';
import { ListingService } from '../../api/services/listing-service';
import {
  acknowledgeUpdate,
  feedbackUpdate,
  flagObjectionUpdate,
  listingWorkflow,
  REMOVAL_CLOSES_BEFORE_CONTINUE_AS_NEW,
  removeUpdate,
  stateQuery,
} from '../../workflows/listing';
import { createCaseActivities } from '../../activities/case-activities';
import * as listingActivities from '../../activities/listing-activities';
import type { ProjectionBatch } from '../../workflows/listing-types';
import { connectTestDb } from '../support/mongo';
import { eventually } from '../support/eventually';
import {
  expectFiredAt,
  listingRequest,
  prepareWorkflowTests,
  recordHistory,
  sleepUntil,
  startListing,
  TASK_QUEUE,
  withWorker,
} from '../support/workflow-env';

const T0 = '2026-09-28T02:00:00Z'; // Mon 28 Sep 2026, 10:00 CST

const request = listingRequest;

beforeAll(async () => {
  await connectTestDb('workflow');
  await prepareWorkflowTests();
});
afterAll(() => mongoose.disconnect());

const start = startListing;

const taskDoc = (taskId: string) => TaskModel.findById(taskId).lean();

describe('listing workflow deadlines across National Day 2026', () => {
  it('runs the notice window, fans out, reminds, escalates, flags missing feedback, in working days', async () => {
    await withWorker(T0, async (env) => {
      const h = await start(env, { request: request() });
      const entryId = (await h.query(stateQuery)).entryId;

      // 5 working days from Mon 28 Sep: 29, 30 Sep, [1–7 Oct holiday], 8, 9 Oct and the adjusted Sat 10 Oct
      await sleepUntil(env, '2026-10-10T15:59:00Z');
      let s = await h.query(stateQuery);
      expect(s.noticeEndsAt).toBe('2026-10-10T16:00:00.000Z');
      expect(s.status).toBe('notice');
      expect(s.tasks).toEqual([]);
      expect(await OutboxModel.exists({ _id: `${entryId}:notice`, audience: 'subject' })).toBeTruthy();

      await sleepUntil(env, '2026-10-10T16:01:00Z');
      s = await h.query(stateQuery);
      expect(s.status).toBe('active');
      const byDept = Object.fromEntries(s.tasks.map((t) => [t.departmentId, t]));
      expect(Object.keys(byDept).sort()).toEqual(['alpha', 'beta']);
      expect(byDept.alpha.measures.map((m) => m.id)).toEqual(['alpha.no-procurement', 'alpha.no-subsidy']);
      // alpha: 3 working days after Sun 11 Oct → Wed 14 Oct; reminder 09:00 CST Tue 13 Oct
      expect(byDept.alpha.ackDeadline).toBe('2026-10-14T16:00:00.000Z');
      expect(byDept.alpha.remindAt).toBe('2026-10-13T01:00:00.000Z');
      expect(byDept.alpha.feedbackDue).toBe('2026-10-23T16:00:00.000Z');
      // beta: 5 working days → Fri 16 Oct; feedback by the rules-table default of 20 working days → Fri 6 Nov
      expect(byDept.beta.ackDeadline).toBe('2026-10-16T16:00:00.000Z');
      expect(byDept.beta.feedbackDue).toBe('2026-11-06T16:00:00.000Z');
      await eventually(async () => expect(await TaskModel.countDocuments({ entryId })).toBe(2));
      expect(
        await OutboxModel.exists({ _id: `${entryId}:assigned:alpha`, audience: 'department', recipient: 'alpha' }),
      ).toBeTruthy();

      // beta acknowledges at once: it is never reminded
      const ackBeta = await h.executeUpdate(acknowledgeUpdate, { args: [{ departmentId: 'beta', by: '乙局经办人' }] });
      expect(ackBeta.ackOnTime).toBe(true);

      await sleepUntil(env, '2026-10-13T00:59:00Z');
      expect((await taskDoc(`${entryId}:alpha`))?.reminderSentAt).toBeUndefined();
      await sleepUntil(env, '2026-10-13T01:01:00Z');
      await eventually(async () =>
        expectFiredAt((await taskDoc(`${entryId}:alpha`))?.reminderSentAt, '2026-10-13T01:00:00Z'),
      );
      expect(await OutboxModel.exists({ _id: `${entryId}:reminder:alpha`, type: 'reminder' })).toBeTruthy();

      await sleepUntil(env, '2026-10-14T15:59:00Z');
      expect((await taskDoc(`${entryId}:alpha`))?.overdue).toBe(false);
      await sleepUntil(env, '2026-10-14T16:01:00Z');
      await eventually(async () => expect((await taskDoc(`${entryId}:alpha`))?.overdue).toBe(true));
      expect(
        await OutboxModel.exists({ _id: `${entryId}:escalation:alpha`, audience: 'office', type: 'escalation' }),
      ).toBeTruthy();
      expect(await OutboxModel.exists({ _id: `${entryId}:reminder:beta` })).toBeFalsy();
      expect((await taskDoc(`${entryId}:beta`))?.overdue).toBe(false);

      const late = await h.executeUpdate(acknowledgeUpdate, { args: [{ departmentId: 'alpha', by: '甲局经办人' }] });
      expect(late.ackOnTime).toBe(false);

      // no feedback from alpha by Fri 23 Oct → flagged; a report clears the flag
      await sleepUntil(env, '2026-10-23T16:01:00Z');
      await eventually(async () => expect((await taskDoc(`${entryId}:alpha`))?.feedbackOverdue).toBe(true));
      await h.executeUpdate(feedbackUpdate, {
        args: [
          {
            departmentId: 'alpha',
            by: '甲局经办人',
            matter: 'government_procurement.bid_award',
            measureIds: ['alpha.no-procurement'],
            appliedOn: '2026-10-26',
            outcome: '已拒绝其投标',
          },
        ],
      });
      const alpha = await taskDoc(`${entryId}:alpha`);
      expect(alpha).toMatchObject({ feedbackOverdue: false, feedbackCount: 1, overdue: true, ackOnTime: false });
      await h.executeUpdate(removeUpdate, { args: [{ by: '信用办', reason: '测试结束' }] });
      expect((await h.result()).closeReason).toBe('removed');
      await recordHistory(h, 'listing-full-lifecycle.json');
    });
  });
});

describe('listing workflow lifecycle', () => {
  it('lifts every task when the office removes the listing', async () => {
    await withWorker(T0, async (env) => {
      const h = await start(env, { request: request({ noticeServedOn: '2026-09-18', effectiveDate: '2026-09-28' }) });
      const s0 = await eventuallyActive(h);
      const entryId = s0.entryId;
      await h.executeUpdate(acknowledgeUpdate, { args: [{ departmentId: 'alpha', by: 'a' }] });
      await h.executeUpdate(feedbackUpdate, {
        args: [
          {
            departmentId: 'alpha',
            by: 'a',
            matter: 'fiscal_subsidy',
            measureIds: ['alpha.no-subsidy'],
            appliedOn: '2026-09-28',
            outcome: '不予补助',
          },
        ],
      });
      const closed = await h.executeUpdate(removeUpdate, { args: [{ by: '信用办', reason: '认定决定被撤销' }] });
      expect(closed).toMatchObject({ status: 'closed', closeReason: 'removed', removal: { reason: '认定决定被撤销' } });
      expect(closed.tasks.every((t) => t.status === 'lifted' && t.liftedAt)).toBe(true);
      expect((await h.result()).closeReason).toBe('removed');

      const tasks = await TaskModel.find({ entryId }).lean();
      expect(tasks.map((t) => [t.departmentId, t.status])).toEqual(
        expect.arrayContaining([
          ['alpha', 'lifted'],
          ['beta', 'lifted'],
        ]),
      );
      expect(await OutboxModel.countDocuments({ entryId, type: 'lift' })).toBe(2);
      expect(await ListingModel.findById(entryId).lean()).toMatchObject({ status: 'closed', closeReason: 'removed' });
      expect(await FeedbackModel.countDocuments({ entryId })).toBe(1);
      const types = (await EventModel.find({ entryId }).sort({ seq: 1 }).lean()).map((e) => e.type);
      expect(types.slice(0, 3)).toEqual(['started', 'notice_served', 'effective']);
      expect(types.slice(-3)).toEqual(['lifted', 'lifted', 'closed']);
      // its notice was over when it started: notice, measures and tasks planned in one step (replay fixture)
      await recordHistory(h, 'listing-start-planned-in-one-step.json');
    });
  });

  it('answers a removal only once the close is written, even when that write is slow', async () => {
    // the close's projection takes a while (a loaded MongoDB); the removal must not answer before it lands,
    // or the API returns a listing that is still active and a check right after still finds it
    await withWorker(
      T0,
      async (env) => {
        const h = await start(env, { request: request({ noticeServedOn: '2026-09-18', effectiveDate: '2026-09-28' }) });
        const { entryId } = await eventuallyActive(h);
        await h.executeUpdate(removeUpdate, { args: [{ by: '信用办', reason: '认定决定被撤销' }] });
        expect(await ListingModel.findById(entryId).lean()).toMatchObject({ status: 'closed', closeReason: 'removed' });
        expect((await TaskModel.find({ entryId }).lean()).map((t) => t.status)).toEqual(['lifted', 'lifted']);
      },
      { project: slowWrites(isClose, 1500) },
    );
  });

  it("a case's removal retried while the first call still runs returns only once the close is written", async () => {
    await withWorker(
      T0,
      async (env) => {
        const h = await start(env, { request: request({ noticeServedOn: '2026-09-18', effectiveDate: '2026-09-28' }) });
        const { entryId } = await eventuallyActive(h);
        const calls = createCaseActivities(env.client);
        const removal = { entryId, caseId: 'R-retried', by: '信用办', reason: '信用修复：已履行' };
        const closedWhenAnswered = async () => {
          expect(await calls.removeListing(removal)).toEqual({ ok: true });
          return (await ListingModel.findById(entryId).lean())?.status;
        };
        const first = closedWhenAnswered();
        // the first call is under way
        await eventually(async () => expect((await h.query(stateQuery)).removal).toBeDefined());
        // the retry, then the first
        expect(await Promise.all([closedWhenAnswered(), first])).toEqual(['closed', 'closed']);
      },
      { project: slowWrites(isClose, 1500) },
    );
  });

  it('lifts every task when the listing expires', async () => {
    await withWorker(T0, async (env) => {
      const h = await start(env, {
        request: request({ noticeServedOn: '2026-09-18', effectiveDate: '2026-09-28', validUntil: '2026-10-20' }),
      });
      const result = await h.result(); // time skips to the expiry
      expect(result.closeReason).toBe('expired');
      expectFiredAt(result.closedAt, '2026-10-20T16:00:00Z'); // end of the last valid day, CST
      expect(await TaskModel.countDocuments({ entryId: result.entryId, status: 'lifted' })).toBe(2);
      expect(await OutboxModel.countDocuments({ entryId: result.entryId, type: 'lift' })).toBe(2);
    });
  });

  it('withdraws a listing removed during the notice window without creating tasks', async () => {
    await withWorker(T0, async (env) => {
      const h = await start(env, { request: request() });
      const closed = await h.executeUpdate(removeUpdate, { args: [{ by: '信用办', reason: '异议成立' }] });
      expect(closed).toMatchObject({ status: 'closed', closeReason: 'withdrawn_in_notice', tasks: [] });
      expect(await TaskModel.countDocuments({ entryId: closed.entryId })).toBe(0);
    });
  });

  it('refuses acknowledging twice, feedback before acknowledgement and measures of another task', async () => {
    await withWorker(T0, async (env) => {
      const h = await start(env, { request: request({ noticeServedOn: '2026-09-18', effectiveDate: '2026-09-28' }) });
      await eventuallyActive(h);
      const fb = {
        departmentId: 'beta',
        by: 'b',
        matter: 'qualification_review',
        measureIds: ['beta.strict-review'],
        appliedOn: '2026-09-28',
        outcome: '从严审核',
      };
      await expect(h.executeUpdate(feedbackUpdate, { args: [fb] })).rejects.toMatchObject({
        cause: { type: 'not_acknowledged', message: '请先签收任务再反馈执行情况' },
      });
      await h.executeUpdate(acknowledgeUpdate, { args: [{ departmentId: 'beta', by: 'b' }] });
      await expect(
        h.executeUpdate(acknowledgeUpdate, { args: [{ departmentId: 'beta', by: 'b' }] }),
      ).rejects.toMatchObject({ cause: { type: 'already_acknowledged' } });
      await expect(
        h.executeUpdate(feedbackUpdate, { args: [{ ...fb, measureIds: ['alpha.no-subsidy'] }] }),
      ).rejects.toMatchObject({ cause: { type: 'invalid_input' } });
      await expect(
        h.executeUpdate(acknowledgeUpdate, { args: [{ departmentId: 'gamma', by: 'g' }] }),
      ).rejects.toMatchObject({ cause: { type: 'task_not_found' } });
      // refused updates leave no trace in the state
      const s = await h.query(stateQuery);
      expect(s.tasks.find((t) => t.departmentId === 'beta')?.feedbackCount).toBe(0);
      await h.executeUpdate(removeUpdate, { args: [{ by: 'x', reason: '测试结束' }] });
      await expect(h.executeUpdate(removeUpdate, { args: [{ by: 'x', reason: '再次移出' }] })).rejects.toBeDefined();
    });
  });

  it('starts one workflow per entry however often the same request is repeated', async () => {
    await withWorker(T0, async (env) => {
      const svc = new ListingService(env.client, TASK_QUEUE);
      const req = request();
      const first = await svc.start(req);
      const again = await svc.start(req);
      expect(first.created).toBe(true);
      expect(again).toEqual({ ...first, created: false });
      const raw = await env.client.workflow.start(listingWorkflow, {
        workflowId: first.workflowId,
        taskQueue: TASK_QUEUE,
        args: [{ entryId: first.entryId, request: req }],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      });
      const runs = await env.client.workflow.getHandle(first.workflowId).describe();
      expect(raw.firstExecutionRunId).toBe(runs.runId);
      expect(await ListingModel.countDocuments({ entryId: first.entryId })).toBe(1);
      await env.client.workflow
        .getHandle(first.workflowId)
        .executeUpdate(removeUpdate, { args: [{ by: 'x', reason: '测试结束' }] });
      // a closed entry is not restarted by the same request either
      expect((await svc.start(req)).created).toBe(false);
    });
  });

  it('closes on a removal that arrives while the run waits for its handlers before continuing as new', async () => {
    await withWorker(
      T0,
      async (env) => {
        const req = () => request({ noticeServedOn: '2026-09-18', effectiveDate: '2026-09-28' });
        // the history length of an active listing (the worker's first listing is a few events shorter)
        let activeLength = 0;
        for (let i = 0; i < 2; i++) {
          const w = await start(env, { request: req() });
          await eventuallyActive(w);
          activeLength = (await w.describe()).historyLength;
        }
        // this one crosses the threshold with the acknowledgement, while the objection flag's slow write runs:
        // the loop then waits for that handler before continuing as new, and the removal arrives meanwhile
        const h = await start(env, { request: req(), continueAsNewAtHistoryLength: activeLength + 8 });
        const { entryId } = await eventuallyActive(h);
        const flagged = h.executeUpdate(flagObjectionUpdate, { args: [{ caseId: 'O-during-can' }] });
        await h.executeUpdate(acknowledgeUpdate, { args: [{ departmentId: 'alpha', by: 'a' }] });
        const removed = h.executeUpdate(removeUpdate, { args: [{ by: '信用办', reason: '认定决定被撤销' }] });
        // before the fix the two waited for each other until the run timed out
        const stuck = new Promise<never>((_, reject) =>
          setTimeout(
            () => reject(new Error('the listing never closed: removal and continue-as-new wait for each other')),
            30_000,
          ),
        );
        const result = await Promise.race([h.result(), stuck]);
        // closed this run, did not continue as new
        expect(result).toMatchObject({ status: 'closed', closeReason: 'removed', runs: 1 });
        await Promise.all([flagged, removed]);
        expect(await patchesIn(h)).toContain(REMOVAL_CLOSES_BEFORE_CONTINUE_AS_NEW); // it went through the wait
        expect((await TaskModel.find({ entryId }).lean()).map((t) => t.status)).toEqual(['lifted', 'lifted']);
      },
      { project: slowWrites((b) => !!b.events?.some((e) => e.type === 'objection_filed'), 5000) },
    );
  });

  it('continues as new with tasks, acknowledgements and feedback intact', async () => {
    await withWorker(T0, async (env) => {
      const h = await start(env, {
        request: request({ noticeServedOn: '2026-09-18', effectiveDate: '2026-09-28' }),
        continueAsNewAtHistoryLength: 40,
      });
      const firstRun = (await h.describe()).runId;
      await eventuallyActive(h);
      await h.executeUpdate(acknowledgeUpdate, { args: [{ departmentId: 'alpha', by: 'a' }] });
      for (let i = 0; i < 8; i++) {
        await h.executeUpdate(feedbackUpdate, {
          args: [
            {
              departmentId: 'alpha',
              by: 'a',
              matter: 'fiscal_subsidy',
              measureIds: ['alpha.no-subsidy'],
              appliedOn: '2026-09-28',
              outcome: `第${i + 1}次执行`,
            },
          ],
        });
      }
      const s = await eventually(async () => {
        const d = await h.describe();
        expect(d.runId).not.toBe(firstRun);
        return h.query(stateQuery);
      });
      expect(s.runs).toBeGreaterThan(1);
      const alpha = s.tasks.find((t) => t.departmentId === 'alpha')!;
      expect(alpha).toMatchObject({ status: 'acknowledged', feedbackCount: 8 });
      expect(s.feedbackSeq).toBe(8);
      const more = await h.executeUpdate(feedbackUpdate, {
        args: [
          {
            departmentId: 'alpha',
            by: 'a',
            matter: 'fiscal_subsidy',
            measureIds: ['alpha.no-subsidy'],
            appliedOn: '2026-09-29',
            outcome: '第9次执行',
          },
        ],
      });
      expect(more.feedbackId).toBe(`${s.entryId}:alpha:fb:9`);
      expect(await FeedbackModel.countDocuments({ entryId: s.entryId })).toBe(9);
      const closed = await h.executeUpdate(removeUpdate, { args: [{ by: 'x', reason: '测试结束' }] });
      expect(closed.tasks.map((t) => t.status)).toEqual(['lifted', 'lifted']);
      // the event sequence never restarted: ids stay unique across runs
      const seqs = (await EventModel.find({ entryId: s.entryId }).lean()).map((e) => e.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(Math.max(...(seqs as number[]))).toBe(closed.eventSeq);
    });
  });
});

/** The real projection activity, with the batches `matches` picks written `ms` late (a loaded MongoDB). */
function slowWrites(matches: (batch: ProjectionBatch) => boolean, ms: number) {
  return async (batch: ProjectionBatch) => {
    if (matches(batch)) await new Promise((r) => setTimeout(r, ms));
    return listingActivities.project(batch);
  };
}
const isClose = (batch: ProjectionBatch) => batch.listing?.status === 'closed';

/** The patch ids recorded in a run's history (markers written by patched()). */
async function patchesIn(h: WorkflowHandle<typeof listingWorkflow>): Promise<string[]> {
  const { events } = await h.fetchHistory();
  return (events ?? []).flatMap((e) => {
    const data = e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data;
    return data ? [(JSON.parse(Buffer.from(data).toString('utf8')) as { id: string }).id] : [];
  });
}

async function eventuallyActive(h: WorkflowHandle<typeof listingWorkflow>) {
  return eventually(async () => {
    const s = await h.query(stateQuery);
    expect(s.status).toBe('active');
    return s;
  });
}
