/**
 * The listing's state transitions without Temporal: a clock the test moves by hand, and the batches
 * each transition asks the workflow to write.
 */
import { ListingRequest } from '../../domain/listing';
import { Refusal } from '../../domain/refusal';
import { ListingMachine, type NoticePlan } from '../../workflows/listing-state';
import type { MatchedGroup } from '../../workflows/listing-types';

const request = ListingRequest.parse({
  subject: { type: 'enterprise', uscc: '914403001922038216', name: '示例科技有限公司' },
  listKind: 'black',
  category: 'major_tax_violation',
  severity: 'serious',
  authority: '国家税务总局沧州市税务局',
  legalBasis: [{ document: '重大税收违法失信主体信息公布管理办法（国家税务总局令第54号）' }],
  decisionDocument: { number: '沧税稽罚〔2026〕12号', date: '2026-09-18' },
  reason: '虚开增值税专用发票，情节严重',
  effectiveDate: '2026-09-29',
  validUntil: '2027-09-28',
});

const plan: NoticePlan = {
  noticeEndsAt: '2026-10-10T16:00:00.000Z',
  effectiveAt: '2026-10-10T16:00:00.000Z',
  expiresAt: '2027-09-28T16:00:00.000Z',
  calendarCovered: true,
  noticeWindowWorkingDays: 5,
};

const measure = (id: string) => ({ id, kind: 'sanction' as const, title: id, mandatory: true, legalBasis: [] });
const groups: MatchedGroup[] = [
  { departmentId: 'alpha', departmentName: '甲局', measures: [measure('alpha.a'), measure('alpha.b')] },
  {
    departmentId: 'beta',
    departmentName: '乙局',
    webhookUrl: 'http://127.0.0.1:9/hook',
    measures: [measure('beta.a')],
  },
];
const plans = [
  {
    ackDeadline: '2026-10-14T16:00:00.000Z',
    remindAt: '2026-10-13T01:00:00.000Z',
    feedbackDue: '2026-10-23T16:00:00.000Z',
  },
  {
    ackDeadline: '2026-10-16T16:00:00.000Z',
    remindAt: '2026-10-15T01:00:00.000Z',
    feedbackDue: '2026-11-06T16:00:00.000Z',
  },
];

/** A machine with a hand-moved clock, taken effect with two tasks (alpha, beta). */
function active(at = '2026-10-11T00:00:00.000Z') {
  let now = '2026-09-28T02:00:00.000Z';
  const m = new ListingMachine({ entryId: 'E1', request }, () => now);
  const notice = m.serveNotice(plan);
  now = at;
  const batch = m.activate(now, groups, plans, notice);
  return { m, batch, setNow: (iso: string) => (now = iso) };
}

const refusalOf = (fn: () => void): string | undefined => {
  try {
    fn();
  } catch (e) {
    if (e instanceof Refusal) return e.code;
    throw e;
  }
  return undefined;
};

describe('ListingMachine', () => {
  it('serves the notice, then takes effect with one task per department and the deferred notice merged in', () => {
    const { m, batch } = active();
    expect(m.state).toMatchObject({ status: 'active', subjectId: '914403001922038216', rev: 2, eventSeq: 5 });
    expect(batch.events?.map((e) => [e.id, e.type, e.departmentId])).toEqual([
      ['E1:1', 'started', undefined],
      ['E1:2', 'notice_served', undefined],
      ['E1:3', 'effective', undefined],
      ['E1:4', 'task_assigned', 'alpha'],
      ['E1:5', 'task_assigned', 'beta'],
    ]);
    expect(batch.outbox?.map((o) => [o.id, o.audience, o.recipient, o.type])).toEqual([
      ['E1:notice', 'subject', '914403001922038216', 'prior_notice'],
      ['E1:assigned:alpha', 'department', 'alpha', 'task_assigned'],
      ['E1:assigned:beta', 'department', 'beta', 'task_assigned'],
    ]);
    expect(batch.tasks?.map((t) => [t.taskId, t.status, t.ackDeadline, t.webhookUrl])).toEqual([
      ['E1:alpha', 'pending', '2026-10-14T16:00:00.000Z', undefined],
      ['E1:beta', 'pending', '2026-10-16T16:00:00.000Z', 'http://127.0.0.1:9/hook'],
    ]);
    expect(batch.listing).toMatchObject({ taskCount: 2, rev: 2, status: 'active' });
    expect(batch.listing).not.toHaveProperty('tasks');
    expect(m.webhookFor(batch.outbox![2])).toBe('http://127.0.0.1:9/hook');
    expect(m.webhookFor(batch.outbox![1])).toBeUndefined();
  });

  it('acknowledges on time or late, and refuses a second acknowledgement and unknown departments', () => {
    const { m, setNow } = active();
    setNow('2026-10-12T03:00:00.000Z');
    expect(m.acknowledge({ departmentId: 'alpha', by: '甲' }).task).toMatchObject({
      status: 'acknowledged',
      ackOnTime: true,
      rev: 2,
    });
    expect(refusalOf(() => m.checkAcknowledge({ departmentId: 'alpha', by: '甲' }))).toBe('already_acknowledged');
    expect(refusalOf(() => m.checkAcknowledge({ departmentId: 'gamma', by: '丙' }))).toBe('task_not_found');
    setNow('2026-10-17T00:00:00.000Z');
    expect(m.acknowledge({ departmentId: 'beta', by: '乙' }).task.ackOnTime).toBe(false);
  });

  it('takes feedback only on acknowledged tasks and for the task own measures, numbering each report', () => {
    const { m } = active();
    const fb = {
      departmentId: 'alpha',
      by: '甲',
      matter: 'fiscal_subsidy',
      measureIds: ['alpha.a'],
      appliedOn: '2026-10-12',
      outcome: '不予补贴',
    };
    expect(refusalOf(() => m.checkFeedback(fb))).toBe('not_acknowledged');
    m.acknowledge({ departmentId: 'alpha', by: '甲' });
    expect(refusalOf(() => m.checkFeedback({ ...fb, measureIds: ['beta.a'] }))).toBe('invalid_input');
    expect(refusalOf(() => m.checkFeedback(fb))).toBeUndefined();
    const first = m.feedback(fb);
    const second = m.feedback(fb);
    expect([first.feedbackId, second.feedbackId]).toEqual(['E1:alpha:fb:1', 'E1:alpha:fb:2']);
    expect(second.task).toMatchObject({ feedbackCount: 2, feedbackOverdue: false });
    expect(second.batch.feedback?.[0]).toMatchObject({ seq: 2, taskId: 'E1:alpha', entryId: 'E1' });
  });

  it('fires reminders, escalations and missing-feedback flags once each, and plans the next timer', () => {
    const { m, setNow } = active();
    expect(m.nextTimer()).toBe('2026-10-13T01:00:00.000Z');
    setNow('2026-10-13T01:00:00.000Z');
    const reminders = m.fireDueTimers();
    expect(reminders?.outbox?.map((o) => o.id)).toEqual(['E1:reminder:alpha']);
    expect(m.fireDueTimers()).toBeUndefined();
    expect(m.nextTimer()).toBe('2026-10-14T16:00:00.000Z');
    setNow('2026-10-24T00:00:00.000Z');
    const due = m.fireDueTimers();
    expect(due?.events?.map((e) => [e.type, e.departmentId])).toEqual([
      ['escalated', 'alpha'],
      ['feedback_overdue', 'alpha'],
      ['reminder_sent', 'beta'],
      ['escalated', 'beta'],
    ]);
    expect(due?.outbox?.map((o) => [o.id, o.audience])).toEqual([
      ['E1:escalation:alpha', 'office'],
      ['E1:feedback-overdue:alpha', 'office'],
      ['E1:reminder:beta', 'department'],
      ['E1:escalation:beta', 'office'],
    ]);
    expect(m.state.tasks.map((t) => t.overdue)).toEqual([true, true]);
    expect(m.nextTimer()).toBe('2026-11-06T16:00:00.000Z');
  });

  it('flags an objection once per case, refuses a second case, clears only the current one', () => {
    const { m } = active();
    expect(m.flagObjection({ caseId: 'O1' })?.events?.[0].type).toBe('objection_filed');
    expect(m.state.tasks.every((t) => t.underObjection)).toBe(true);
    expect(refusalOf(() => m.checkFlagObjection({ caseId: 'O1' }))).toBeUndefined();
    expect(m.flagObjection({ caseId: 'O1' })).toBeUndefined();
    expect(refusalOf(() => m.checkFlagObjection({ caseId: 'O2' }))).toBe('objection_pending');
    expect(refusalOf(() => m.checkClearObjection({ caseId: 'O2', outcome: 'rejected' }))).toBe('not_current_objection');
    m.clearObjection({ caseId: 'O1', outcome: 'rejected' });
    expect(m.state.objection).toBeUndefined();
    expect(m.state.tasks.some((t) => t.underObjection)).toBe(false);
  });

  it('corrects by shortening only, carrying the new expiry to every task', () => {
    const { m } = active();
    expect(refusalOf(() => m.checkCorrect({ caseId: 'O1', by: '认定单位' }))).toBe('invalid_input');
    expect(refusalOf(() => m.checkCorrect({ caseId: 'O1', by: '认定单位', validUntil: '2028-01-01' }))).toBe(
      'invalid_input',
    );
    m.correct({ caseId: 'O1', by: '认定单位', validUntil: '2027-03-31' });
    expect(m.state.expiresAt).toBe('2027-03-31T16:00:00.000Z');
    expect(m.state.tasks.map((t) => t.entry.expiresAt)).toEqual([
      '2027-03-31T16:00:00.000Z',
      '2027-03-31T16:00:00.000Z',
    ]);
  });

  it('removes once: the close lifts every task and tells each department and the subject', () => {
    const { m, setNow } = active();
    m.requestRemoval({ by: '信用办', reason: '提前移出' });
    expect(refusalOf(() => m.checkRemove({ by: '信用办', reason: '再次' }))).toBe('removal_in_progress');
    setNow('2026-10-20T00:00:00.000Z');
    const closed = m.close('removed');
    expect(m.state).toMatchObject({ status: 'closed', closeReason: 'removed', closedAt: '2026-10-20T00:00:00.000Z' });
    expect(closed.tasks?.map((t) => [t.status, t.liftedAt])).toEqual([
      ['lifted', '2026-10-20T00:00:00.000Z'],
      ['lifted', '2026-10-20T00:00:00.000Z'],
    ]);
    expect(closed.outbox?.map((o) => o.id)).toEqual(['E1:lift:alpha', 'E1:lift:beta', 'E1:closed']);
    expect(refusalOf(() => m.checkRemove({ by: '信用办', reason: '再次' }))).toBe('listing_closed');
    expect(refusalOf(() => m.checkAcknowledge({ departmentId: 'alpha', by: '甲' }))).toBe('listing_closed');
  });

  it('carries the state into the next run on continue-as-new, counting runs', () => {
    const { m } = active();
    const next = new ListingMachine({ entryId: 'E1', request, resume: m.state }, () => '2026-12-01T00:00:00.000Z');
    expect(next.state).toMatchObject({ runs: 2, status: 'active', eventSeq: 5 });
    expect(next.state.tasks).toHaveLength(2);
  });
});
