/**
 * Credit repair (信用修复): the credit office accepts the application (or not) within its deadline,
 * then the listing authority decides within its own; approval ends the listing early through the
 * listing workflow, which lifts every department's measures. Deadlines follow the regime in force on
 * the application date (Order 58 before 2026-04-01, Order 36 from then).
 */
import { allHandlersFinished, condition, defineUpdate, setHandler } from '@temporalio/workflow';
import { ORDER_36_FROM } from '../domain/rules';
import type { AcceptRepairInput, CaseState, DecideRepairInput, RepairInput } from './case-types';
import {
  assertOpen,
  assertParty,
  awaitStage,
  caseQuery,
  handleReplan,
  listingCalls,
  message,
  note,
  nowIso,
  planCaseDeadline,
  refuse,
  save,
} from './case-common';

export const acceptRepairUpdate = defineUpdate<CaseState, [AcceptRepairInput]>('acceptRepair');
export const decideRepairUpdate = defineUpdate<CaseState, [DecideRepairInput]>('decideRepair');
export const fileRepairUpdate = defineUpdate<CaseState>('fileRepair');
export { caseQuery };

export async function repairWorkflow(input: RepairInput): Promise<CaseState> {
  const state: CaseState = {
    caseId: input.caseId,
    kind: 'repair',
    entryId: input.entryId,
    subjectId: input.subjectId,
    authority: input.authority,
    status: 'submitted',
    filedAt: nowIso(),
    filedBy: input.filedBy,
    application: input.application,
    regime: input.applicationDate < ORDER_36_FROM ? 'order58' : 'order36',
    overdue: false,
    extensions: [],
    extendedWorkingDays: 0,
    timeline: [],
    rev: 0,
  };
  let acceptance: AcceptRepairInput | undefined;
  let accepting = false; // the acceptance stage and its deadline are saved
  let deciding = false; // the decision stage and its deadline are saved
  let finished = false; // the outcome is saved: handlers answer only then

  setHandler(caseQuery, () => state);
  let wakes = 0;
  // runs whose stages did not record their rule: acceptance from the filing, the decision from the acceptance
  const legacyRule = () =>
    state.stage === 'decide'
      ? {
          key: 'repair.decisionPeriod' as const,
          ruleDate: input.applicationDate,
          from: state.timeline.find((t) => t.type === 'accepted')?.at ?? state.filedAt,
        }
      : { key: 'repair.acceptPeriod' as const, ruleDate: input.applicationDate, from: state.filedAt };
  handleReplan(
    state,
    () => state.stageRule ?? legacyRule(),
    () => wakes++,
    () => ({ from: state.filedAt, ruleDate: input.applicationDate }),
  );
  // used with update-with-start: answers once the application is registered with its deadlines
  setHandler(fileRepairUpdate, async () => {
    await condition(() => accepting);
    return state;
  });

  setHandler(
    acceptRepairUpdate,
    async (a) => {
      acceptance = a;
      note(state, a.accepted ? 'accepted' : 'not_accepted', a.by.name, a.reasons ? { reasons: a.reasons } : undefined);
      await condition(() => deciding || finished);
      return state;
    },
    {
      validator: (a: AcceptRepairInput) => {
        assertParty(state, a.by, 'office');
        assertOpen(state, 'accept');
        if (!a.accepted && !a.reasons?.trim()) throw refuse('invalid_input', '不予受理须说明理由');
      },
    },
  );

  setHandler(
    decideRepairUpdate,
    async (d) => {
      state.decision = {
        outcome: d.approved ? 'approved' : 'rejected',
        reasons: d.reasons,
        by: d.by.name,
        at: nowIso(),
      };
      note(state, 'decided', d.by.name, { approved: d.approved });
      await condition(() => finished);
      return state;
    },
    {
      validator: (d: DecideRepairInput) => {
        assertParty(state, d.by, 'authority');
        assertOpen(state, 'decide');
        if (!d.reasons?.trim()) throw refuse('invalid_input', '请填写审核意见');
      },
    },
  );

  note(state, 'submitted', input.filedBy, { regime: state.regime });
  const total = await planCaseDeadline({
    fromIso: state.filedAt,
    key: 'repair.totalPeriod',
    ruleDate: input.applicationDate,
  });
  state.totalDeadline = total.deadline;
  await save(state, [
    message(
      state,
      {
        audience: 'office',
        recipient: 'credit-office',
        type: 'case_filed',
        payload: { kind: 'repair', entryId: state.entryId },
      },
      'filed',
    ),
  ]);

  // 1. acceptance by the credit office
  await awaitStage(
    state,
    'accept',
    { key: 'repair.acceptPeriod', ruleDate: input.applicationDate, from: state.filedAt },
    () => !!acceptance,
    () => wakes,
    () => (accepting = true),
  );
  if (!acceptance!.accepted) {
    state.decision = { outcome: 'not_accepted', reasons: acceptance!.reasons!, by: acceptance!.by.name, at: nowIso() };
    return finish();
  }
  const acceptedAt = nowIso();
  state.status = 'reviewing';

  // 2. review and decision by the listing authority
  await awaitStage(
    state,
    'decide',
    { key: 'repair.decisionPeriod', ruleDate: input.applicationDate, from: acceptedAt },
    () => !!state.decision,
    () => wakes,
    () => (deciding = true),
  );

  // 3. approval ends the listing early; its workflow lifts every department's measures
  if (state.decision!.outcome === 'approved') {
    const r = await listingCalls.removeListing({
      entryId: state.entryId!, // a repair is always of a listing
      caseId: state.caseId,
      by: state.decision!.by,
      reason: `信用修复：${state.decision!.reasons}`,
    });
    if (!r.ok) note(state, 'listing_not_changed', undefined, { reason: r.reason });
  }
  return finish();

  async function finish(): Promise<CaseState> {
    const d = state.decision!;
    state.status = d.outcome;
    state.stage = undefined;
    state.closedAt = nowIso();
    note(state, 'closed', undefined, { outcome: d.outcome });
    await save(state, [
      message(
        state,
        {
          audience: 'subject',
          recipient: state.subjectId,
          type: 'case_decided',
          payload: { kind: 'repair', outcome: d.outcome, reasons: d.reasons },
        },
        'decided',
      ),
    ]);
    finished = true;
    await condition(allHandlersFinished);
    return state;
  }
}
