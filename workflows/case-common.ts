/**
 * What the objection and repair workflows share: the case state's timeline and projection, and the
 * wait for a decision against a working-day deadline with a reminder before and an escalation at it.
 */
import { condition, defineQuery, proxyActivities, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { CalendarActivities } from '../activities/calendar-activities';
import type { CaseActivities } from '../activities/case-activities';
import type { RecordObjectionActivities } from '../activities/record-objection-activities';
import type { ReplanCalendarInput } from '../domain/replan';
import type { Actor, CaseState, StageRule } from './case-types';
import { nowIso, project, refuse, RETRY_FOREVER } from './common';
import type { OutboxMessage } from './listing-types';
import { replanCalendarUpdate, replanKey, type ReplanResult } from './replan-update';

export { nowIso, refuse };
export const listingCalls = proxyActivities<CaseActivities>({ startToCloseTimeout: '2 minutes', retry: RETRY_FOREVER });
/** An objection's effects on a credit record (activities/record-objection-activities.ts). */
export const recordCalls = proxyActivities<RecordObjectionActivities>({
  startToCloseTimeout: '2 minutes',
  retry: RETRY_FOREVER,
});
export const { planCaseDeadline } = proxyLocalActivities<CaseActivities>({ startToCloseTimeout: '10 seconds' });
const { replanCaseDeadlines } = proxyLocalActivities<CalendarActivities>({ startToCloseTimeout: '10 seconds' });

export const caseQuery = defineQuery<CaseState>('case');

export function note(state: CaseState, type: string, by?: string, detail?: Record<string, unknown>): void {
  state.timeline.push({ at: nowIso(), type, by, detail });
}

export function message(
  state: CaseState,
  m: Omit<OutboxMessage, 'id' | 'entryId' | 'at' | 'caseId'>,
  key: string,
): OutboxMessage {
  // a message about an objection on a credit record names the record where a listing's would name the entry
  const about = state.entryId ?? state.recordId!;
  return { ...m, id: `${state.caseId}:${key}`, caseId: state.caseId, entryId: about, at: nowIso() };
}

export async function save(state: CaseState, outbox: OutboxMessage[] = []): Promise<void> {
  state.rev += 1;
  await project({ cases: [state], outbox });
}

/** Validator helper: only `role` (bound to this case's authority where it is the authority) may act. */
export function assertParty(state: CaseState, by: Actor, role: Actor['role']): void {
  if (by.role !== role)
    throw refuse('forbidden', role === 'authority' ? '只有认定单位可以作出该决定' : '只有信用办可以办理受理');
  if (role === 'authority' && by.authority !== state.authority)
    throw refuse('forbidden', `该案件由“${state.authority}”办理，当前账号无权决定`);
}

export function assertOpen(state: CaseState, stage: CaseState['stage']): void {
  if (state.decision || state.closedAt) throw refuse('case_closed', '该案件已办结，不能重复决定');
  if (state.stage !== stage)
    throw refuse('wrong_stage', stage === 'decide' ? '该申请尚未受理，不能作出决定' : '当前阶段不能进行该操作');
}

export type { StageRule };

/** (Re-)plans the stage's deadline from its rule plus any extensions; clears flags a later deadline voids. */
export async function planStage(state: CaseState, rule: StageRule): Promise<void> {
  const p = await planCaseDeadline({
    fromIso: rule.from,
    key: rule.key,
    ruleDate: rule.ruleDate,
    extraWorkingDays: state.extendedWorkingDays,
  });
  state.deadline = p.deadline;
  state.remindAt = p.remindAt;
  state.stageRule = rule;
  state.calendarCovered = p.calendarCovered;
  if (Date.parse(p.deadline) > Date.now()) {
    state.overdue = false;
    state.escalatedAt = undefined;
  }
  if (Date.parse(p.remindAt) > Date.now()) state.reminderSentAt = undefined;
}

/**
 * Enters the stage, plans its deadline and waits until `done()` holds, sending a reminder before and
 * escalating at the deadline. A handler that moves the deadline re-plans it and bumps `wakes()`.
 * `entered` runs once the stage and its deadline are saved (handlers answering "filed" wait for it).
 */
export async function awaitStage(
  state: CaseState,
  stage: NonNullable<CaseState['stage']>,
  rule: StageRule,
  done: () => boolean,
  wakes: () => number,
  entered: () => void = () => undefined,
): Promise<void> {
  state.stage = stage;
  state.overdue = false;
  state.reminderSentAt = undefined;
  state.escalatedAt = undefined;
  await planStage(state, rule);
  await save(state);
  entered();
  const recipient =
    stage === 'accept'
      ? { audience: 'office' as const, recipient: 'credit-office' }
      : { audience: 'authority' as const, recipient: state.authority };
  while (!done()) {
    const now = Date.now();
    if (!state.reminderSentAt && Date.parse(state.remindAt!) <= now) {
      state.reminderSentAt = nowIso();
      note(state, 'reminder_sent', undefined, { deadline: state.deadline });
      await save(state, [
        message(
          state,
          { ...recipient, type: 'case_reminder', payload: { stage, deadline: state.deadline } },
          `reminder:${stage}:${state.deadline}`,
        ),
      ]);
    }
    if (!state.escalatedAt && Date.parse(state.deadline!) <= now) {
      state.escalatedAt = nowIso();
      state.overdue = true;
      note(state, 'escalated', undefined, { deadline: state.deadline });
      await save(state, [
        message(
          state,
          {
            audience: 'office',
            recipient: 'credit-office',
            type: 'case_escalation',
            payload: { stage, deadline: state.deadline, reason: '逾期未办结' },
          },
          `escalation:${stage}:${state.deadline}`,
        ),
      ]);
    }
    const next = [state.reminderSentAt ? undefined : state.remindAt, state.escalatedAt ? undefined : state.deadline]
      .filter((x): x is string => !!x)
      .map(Date.parse);
    const seen = wakes();
    const woken = () => done() || wakes() !== seen;
    if (next.length) await condition(woken, Math.max(1, Math.min(...next) - Date.now()));
    else await condition(woken);
  }
}

/** Who is told when the stage's deadline moves: the party that must act, and the subject. */
function stageRecipient(state: CaseState) {
  return state.stage === 'accept'
    ? { audience: 'office' as const, recipient: 'credit-office' }
    : { audience: 'authority' as const, recipient: state.authority };
}

/**
 * The `replanCalendar` Update of a case: plans the current stage's deadline (and a repair's overall
 * one) again under the newly covered year, never earlier than announced, once per calendar version;
 * a moved deadline is a timeline item and a message to the acting party and the subject. `rule` gives
 * the stage's rule (cases planned before stages recorded theirs work it out); `total` a repair's.
 */
export function handleReplan(
  state: CaseState,
  rule: () => StageRule,
  wake: () => void,
  total?: () => { from: string; ruleDate: string },
): void {
  setHandler(
    replanCalendarUpdate,
    async (input: ReplanCalendarInput): Promise<ReplanResult> => {
      const key = replanKey(input);
      if (state.replans?.includes(key)) return { applied: false, changes: [] };
      state.replans = [...(state.replans ?? []), key];
      const r = rule();
      const t = total && state.totalDeadline ? total() : undefined;
      const plan = await replanCaseDeadlines(input, {
        from: r.from,
        key: r.key,
        ruleDate: r.ruleDate,
        extraWorkingDays: state.extendedWorkingDays,
        reminderRuleDate: r.ruleDate,
        deadline: state.deadline!,
        remindAt: state.remindAt!,
        ...(t ? { total: { ...t, deadline: state.totalDeadline! } } : {}),
      });
      const now = Date.now();
      state.calendarCovered = true;
      if (plan.deadline !== state.deadline) {
        state.deadline = plan.deadline;
        state.remindAt = plan.remindAt;
        // a reminder or an escalation for the old deadline does not stand for the new one
        if (Date.parse(plan.remindAt) > now) state.reminderSentAt = undefined;
        if (Date.parse(plan.deadline) > now) {
          state.escalatedAt = undefined;
          state.overdue = false;
        }
      }
      if (plan.totalDeadline) state.totalDeadline = plan.totalDeadline;
      const outbox: OutboxMessage[] = [];
      if (plan.changes.length) {
        note(state, 'calendar_replanned', undefined, {
          year: input.year,
          notice: input.notice.number,
          changes: plan.changes,
        });
        const payload = { kind: state.kind, stage: state.stage, changes: plan.changes, notice: input.notice.number };
        for (const to of [stageRecipient(state), { audience: 'subject' as const, recipient: state.subjectId }])
          outbox.push(message(state, { ...to, type: 'deadline_changed', payload }, `replan:${key}:${to.audience}`));
      }
      await save(state, outbox);
      wake();
      return { applied: true, changes: plan.changes };
    },
    {
      validator: (_input: ReplanCalendarInput) => {
        if (state.closedAt || state.decision) throw refuse('case_closed', '案件已办结，期限不再调整');
        if (!state.stage || !state.deadline) throw refuse('wrong_stage', '案件尚无办理期限');
      },
    },
  );
}
