/**
 * Objection and credit-repair workflows on the time-skipping server with real activities and mongod;
 * decisions reach the listing workflow through its Updates. Clocks start before National Day 2026
 * (objections) and either side of the 2026-04-01 credit-repair regime switch (repairs).
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import mongoose from 'mongoose';
import { CaseService, caseWorkflowId } from '../../api/services/case-service';
import type { Principal } from '../../api/auth';
import { CaseModel, ListingModel, OutboxModel, TaskModel } from '../../db/models';
import { caseQuery } from '../../workflows/objection';
import { stateQuery } from '../../workflows/listing';
import type { CaseState } from '../../workflows/case-types';
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

const AUTHORITY = '国家税务总局沧州市税务局';
const subject: Principal = { sub: 's', name: '示例科技有限公司', role: 'subject', subjectId: '914403001922038216' };
const authority: Principal = { sub: 'a', name: '税务局审核员', role: 'authority', authority: AUTHORITY };
const otherAuthority: Principal = {
  sub: 'b',
  name: '他局审核员',
  role: 'authority',
  authority: '沧州市市场监督管理局',
};
const office: Principal = { sub: 'o', name: '信用办', role: 'office' };

beforeAll(async () => {
  await connectTestDb('cases_workflow');
  await prepareWorkflowTests();
});
afterAll(() => mongoose.disconnect());

/** A listing in force (its notice went out with the decision) and its entry id, once it is projected. */
async function activeListing(env: TestWorkflowEnvironment, over: Record<string, unknown> = {}) {
  const h = await startListing(env, {
    request: listingRequest({
      noticeServedOn: '2026-01-05',
      effectiveDate: '2026-01-05',
      decisionDocument: { number: `X${Math.random()}`, date: '2026-01-05' },
      ...over,
    }),
  });
  const s = await eventually(async () => {
    const st = await h.query(stateQuery);
    expect({ status: st.status, closeReason: st.closeReason, closedAt: st.closedAt }).toEqual({
      status: 'active',
      closeReason: undefined,
      closedAt: undefined,
    });
    expect(await ListingModel.exists({ _id: st.entryId, status: 'active' })).toBeTruthy();
    return st;
  });
  return { h, entryId: s.entryId };
}

const refusedWith = (type: string) => expect.objectContaining({ cause: expect.objectContaining({ type }) });

describe('objection', () => {
  it('flags the record, reminds, escalates, extends within the cap over National Day; rejection unflags', async () => {
    await withWorker('2026-09-28T02:00:00Z', async (env) => {
      const { h, entryId } = await activeListing(env);
      const svc = new CaseService(env.client, TASK_QUEUE);
      const filed = await svc.fileObjection(subject, {
        entryId,
        reason: '该处罚决定已被复议撤销',
        evidence: [{ name: '复议决定书.pdf' }],
      });
      expect(filed.status).toBe('verifying');
      // flagged on the listing and every task, visible to checks, at once
      expect((await h.query(stateQuery)).objection?.caseId).toBe(filed.caseId);
      expect(await TaskModel.countDocuments({ entryId, underObjection: true })).toBe(2);
      // a second objection on the same record waits for the first
      await expect(svc.fileObjection(subject, { entryId, reason: '再次提出异议', evidence: [] })).rejects.toEqual(
        expect.objectContaining({
          cause: expect.objectContaining({
            type: 'objection_pending',
            message: expect.stringContaining('已有异议正在处理'),
          }),
        }),
      );

      // 7 working days from Mon 28 Sep: 29, 30 Sep, 8, 9, 10 (adjusted Saturday), 12, 13 Oct
      const c = env.client.workflow.getHandle(`objection-${filed.caseId}`);
      let s: Omit<CaseState, 'rev'> = await c.query(caseQuery);
      expect(s.deadline).toBe('2026-10-13T16:00:00.000Z');
      expect(s.remindAt).toBe('2026-10-12T01:00:00.000Z');
      await sleepUntil(env, '2026-10-12T01:01:00Z');
      s = await c.query(caseQuery);
      expectFiredAt(s.reminderSentAt, '2026-10-12T01:00:00Z');
      expect(s.overdue).toBe(false);
      await sleepUntil(env, '2026-10-13T16:01:00Z');
      s = await c.query(caseQuery);
      expect(s.overdue).toBe(true);
      expect(
        await OutboxModel.exists({ caseId: filed.caseId, type: 'case_escalation', audience: 'office' }),
      ).toBeTruthy();

      // the authority extends by 3 working days with a reason: due Fri 16 Oct, no longer overdue
      await expect(
        svc.extendObjection(otherAuthority, filed.caseId, { workingDays: 3, reason: '需调取材料' }),
      ).rejects.toThrow(/不存在/);
      s = await svc.extendObjection(authority, filed.caseId, { workingDays: 3, reason: '需向复议机关调取材料' });
      expect(s).toMatchObject({ deadline: '2026-10-16T16:00:00.000Z', overdue: false, extendedWorkingDays: 3 });
      await expect(
        c.executeUpdate((await import('../../workflows/objection')).extendObjectionUpdate, {
          args: [{ by: { role: 'authority', name: 'x', authority: AUTHORITY }, workingDays: 18, reason: '再延长' }],
        }),
      ).rejects.toEqual(refusedWith('invalid_input'));

      // deciding as another authority, or without reasons, is refused; then rejected with reasons
      const { decideObjectionUpdate } = await import('../../workflows/objection');
      await expect(
        c.executeUpdate(decideObjectionUpdate, {
          args: [{ by: { role: 'authority', name: 'x', authority: '别的单位' }, outcome: 'rejected', reasons: '理由' }],
        }),
      ).rejects.toEqual(refusedWith('forbidden'));
      await expect(
        c.executeUpdate(decideObjectionUpdate, {
          args: [{ by: { role: 'office', name: '信用办' }, outcome: 'rejected', reasons: '理由' }],
        }),
      ).rejects.toEqual(refusedWith('forbidden'));
      const decided = await svc.decideObjection(authority, filed.caseId, {
        outcome: 'rejected',
        reasons: '复议决定维持原处罚，异议不成立',
      });
      expect(decided).toMatchObject({
        status: 'rejected',
        decision: { outcome: 'rejected', reasons: '复议决定维持原处罚，异议不成立' },
      });
      expect((await h.query(stateQuery)).objection).toBeUndefined();
      expect(await TaskModel.countDocuments({ entryId, underObjection: true })).toBe(0);
      expect(await TaskModel.countDocuments({ entryId, status: 'pending' })).toBe(2); // measures stay
      expect(
        await OutboxModel.exists({ caseId: filed.caseId, audience: 'subject', type: 'case_decided' }),
      ).toBeTruthy();
      await expect(
        svc.decideObjection(authority, filed.caseId, { outcome: 'upheld', reasons: '改判', action: 'remove' }),
      ).rejects.toThrow(/已于 .* 办结/);
      expect((await CaseModel.findById(filed.caseId).lean())?.timeline.map((t) => t.type)).toEqual([
        'filed',
        'reminder_sent',
        'escalated',
        'extended',
        'decided',
        'closed',
      ]);
      await c.result();
      await recordHistory(c, 'objection-rejected-after-extension.json');
    });
  });

  it('an upheld objection removes the listing, lifting every measure; a correction shortens and keeps it', async () => {
    await withWorker('2026-09-28T02:00:00Z', async (env) => {
      const svc = new CaseService(env.client, TASK_QUEUE);
      const a = await activeListing(env);
      const o1 = await svc.fileObjection(subject, { entryId: a.entryId, reason: '认定主体有误', evidence: [] });
      const r1 = await svc.decideObjection(authority, o1.caseId, {
        outcome: 'upheld',
        reasons: '认定主体有误，予以删除',
        action: 'remove',
      });
      expect(r1.status).toBe('upheld');
      // (no h.result() here: awaiting a result lets the test server skip time freely)
      expect(await a.h.query(stateQuery)).toMatchObject({ status: 'closed', closeReason: 'removed' });
      expect(await TaskModel.countDocuments({ entryId: a.entryId, status: 'lifted' })).toBe(2);

      const b = await activeListing(env);
      const o2 = await svc.fileObjection(subject, { entryId: b.entryId, reason: '有效期超过公示期上限', evidence: [] });
      await svc.decideObjection(authority, o2.caseId, {
        outcome: 'upheld',
        reasons: '更正有效期',
        action: 'correct',
        correction: { validUntil: '2026-12-31' },
      });
      const st = await b.h.query(stateQuery);
      expect(st).toMatchObject({ status: 'active', expiresAt: '2026-12-31T16:00:00.000Z' });
      expect(st.objection).toBeUndefined();
      expect((await TaskModel.findOne({ entryId: b.entryId }).lean())?.entry.expiresAt).toBe(
        '2026-12-31T16:00:00.000Z',
      );
      // the listing now ends on the corrected date
      expect(Date.parse((await b.h.result()).closedAt!)).toBeGreaterThanOrEqual(Date.parse('2026-12-31T16:00:00.000Z'));
      await recordHistory(
        env.client.workflow.getHandle(caseWorkflowId('objection', o1.caseId)),
        'objection-upheld-remove.json',
      );
      await recordHistory(
        env.client.workflow.getHandle(caseWorkflowId('objection', o2.caseId)),
        'objection-upheld-correct.json',
      );
    });
  });

  it('an objection during the prior-notice window holds the listing until it is decided', async () => {
    await withWorker('2026-09-28T02:00:00Z', async (env) => {
      const svc = new CaseService(env.client, TASK_QUEUE);
      const h = await startListing(env, { request: listingRequest() }); // notice until the end of Sat 10 Oct
      const entryId = (await h.query(stateQuery)).entryId;
      await eventually(async () => expect(await ListingModel.exists({ _id: entryId })).toBeTruthy());
      const o = await svc.fileObjection(subject, { entryId, reason: '事前告知期内提出异议', evidence: [] });
      await sleepUntil(env, '2026-10-12T02:00:00Z'); // the notice window is long over
      expect((await h.query(stateQuery)).status).toBe('notice');
      expect(await TaskModel.countDocuments({ entryId })).toBe(0);
      await svc.decideObjection(authority, o.caseId, { outcome: 'rejected', reasons: '事实清楚，异议不成立' });
      const s = await eventually(async () => {
        const st = await h.query(stateQuery);
        expect(st.status).toBe('active');
        return st;
      });
      expect(Date.parse(s.effectiveAt)).toBeGreaterThanOrEqual(Date.parse('2026-10-12T02:00:00Z'));
      expect(s.tasks).toHaveLength(2);
    });
  });
});

describe('credit repair across the 2026-04-01 regime switch', () => {
  async function applyDirect(
    env: TestWorkflowEnvironment,
    entryId: string,
    applicationDate: string,
    subjectId = subject.subjectId!,
  ) {
    const { repairWorkflow } = await import('../../workflows/repair');
    const caseId = `R${Math.random().toString(16).slice(2).padEnd(20, '0').slice(0, 20)}`;
    const application = {
      entryId,
      commitment: { signedOn: applicationDate, text: '本单位承诺依法诚信经营，已履行全部法定义务。' },
      obligationsFulfilled: true as const,
      proofs: [{ name: '完税证明.pdf' }],
    };
    await env.client.workflow.start(repairWorkflow, {
      taskQueue: TASK_QUEUE,
      workflowId: `repair-${caseId}`,
      args: [{ caseId, entryId, subjectId, authority: AUTHORITY, application, applicationDate, filedBy: subject.name }],
    });
    return eventually(async () => {
      const s = await env.client.workflow.getHandle(`repair-${caseId}`).query(caseQuery);
      expect(s.deadline).toBeDefined();
      return s;
    });
  }

  it('under Order 58 (applied Mon 30 Mar 2026): accept in 3, decide in 7 working days; approval lifts', async () => {
    await withWorker('2026-03-30T02:00:00Z', async (env) => {
      const svc = new CaseService(env.client, TASK_QUEUE);
      const { h, entryId } = await activeListing(env, {
        severity: 'general',
        noticeServedOn: '2026-03-02',
        effectiveDate: '2026-03-02',
        validUntil: '2026-12-01',
        decisionDocument: { number: `Y${Math.random()}`, date: '2026-03-02' },
      });
      const s = await applyDirect(env, entryId, '2026-03-30');
      expect(s).toMatchObject({
        regime: 'order58',
        stage: 'accept',
        deadline: '2026-04-02T16:00:00.000Z',
        totalDeadline: '2026-04-14T16:00:00.000Z',
      });
      await expect(svc.decideRepair(authority, s.caseId, { approved: true, reasons: '提前决定' })).rejects.toEqual(
        refusedWith('wrong_stage'),
      );
      await sleepUntil(env, '2026-03-31T02:00:00Z');
      await expect(svc.acceptRepair(authority, s.caseId, { accepted: true })).rejects.toEqual(refusedWith('forbidden'));
      const accepted = await svc.acceptRepair(office, s.caseId, { accepted: true });
      // 7 working days from Tue 31 Mar: 1, 2, 3, 7, 8, 9, 10 Apr (4–6 Apr Qingming)
      expect(accepted).toMatchObject({ status: 'reviewing', stage: 'decide', deadline: '2026-04-10T16:00:00.000Z' });
      await expect(svc.acceptRepair(office, s.caseId, { accepted: true })).rejects.toEqual(refusedWith('wrong_stage'));
      await expect(svc.decideRepair(otherAuthority, s.caseId, { approved: true, reasons: '同意' })).rejects.toThrow(
        /不存在/,
      );
      const done = await svc.decideRepair(authority, s.caseId, {
        approved: true,
        reasons: '已履行义务并作出信用承诺，同意修复',
      });
      expect(done.status).toBe('approved');
      expect(await h.query(stateQuery)).toMatchObject({ status: 'closed', closeReason: 'removed' });
      expect(await TaskModel.countDocuments({ entryId, status: 'lifted' })).toBe(2);
      const repair = env.client.workflow.getHandle(`repair-${s.caseId}`);
      await repair.result();
      await recordHistory(repair, 'repair-approved-order58.json');
      await recordHistory(h, 'listing-removed-by-repair.json');
    });
  });

  it('under Order 36 (from Thu 2 Apr 2026): accept in 2, decide in 3 working days; rejection keeps', async () => {
    await withWorker('2026-04-02T02:00:00Z', async (env) => {
      const svc = new CaseService(env.client, TASK_QUEUE);
      const { entryId } = await activeListing(env, {
        severity: 'general',
        noticeServedOn: '2026-03-02',
        effectiveDate: '2026-03-02',
        validUntil: '2026-12-01',
        decisionDocument: { number: `Z${Math.random()}`, date: '2026-03-02' },
      });
      const s = await applyDirect(env, entryId, '2026-04-02');
      // accept: Fri 3 Apr, Tue 7 Apr; overall answer within 10 working days: 17 Apr
      expect(s).toMatchObject({
        regime: 'order36',
        stage: 'accept',
        deadline: '2026-04-07T16:00:00.000Z',
        totalDeadline: '2026-04-17T16:00:00.000Z',
      });
      await sleepUntil(env, '2026-04-07T16:01:00Z');
      const late = await env.client.workflow.getHandle(`repair-${s.caseId}`).query(caseQuery);
      expect(late.overdue).toBe(true);
      const accepted = await svc.acceptRepair(office, s.caseId, { accepted: true });
      // decide: 3 working days from Wed 8 Apr (00:01 CST): 9, 10, 13 Apr
      expect(accepted).toMatchObject({ stage: 'decide', deadline: '2026-04-13T16:00:00.000Z', overdue: false });
      const done = await svc.decideRepair(authority, s.caseId, { approved: false, reasons: '未提供完税证明原件' });
      expect(done).toMatchObject({ status: 'rejected', decision: { outcome: 'rejected' } });
      expect(await TaskModel.countDocuments({ entryId, status: 'pending' })).toBe(2);
      expect(await OutboxModel.exists({ caseId: s.caseId, audience: 'subject', type: 'case_decided' })).toBeTruthy();
    });
  });

  it('limits applications: one open at a time, 30 days after a rejection, one approved repair in 5 years', async () => {
    await withWorker('2026-04-02T02:00:00Z', async (env) => {
      const svc = new CaseService(env.client, TASK_QUEUE);
      const today = async () => new Date((await env.currentTimeMs()) + 8 * 3600_000).toISOString().slice(0, 10);
      // a subject of its own: the other tests' approved repairs must not count against it
      const sid = '91330100716105852F';
      const minor = {
        subject: { type: 'enterprise', uscc: sid, name: '限次测试有限公司' },
        severity: 'minor',
        noticeServedOn: '2026-03-02',
        effectiveDate: '2026-03-02',
        validUntil: '2026-05-31',
      };
      const { entryId } = await activeListing(env, {
        ...minor,
        decisionDocument: { number: `M${Math.random()}`, date: '2026-03-02' },
      });
      expect(await svc.eligibility(sid, entryId, await today())).toMatchObject({ eligible: true, regime: 'order36' });

      const first = await applyDirect(env, entryId, await today(), sid);
      expect((await svc.eligibility(sid, entryId, await today())).refusals.map((r) => r.rule)).toEqual(['open']);
      await svc.acceptRepair(office, first.caseId, { accepted: true });
      await svc.decideRepair(authority, first.caseId, { approved: false, reasons: '证明材料不全' });
      const rejected = await svc.eligibility(sid, entryId, await today());
      expect(rejected.refusals).toEqual([
        expect.objectContaining({
          rule: 'repair.reapplyAfterRejection',
          message: '上次申请于 2026-04-02 被驳回，2026-05-02 起方可再次申请',
        }),
      ]);

      await sleepUntil(env, '2026-05-02T01:00:00Z'); // 09:00 CST, 30 days later
      expect(await svc.eligibility(sid, entryId, await today())).toMatchObject({ eligible: true });
      const second = await applyDirect(env, entryId, await today(), sid);
      await svc.acceptRepair(office, second.caseId, { accepted: true });
      expect(
        (await svc.decideRepair(authority, second.caseId, { approved: true, reasons: '材料齐全，同意修复' })).status,
      ).toBe('approved');

      // another entry of the same subject: Order 36 allows one approved repair in five years
      const other = await activeListing(env, {
        ...minor,
        effectiveDate: '2026-05-02',
        noticeServedOn: '2026-04-01',
        validUntil: '2026-07-31',
        decisionDocument: { number: `N${Math.random()}`, date: '2026-04-01' },
      });
      const capped = await svc.eligibility(sid, other.entryId, await today());
      expect(capped.refusals.map((r) => r.rule)).toEqual(['repair.maxApprovedPerFiveYears']);
    });
  });
});
