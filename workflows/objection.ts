/**
 * Objection (异议): the subject contests one of its records. The record is flagged "under objection"
 * at once; the listing authority verifies within a working-day deadline (reminder, escalation,
 * bounded extensions with reasons) and decides: upheld → the listing is removed or corrected through
 * the listing workflow (measures lifted on removal); rejected → reasons recorded, subject notified.
 * The record may be a credit record (信用档案) instead of a listing: the same procedure, decided by
 * its source, whose upheld outcome withdraws or corrects the record as a new version.
 */
import { allHandlersFinished, condition, defineUpdate, patched, setHandler } from '@temporalio/workflow';
import type { CaseState, DecideObjectionInput, ExtendInput, ObjectionInput } from './case-types';
import { cstDate } from '../domain/cst';
import type { RefusalCode } from '../domain/refusal';
import {
  assertOpen,
  assertParty,
  awaitStage,
  caseQuery,
  handleReplan,
  listingCalls,
  message,
  recordCalls,
  note,
  nowIso,
  planStage,
  refuse,
  save,
  type StageRule,
} from './case-common';

export const fileObjectionUpdate = defineUpdate<CaseState>('fileObjection');
export const extendObjectionUpdate = defineUpdate<CaseState, [ExtendInput]>('extendObjection');
export const decideObjectionUpdate = defineUpdate<CaseState, [DecideObjectionInput]>('decideObjection');
export { caseQuery };

export async function objectionWorkflow(input: ObjectionInput, maxExtensionWorkingDays = 20): Promise<CaseState> {
  const state: CaseState = {
    caseId: input.caseId,
    kind: 'objection',
    ...(input.entryId !== undefined ? { entryId: input.entryId } : {}),
    ...(input.recordId !== undefined ? { recordId: input.recordId } : {}),
    subjectId: input.subjectId,
    authority: input.authority,
    status: 'filing',
    filedAt: nowIso(),
    filedBy: input.filedBy,
    reason: input.reason,
    evidence: input.evidence,
    overdue: false,
    extensions: [],
    extendedWorkingDays: 0,
    timeline: [],
    rev: 0,
  };
  let wakes = 0;
  let refusal: { code: RefusalCode; message: string } | undefined;
  let verifying = false; // the verify stage and its deadline are saved
  let finished = false; // the outcome is saved: handlers answer only then
  const verifyRule = (): StageRule => ({
    key: 'objection.verifyPeriod',
    ruleDate: cstDate(new Date(state.filedAt)),
    from: state.filedAt,
  });

  setHandler(caseQuery, () => state);
  handleReplan(
    state,
    () => state.stageRule ?? verifyRule(),
    () => wakes++,
  );

  // used with update-with-start: answers once the listing is flagged, or with the reason it cannot be
  setHandler(fileObjectionUpdate, async () => {
    await condition(() => !!refusal || verifying);
    if (refusal) throw refuse(refusal.code, refusal.message);
    return state;
  });

  setHandler(
    extendObjectionUpdate,
    async ({ by, workingDays, reason }) => {
      state.extensions.push({ workingDays, reason, by: by.name, at: nowIso() });
      state.extendedWorkingDays += workingDays;
      note(state, 'extended', by.name, { workingDays, reason });
      await planStage(state, verifyRule());
      await save(state);
      wakes++;
      return state;
    },
    {
      validator: ({ by, workingDays, reason }: ExtendInput) => {
        assertParty(state, by, 'authority');
        assertOpen(state, 'verify');
        if (!Number.isInteger(workingDays) || workingDays < 1)
          throw refuse('invalid_input', '延长天数须为正整数个工作日');
        if (!reason?.trim()) throw refuse('invalid_input', '延长须说明理由');
        if (state.extendedWorkingDays + workingDays > maxExtensionWorkingDays) {
          throw refuse(
            'invalid_input',
            `累计延长不得超过${maxExtensionWorkingDays}个工作日（已延长${state.extendedWorkingDays}个工作日）`,
          );
        }
      },
    },
  );

  setHandler(
    decideObjectionUpdate,
    async (d) => {
      state.decision = {
        outcome: d.outcome,
        reasons: d.reasons,
        by: d.by.name,
        at: nowIso(),
        action: d.action,
        correction: d.correction,
      };
      note(state, 'decided', d.by.name, { outcome: d.outcome, action: d.action });
      await condition(() => finished);
      return state;
    },
    {
      validator: (d: DecideObjectionInput) => {
        assertParty(state, d.by, 'authority');
        assertOpen(state, 'verify');
        if (!d.reasons?.trim()) throw refuse('invalid_input', '请填写处理理由');
        if (d.outcome === 'upheld' && d.action !== 'remove' && d.action !== 'correct')
          throw refuse('invalid_input', '异议成立时须选择处理方式：remove（移出名单）或 correct（更正）');
        if (d.action === 'correct' && !d.correction?.validUntil && !d.correction?.reason)
          throw refuse('invalid_input', '更正须至少包含有效期或认定理由之一');
      },
    },
  );

  // an objection on a credit record (only runs started by code that knows them have a recordId)
  const onRecord = input.recordId !== undefined && patched('objection-on-credit-record');

  // 1. flag the record at once
  const flagged = onRecord
    ? await recordCalls.flagRecord({ recordId: input.recordId!, caseId: input.caseId })
    : await listingCalls.flagListing({ entryId: input.entryId!, caseId: input.caseId });
  if (!flagged.ok) {
    // the listing's own code (results recorded before codes existed have none)
    refusal = { code: flagged.code ?? 'listing_refused', message: `不能对该条目提出异议：${flagged.reason}` };
    state.status = 'refused';
    state.closedAt = nowIso();
    note(state, 'refused', undefined, { reason: flagged.reason });
    await save(state);
    await condition(allHandlersFinished);
    return state;
  }
  state.status = 'verifying';
  note(state, 'filed', input.filedBy, { reason: input.reason, evidence: input.evidence.length });
  await save(state, [
    message(
      state,
      {
        audience: 'authority',
        recipient: state.authority,
        type: 'case_filed',
        payload: { kind: 'objection', entryId: state.entryId, reason: state.reason },
      },
      'filed',
    ),
  ]);

  // 2. verification by the listing authority against its deadline
  await awaitStage(
    state,
    'verify',
    verifyRule(),
    () => !!state.decision,
    () => wakes,
    () => (verifying = true),
  );

  // 3. carry out the decision on the credit record, or through the listing workflow
  const d = state.decision!;
  let effect;
  if (onRecord) {
    const upheld = d.outcome === 'upheld' ? { action: d.action!, reasons: d.reasons, correction: d.correction } : {};
    effect = await recordCalls.decideRecordObjection({
      recordId: input.recordId!,
      caseId: state.caseId,
      by: d.by,
      ...upheld,
    });
  } else if (d.outcome === 'upheld' && d.action === 'remove') {
    effect = await listingCalls.removeListing({
      entryId: state.entryId!,
      caseId: state.caseId,
      by: d.by,
      reason: `异议成立：${d.reasons}`,
    });
  } else {
    if (d.outcome === 'upheld') {
      effect = await listingCalls.correctListing({
        entryId: state.entryId!,
        caseId: state.caseId,
        by: d.by,
        ...d.correction,
      });
    }
    await listingCalls.clearListingObjection({
      entryId: state.entryId!,
      caseId: state.caseId,
      outcome: d.outcome as 'upheld' | 'rejected',
    });
  }
  if (effect && !effect.ok) note(state, 'listing_not_changed', undefined, { reason: effect.reason });
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
        payload: { kind: 'objection', outcome: d.outcome, reasons: d.reasons, action: d.action },
      },
      'decided',
    ),
  ]);
  finished = true;
  await condition(allHandlersFinished);
  return state;
}
