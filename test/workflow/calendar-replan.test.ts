/**
 * Re-planning when a year becomes covered, on the time-skipping server with real activities and mongod.
 * The clock starts in late December 2026; `chinese-days` has no 2027, so deadlines reaching into it are
 * provisional (weekends only) until the office enters the 2027 arrangement (test data, support/arrangements).
 */
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import mongoose from 'mongoose';
import { CaseService } from '../../api/services/case-service';
import type { Principal } from '../../api/auth';
import { ARRANGEMENTS, arrangementId, calendarSync, insertVersion, VersionTakenError } from '../../db/calendar-store';
import { EventModel, ListingModel, OutboxModel } from '../../db/models';
import type { HolidayArrangement } from '../../domain/holiday-arrangement';
import { calendarReplanWorkflow } from '../../workflows/calendar-replan';
import { stateQuery } from '../../workflows/listing';
import { caseQuery } from '../../workflows/objection';
import { connectTestDb } from '../support/mongo';
import { eventually } from '../support/eventually';
import { ARRANGEMENT_2027, EARLIER_2027 } from '../support/arrangements';
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

beforeAll(async () => {
  await connectTestDb('replan');
  await prepareWorkflowTests();
});
beforeEach(async () => {
  await mongoose.connection.db!.collection(ARRANGEMENTS).deleteMany({});
  await calendarSync().reload();
});
afterAll(() => mongoose.disconnect());

/** The office stores the arrangement now (server time); then the re-planning runs to its end. */
async function enterAndReplan(env: TestWorkflowEnvironment, a: HolidayArrangement, workflowId = 'replan-2027') {
  const coveredAt = new Date(await env.currentTimeMs()).toISOString();
  await insertVersion({
    _id: arrangementId(2027, 1),
    year: 2027,
    version: 1,
    ...a,
    enteredAt: coveredAt,
    enteredBy: { sub: 'o', name: '信用办' },
  }).catch((e) => {
    if (!(e instanceof VersionTakenError)) throw e;
  });
  // a plain client: waiting on the time-skipping client's result would let the server skip time ahead
  // to the listings' timers
  const client = new Client({ connection: env.connection, namespace: env.namespace });
  const handle = await client.workflow.start(calendarReplanWorkflow, {
    workflowId,
    taskQueue: TASK_QUEUE,
    args: [{ year: 2027, version: 1, coveredAt, notice: a.notice, pageSize: 2 }],
  });
  return handle.result();
}

/** A listing served on Thu 31 Dec 2026 at 10:00 CST: its 5-working-day notice window ends in 2027. */
async function listingInNotice(env: TestWorkflowEnvironment) {
  const h = await startListing(env, {
    request: listingRequest({
      decisionDocument: { number: `沧税稽罚〔2026〕${Math.random()}号`, date: '2026-12-25' },
      effectiveDate: '2026-12-31',
      validUntil: '2027-12-30',
    }),
  });
  const s = await eventually(async () => {
    const st = await h.query(stateQuery);
    expect(await ListingModel.exists({ _id: st.entryId, status: 'notice' })).toBeTruthy();
    return st;
  });
  return { h, entryId: s.entryId };
}

const T_NOTICE = '2026-12-31T02:00:00Z'; // Thu 31 Dec 2026, 10:00 CST

describe('a listing in its notice window when 2027 becomes covered', () => {
  it('moves the window end later when the arrangement adds holidays, and the listing takes effect then', async () => {
    await withWorker(T_NOTICE, async (env) => {
      const { h, entryId } = await listingInNotice(env);
      // provisional, weekends only: 1, 4, 5, 6, 7 Jan 2027
      let s = await h.query(stateQuery);
      expect(s).toMatchObject({ noticeEndsAt: '2027-01-07T16:00:00.000Z', calendarCovered: false });

      await sleepUntil(env, '2026-12-31T03:00:00Z');
      const counts = await enterAndReplan(env, ARRANGEMENT_2027);
      expect(counts).toEqual({ changed: 1, unchanged: 0, already: 0, skipped: 0 });
      // 元旦 1–3 Jan: 4, 5, 6, 7, 8 Jan
      s = await h.query(stateQuery);
      expect(s).toMatchObject({
        noticeEndsAt: '2027-01-08T16:00:00.000Z',
        effectiveAt: '2027-01-08T16:00:00.000Z',
        calendarCovered: true,
        replans: ['2027:v1'],
      });
      const events = await EventModel.find({ entryId, type: 'calendar_replanned' }).lean();
      expect(events).toHaveLength(1);
      expect(events[0].detail).toEqual({
        year: 2027,
        notice: '国办发明电〔2026〕99号',
        changes: [
          { what: 'noticeEndsAt', from: '2027-01-07T16:00:00.000Z', to: '2027-01-08T16:00:00.000Z' },
          { what: 'effectiveAt', from: '2027-01-07T16:00:00.000Z', to: '2027-01-08T16:00:00.000Z' },
        ],
      });
      expect(
        await OutboxModel.exists({ _id: `${entryId}:replan:2027:v1`, audience: 'subject', type: 'deadline_changed' }),
      ).toBeTruthy();
      await eventually(async () =>
        expect((await ListingModel.findById(entryId).lean())?.noticeEndsAt).toBe('2027-01-08T16:00:00.000Z'),
      );

      // still in notice past the provisional end, in force after the new one
      await sleepUntil(env, '2027-01-08T15:59:00Z');
      expect((await h.query(stateQuery)).status).toBe('notice');
      await sleepUntil(env, '2027-01-08T16:01:00Z');
      s = await h.query(stateQuery);
      expect(s.status).toBe('active');
      expectFiredAt(s.effectiveAt, '2027-01-08T16:00:00.000Z');
      await recordHistory(h, 'listing-notice-replanned.json');

      // running the re-planning again (same update id) re-plans nothing a second time
      await enterAndReplan(env, ARRANGEMENT_2027, 'replan-2027-again');
      expect(await EventModel.countDocuments({ entryId, type: 'calendar_replanned' })).toBe(1);
      expect((await h.query(stateQuery)).replans).toEqual(['2027:v1']);
    });
  });

  it('keeps the announced end when the arrangement would move it earlier', async () => {
    await withWorker(T_NOTICE, async (env) => {
      const { h, entryId } = await listingInNotice(env);
      await sleepUntil(env, '2026-12-31T03:00:00Z');
      // Sat 2 Jan worked, 1 Jan not a holiday: 1, 2, 4, 5, 6 Jan would end the window a day earlier
      await enterAndReplan(env, EARLIER_2027);
      const s = await h.query(stateQuery);
      expect(s).toMatchObject({ noticeEndsAt: '2027-01-07T16:00:00.000Z', effectiveAt: '2027-01-07T16:00:00.000Z' });
      const [e] = await EventModel.find({ entryId, type: 'calendar_replanned' }).lean();
      expect(e.detail?.changes).toEqual([
        {
          what: 'noticeEndsAt',
          from: '2027-01-07T16:00:00.000Z',
          to: '2027-01-07T16:00:00.000Z',
          kept: true,
          planned: '2027-01-06T16:00:00.000Z',
        },
      ]);
      await sleepUntil(env, '2027-01-06T16:01:00Z');
      expect((await h.query(stateQuery)).status).toBe('notice');
      await sleepUntil(env, '2027-01-07T16:01:00Z');
      expect((await h.query(stateQuery)).status).toBe('active');
    });
  });
});

describe('department tasks planned in December into 2027', () => {
  it('moves the acknowledgement deadline and its reminder later', async () => {
    // Wed 30 Dec 2026 10:00 CST; the notice went out with the decision, so the listing is in force at once
    await withWorker('2026-12-30T02:00:00Z', async (env) => {
      const h = await startListing(env, {
        request: listingRequest({
          decisionDocument: { number: `沧税稽罚〔2026〕${Math.random()}号`, date: '2026-12-01' },
          noticeServedOn: '2026-12-01',
          effectiveDate: '2026-12-30',
          validUntil: '2027-12-29',
        }),
      });
      const s0 = await eventually(async () => {
        const st = await h.query(stateQuery);
        expect(st.status).toBe('active');
        return st;
      });
      const alpha0 = s0.tasks.find((t) => t.departmentId === 'alpha')!;
      // provisional: 3 working days = 31 Dec, 1 Jan, 4 Jan; reminder 09:00 CST on 1 Jan
      expect(alpha0).toMatchObject({ ackDeadline: '2027-01-04T16:00:00.000Z', remindAt: '2027-01-01T01:00:00.000Z' });
      expect(s0.calendarCovered).toBe(false);
      await eventually(async () =>
        expect(await ListingModel.exists({ _id: s0.entryId, status: 'active' })).toBeTruthy(),
      );

      await sleepUntil(env, '2026-12-30T03:00:00Z');
      const counts = await enterAndReplan(env, ARRANGEMENT_2027);
      expect(counts.changed).toBe(1);
      const s = await h.query(stateQuery);
      const alpha = s.tasks.find((t) => t.departmentId === 'alpha')!;
      const beta = s.tasks.find((t) => t.departmentId === 'beta')!;
      // 31 Dec, 4, 5 Jan; reminder 09:00 CST on 4 Jan. beta (5 working days): 7 Jan instead of 6 Jan
      expect(alpha).toMatchObject({ ackDeadline: '2027-01-05T16:00:00.000Z', remindAt: '2027-01-04T01:00:00.000Z' });
      expect(beta.ackDeadline).toBe('2027-01-07T16:00:00.000Z');
      const [e] = await EventModel.find({ entryId: s.entryId, type: 'calendar_replanned' }).lean();
      expect(e.detail?.changes).toContainEqual({
        what: 'ackDeadline',
        departmentId: 'alpha',
        from: '2027-01-04T16:00:00.000Z',
        to: '2027-01-05T16:00:00.000Z',
      });
      expect(
        await OutboxModel.exists({ _id: `${s.entryId}:replan:2027:v1:alpha`, audience: 'department' }),
      ).toBeTruthy();

      // no reminder on the provisional date; it goes on the new one
      await sleepUntil(env, '2027-01-01T02:00:00Z');
      expect((await h.query(stateQuery)).tasks.find((t) => t.departmentId === 'alpha')!.reminderSentAt).toBeUndefined();
      await sleepUntil(env, '2027-01-04T01:01:00Z');
      const reminded = (await h.query(stateQuery)).tasks.find((t) => t.departmentId === 'alpha')!;
      expectFiredAt(reminded.reminderSentAt, '2027-01-04T01:00:00.000Z');
      // not overdue on the provisional deadline, overdue after the new one
      await sleepUntil(env, '2027-01-04T16:01:00Z');
      expect((await h.query(stateQuery)).tasks.find((t) => t.departmentId === 'alpha')!.overdue).toBe(false);
      await sleepUntil(env, '2027-01-05T16:01:00Z');
      expect((await h.query(stateQuery)).tasks.find((t) => t.departmentId === 'alpha')!.overdue).toBe(true);
    });
  });
});

describe('an objection whose verification runs into 2027', () => {
  it('moves the verification deadline later and notes it on the case timeline', async () => {
    const subject: Principal = { sub: 's', name: '示例科技有限公司', role: 'subject', subjectId: '914403001922038216' };
    // Mon 28 Dec 2026 10:00 CST
    await withWorker('2026-12-28T02:00:00Z', async (env) => {
      const h = await startListing(env, {
        request: listingRequest({
          decisionDocument: { number: `X${Math.random()}`, date: '2026-12-01' },
          noticeServedOn: '2026-12-01',
          effectiveDate: '2026-12-01',
          validUntil: '2027-11-30',
        }),
      });
      const entryId = await eventually(async () => {
        const st = await h.query(stateQuery);
        expect(await ListingModel.exists({ _id: st.entryId, status: 'active' })).toBeTruthy();
        return st.entryId;
      });
      const filed = await new CaseService(env.client, TASK_QUEUE).fileObjection(subject, {
        entryId,
        reason: '该处罚决定已被复议撤销',
        evidence: [],
      });
      const c = env.client.workflow.getHandle(`objection-${filed.caseId}`);
      // provisional 7 working days: 29, 30, 31 Dec, 1, 4, 5, 6 Jan
      expect(await c.query(caseQuery)).toMatchObject({ deadline: '2027-01-06T16:00:00.000Z', calendarCovered: false });
      await sleepUntil(env, '2026-12-28T03:00:00Z');
      const counts = await enterAndReplan(env, ARRANGEMENT_2027);
      // the objection, and the listing (alpha's 10-working-day feedback period also reaches into January)
      expect(counts).toMatchObject({ changed: 2 });
      const s = await c.query(caseQuery);
      // 29, 30, 31 Dec, 4, 5, 6, 7 Jan; reminder 09:00 CST on 6 Jan
      expect(s).toMatchObject({
        deadline: '2027-01-07T16:00:00.000Z',
        remindAt: '2027-01-06T01:00:00.000Z',
        calendarCovered: true,
      });
      expect(s.timeline.find((t) => t.type === 'calendar_replanned')?.detail).toEqual({
        year: 2027,
        notice: '国办发明电〔2026〕99号',
        changes: [{ what: 'deadline', from: '2027-01-06T16:00:00.000Z', to: '2027-01-07T16:00:00.000Z' }],
      });
      await sleepUntil(env, '2027-01-06T16:01:00Z');
      expect((await c.query(caseQuery)).overdue).toBe(false);
    });
  });
});

/** The office stores version `version` of 2027 now (server time); then its re-planning runs to its end. */
async function enterVersionAndReplan(env: TestWorkflowEnvironment, a: HolidayArrangement, version: number) {
  const coveredAt = new Date(await env.currentTimeMs()).toISOString();
  await insertVersion({
    _id: arrangementId(2027, version),
    year: 2027,
    version,
    ...a,
    enteredAt: coveredAt,
    enteredBy: { sub: 'o', name: '信用办' },
  });
  const client = new Client({ connection: env.connection, namespace: env.namespace });
  const handle = await client.workflow.start(calendarReplanWorkflow, {
    workflowId: `replan-2027-v${version}-${Math.random()}`,
    taskQueue: TASK_QUEUE,
    args: [{ year: 2027, version, coveredAt, notice: a.notice, pageSize: 2 }],
  });
  return handle.result();
}

/** The 2027 notice corrected (same number): 元旦 1–4 January (Fri–Mon). */
const CORRECTED_2027: HolidayArrangement = {
  ...ARRANGEMENT_2027,
  holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-04' }, ...ARRANGEMENT_2027.holidays.slice(1)],
};

describe('a correction of the 2027 arrangement (version 2, then 3)', () => {
  it('re-plans the notice window again, later; a version that would bring it earlier keeps it', async () => {
    await withWorker(T_NOTICE, async (env) => {
      const { h, entryId } = await listingInNotice(env);
      await sleepUntil(env, '2026-12-31T03:00:00Z');
      await enterVersionAndReplan(env, ARRANGEMENT_2027, 1);
      // 4, 5, 6, 7, 8 Jan
      expect((await h.query(stateQuery)).noticeEndsAt).toBe('2027-01-08T16:00:00.000Z');

      await sleepUntil(env, '2026-12-31T04:00:00Z');
      const counts = await enterVersionAndReplan(env, CORRECTED_2027, 2);
      expect(counts).toEqual({ changed: 1, unchanged: 0, already: 0, skipped: 0 });
      // 4 Jan a holiday too: 5, 6, 7, 8, 11 Jan
      let s = await h.query(stateQuery);
      expect(s).toMatchObject({
        noticeEndsAt: '2027-01-11T16:00:00.000Z',
        effectiveAt: '2027-01-11T16:00:00.000Z',
        replans: ['2027:v1', '2027:v2'],
      });
      const events = await EventModel.find({ entryId, type: 'calendar_replanned' }).sort({ seq: 1 }).lean();
      expect(events.map((e) => e.detail?.changes)).toEqual([
        [
          { what: 'noticeEndsAt', from: '2027-01-07T16:00:00.000Z', to: '2027-01-08T16:00:00.000Z' },
          { what: 'effectiveAt', from: '2027-01-07T16:00:00.000Z', to: '2027-01-08T16:00:00.000Z' },
        ],
        [
          { what: 'noticeEndsAt', from: '2027-01-08T16:00:00.000Z', to: '2027-01-11T16:00:00.000Z' },
          { what: 'effectiveAt', from: '2027-01-08T16:00:00.000Z', to: '2027-01-11T16:00:00.000Z' },
        ],
      ]);
      expect(
        await OutboxModel.exists({ _id: `${entryId}:replan:2027:v2`, audience: 'subject', type: 'deadline_changed' }),
      ).toBeTruthy();

      // version 3 goes back to 1–3 January: the window would end on 8 Jan; the announced 11 Jan stays
      await sleepUntil(env, '2026-12-31T05:00:00Z');
      await enterVersionAndReplan(env, { ...ARRANGEMENT_2027 }, 3);
      s = await h.query(stateQuery);
      expect(s.noticeEndsAt).toBe('2027-01-11T16:00:00.000Z');
      const last = await EventModel.findOne({ entryId, type: 'calendar_replanned' }).sort({ seq: -1 }).lean();
      expect(last?.detail?.changes).toEqual([
        {
          what: 'noticeEndsAt',
          from: '2027-01-11T16:00:00.000Z',
          to: '2027-01-11T16:00:00.000Z',
          kept: true,
          planned: '2027-01-08T16:00:00.000Z',
        },
      ]);

      // in notice until the announced end, in force after it
      await sleepUntil(env, '2027-01-11T15:59:00Z');
      expect((await h.query(stateQuery)).status).toBe('notice');
      await sleepUntil(env, '2027-01-11T16:01:00Z');
      s = await h.query(stateQuery);
      expect(s.status).toBe('active');
      expectFiredAt(s.effectiveAt, '2027-01-11T16:00:00.000Z');
    });
  });

  it("moves department tasks again, counting each task's own working days; the reminder follows", async () => {
    await withWorker('2026-12-30T02:00:00Z', async (env) => {
      const h = await startListing(env, {
        request: listingRequest({
          decisionDocument: { number: `沧税稽罚〔2026〕${Math.random()}号`, date: '2026-12-01' },
          noticeServedOn: '2026-12-01',
          effectiveDate: '2026-12-30',
          validUntil: '2027-12-29',
        }),
      });
      const s0 = await eventually(async () => {
        const st = await h.query(stateQuery);
        expect(st.status).toBe('active');
        return st;
      });
      await eventually(async () =>
        expect(await ListingModel.exists({ _id: s0.entryId, status: 'active' })).toBeTruthy(),
      );
      await sleepUntil(env, '2026-12-30T03:00:00Z');
      await enterVersionAndReplan(env, ARRANGEMENT_2027, 1);
      let alpha = (await h.query(stateQuery)).tasks.find((t) => t.departmentId === 'alpha')!;
      expect(alpha.ackDeadline).toBe('2027-01-05T16:00:00.000Z');
      await eventually(async () =>
        expect((await ListingModel.findById(s0.entryId).lean())?.replans).toEqual(['2027:v1']),
      );

      await sleepUntil(env, '2026-12-30T04:00:00Z');
      expect((await enterVersionAndReplan(env, CORRECTED_2027, 2)).changed).toBe(1);
      const s = await h.query(stateQuery);
      alpha = s.tasks.find((t) => t.departmentId === 'alpha')!;
      const beta = s.tasks.find((t) => t.departmentId === 'beta')!;
      // alpha, 3 working days: 31 Dec, 5, 6 Jan, reminder 09:00 CST on 5 Jan; beta, 5: 31 Dec, 5, 6, 7, 8 Jan
      expect(alpha).toMatchObject({ ackDeadline: '2027-01-06T16:00:00.000Z', remindAt: '2027-01-05T01:00:00.000Z' });
      expect(beta.ackDeadline).toBe('2027-01-08T16:00:00.000Z');
      const last = await EventModel.findOne({ entryId: s.entryId, type: 'calendar_replanned' })
        .sort({ seq: -1 })
        .lean();
      expect(last?.detail?.changes).toContainEqual({
        what: 'ackDeadline',
        departmentId: 'alpha',
        from: '2027-01-05T16:00:00.000Z',
        to: '2027-01-06T16:00:00.000Z',
      });
      await sleepUntil(env, '2027-01-05T01:01:00Z');
      const reminded = (await h.query(stateQuery)).tasks.find((t) => t.departmentId === 'alpha')!;
      expectFiredAt(reminded.reminderSentAt, '2027-01-05T01:00:00.000Z');
      await sleepUntil(env, '2027-01-05T16:01:00Z');
      expect((await h.query(stateQuery)).tasks.find((t) => t.departmentId === 'alpha')!.overdue).toBe(false);
    });
  });
});
