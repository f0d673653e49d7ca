/**
 * The listing workflow (发起–响应–反馈): one execution per list entry, id `listing-<entryId>`.
 *
 * prior notice → effective → match measures → one task per department → acknowledgement deadline
 * with reminder and escalation → feedback any number of times → lift on expiry or removal → closed.
 *
 * Thin: the state and its transitions are plain code (listing-state.ts), writing and pushing a batch is
 * listing-projection.ts; this file holds the handlers, the timers and the loop. Deadlines come from a
 * local activity (calendar + rules table), so a calendar update never changes a running workflow's timers.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineUpdate,
  patched,
  proxyLocalActivities,
  setHandler,
} from '@temporalio/workflow';
import type * as activities from '../activities/listing-activities';
import type { CalendarActivities } from '../activities/calendar-activities';
import type { ReplanCalendarInput } from '../domain/replan';
import { replanCalendarUpdate, type ReplanResult } from './replan-update';
import { rematchUpdate, type RematchInput, type RematchResult } from './rematch-update';
import { cstDate, startOfCstDay } from '../domain/cst';
import type { NoticePlan } from '../domain/listing-plan';
import { guarded, nowIso, shouldContinueAsNew, waitUntil } from './common';
import type {
  AcknowledgeInput,
  ClearObjectionInput,
  CloseReason,
  CorrectInput,
  FeedbackInput,
  FlagObjectionInput,
  ListingInput,
  ListingState,
  ProjectionBatch,
  RemoveInput,
  TaskState,
} from './listing-types';
import { ListingMachine } from './listing-state';
import { projectAndPush } from './listing-projection';

export const acknowledgeUpdate = defineUpdate<TaskState, [AcknowledgeInput]>('acknowledge');
export const feedbackUpdate = defineUpdate<{ feedbackId: string; task: TaskState }, [FeedbackInput]>('feedback');
export const removeUpdate = defineUpdate<ListingState, [RemoveInput]>('remove');
export const flagObjectionUpdate = defineUpdate<ListingState, [FlagObjectionInput]>('flagObjection');
export const clearObjectionUpdate = defineUpdate<ListingState, [ClearObjectionInput]>('clearObjection');
export const correctUpdate = defineUpdate<ListingState, [CorrectInput]>('correct');
export const stateQuery = defineQuery<ListingState>('state');

// pure computations over in-process data (calendar, rules, catalogue): local activities, recorded in
// history, so replay never recomputes them with newer data
const { planNotice, planTasks, matchMeasures, planListingStart } = proxyLocalActivities<typeof activities>({
  startToCloseTimeout: '10 seconds',
});
const { replanListingDeadlines } = proxyLocalActivities<CalendarActivities>({ startToCloseTimeout: '10 seconds' });

/** Patch id: the removal update answers after the close is written (before: when the status changed). */
export const CLOSE_WRITTEN_BEFORE_REMOVAL_ANSWERS = 'close-written-before-removal-answers';
/** Patch id: a removal accepted while the run waits to continue as new closes it (before: waited forever). */
export const REMOVAL_CLOSES_BEFORE_CONTINUE_AS_NEW = 'removal-closes-before-continue-as-new';
/** Patch id: the fan-out reaches the subject's registered region's departments too (domain/fan-out.ts). */
export const FAN_OUT_TO_REGION = 'fan-out-to-region';
/** Patch id: a start plans its notice and, when the notice is already over, its tasks in one local activity. */
export const PLAN_START_IN_ONE_STEP = 'plan-start-in-one-step';

export async function listingWorkflow(input: ListingInput): Promise<ListingState> {
  const listing = new ListingMachine(input, nowIso);
  const state = listing.state;
  // the main loop re-plans its timer when a handler changes a deadline
  let wakes = 0;
  /** The close (status, lifted tasks, events, messages) has been written. */
  let closeWritten = false;

  /** Writes the batch, then pushes its department messages to departments that have a webhook. */
  const project = (batch: ProjectionBatch) => projectAndPush(batch, (message) => listing.webhookFor(message));

  // ---- handlers ----
  setHandler(stateQuery, () => state);

  setHandler(
    acknowledgeUpdate,
    async (ack) => {
      const { task, batch } = listing.acknowledge(ack);
      await project(batch);
      return task;
    },
    { validator: guarded((ack: AcknowledgeInput) => listing.checkAcknowledge(ack)) },
  );

  setHandler(
    feedbackUpdate,
    async (fb) => {
      const { feedbackId, task, batch } = listing.feedback(fb);
      await project(batch);
      return { feedbackId, task };
    },
    { validator: guarded((fb: FeedbackInput) => listing.checkFeedback(fb)) },
  );

  setHandler(
    removeUpdate,
    async (removal) => {
      await project(listing.requestRemoval(removal));
      // answer once the close is in MongoDB, so the caller (and every check after it) sees the listing
      // closed; histories recorded before this rule answered when the status changed
      const afterWrite = patched(CLOSE_WRITTEN_BEFORE_REMOVAL_ANSWERS);
      await condition(() => (afterWrite ? closeWritten : state.status === 'closed'));
      return state;
    },
    { validator: guarded((removal: RemoveInput) => listing.checkRemove(removal)) },
  );

  setHandler(
    flagObjectionUpdate,
    async (flag) => {
      const batch = listing.flagObjection(flag);
      if (batch) await project(batch);
      return state;
    },
    { validator: guarded((flag: FlagObjectionInput) => listing.checkFlagObjection(flag)) },
  );

  setHandler(
    clearObjectionUpdate,
    async (clear) => {
      await project(listing.clearObjection(clear));
      return state;
    },
    { validator: guarded((clear: ClearObjectionInput) => listing.checkClearObjection(clear)) },
  );

  setHandler(
    correctUpdate,
    async (correction) => {
      const batch = listing.correct(correction);
      wakes++;
      await project(batch);
      return state;
    },
    { validator: guarded((correction: CorrectInput) => listing.checkCorrect(correction)) },
  );

  setHandler(
    replanCalendarUpdate,
    async (replan): Promise<ReplanResult> => {
      if (!listing.startReplan(replan)) return { applied: false, changes: [] };
      const plan = await replanListingDeadlines(replan, listing.deadlines());
      const batch = listing.applyReplan(replan, plan);
      wakes++;
      await project(batch);
      return { applied: true, changes: plan.changes };
    },
    { validator: guarded((replan: ReplanCalendarInput) => listing.checkReplan(replan)) },
  );

  setHandler(
    rematchUpdate,
    async (rematch): Promise<RematchResult> => {
      if (!listing.startRematch(rematch)) return { applied: false, changes: [] };
      // the editions in force today, less the measures suspended city-wide
      const groups = await matchMeasures({ ...entryFacts(), onDate: cstDate(new Date()) });
      const toPlan = listing.groupsToPlan(groups);
      const plans = toPlan.length ? await planTasks(nowIso(), toPlan) : [];
      const { result, batch } = listing.applyRematch(rematch, groups, plans);
      wakes++;
      await project(batch);
      return result;
    },
    { validator: guarded((rematch: RematchInput) => listing.checkRematch(rematch)) },
  );

  // ---- phase 1: prior notice ----
  // When the notice window is already over (served with the decision), the notice projection is
  // merged into the effective one: one write instead of two.
  let deferred: ProjectionBatch | undefined;
  // the measures and tasks planned with the notice when it was already over (runs since the patch)
  let planned: (NonNullable<activities.ListingStartPlan['effective']> & { at: string }) | undefined;
  if (!input.resume) {
    const notice = {
      noticeServedAt: state.request.noticeServedOn
        ? startOfCstDay(state.request.noticeServedOn).toISOString()
        : state.startedAt,
      effectiveDate: state.request.effectiveDate,
      validUntil: state.request.validUntil,
    };
    let plan: NoticePlan;
    if (patched(PLAN_START_IN_ONE_STEP)) {
      const at = nowIso();
      const start = await planListingStart({ notice, facts: entryFacts(), at });
      plan = start.notice;
      if (start.effective) planned = { at, ...start.effective };
    } else plan = await planNotice(notice);
    const noticeBatch = listing.serveNotice(plan);
    if (Date.parse(state.effectiveAt) > Date.now()) await project(noticeBatch);
    else deferred = noticeBatch;
  }

  if (state.status === 'notice') {
    // a calendar re-planning during that activity moved the effective day later: plan on that day instead
    if (planned && Date.parse(state.effectiveAt) > Date.parse(planned.at)) planned = undefined;
    await waitUntil(() => !!state.removal, state.effectiveAt);
    // a re-planned notice window ends later: wait again (runs never re-planned never enter this loop)
    while (!state.removal && Date.now() < Date.parse(state.effectiveAt))
      await waitUntil(() => !!state.removal, state.effectiveAt);
    // an objection filed during the notice window holds the listing until it is decided
    if (!state.removal && state.objection) {
      planned = undefined; // decided later: matched and planned on the day it is decided
      await condition(() => !!state.removal || !state.objection);
    }
    if (state.removal || Date.now() >= Date.parse(state.expiresAt)) {
      if (deferred) await project(deferred);
      return close(state.removal ? 'withdrawn_in_notice' : 'expired');
    }
    // the editions in force on the day it takes effect
    const groups = planned?.groups ?? (await matchMeasures({ ...entryFacts(), onDate: cstDate(new Date()) }));
    const effectiveAt = planned?.at ?? nowIso();
    const plans = planned?.plans ?? (await planTasks(effectiveAt, groups));
    await project(listing.activate(effectiveAt, groups, plans, deferred));
  }

  // ---- phase 2: active — reminders, escalation, until expiry or removal ----
  while (state.status === 'active') {
    if (state.removal) return close('removed');
    if (Date.now() >= Date.parse(state.expiresAt)) return close('expired');
    const due = listing.fireDueTimers();
    if (due) await project(due);
    if (shouldContinueAsNew(input.continueAsNewAtHistoryLength)) {
      // a removal accepted while handlers finish closes this run instead: its handler waits for the
      // close, so waiting for every handler first would wait forever (as runs before this rule did)
      const removalEndsWait = patched(REMOVAL_CLOSES_BEFORE_CONTINUE_AS_NEW);
      await condition(() => allHandlersFinished() || (removalEndsWait && !!state.removal));
      if (removalEndsWait && state.removal) continue;
      return continueAsNew<typeof listingWorkflow>({ ...input, resume: state });
    }
    const seen = wakes;
    await waitUntil(
      () => !!state.removal || shouldContinueAsNew(input.continueAsNewAtHistoryLength) || wakes !== seen,
      listing.nextTimer(),
    );
  }
  return state;

  function entryFacts() {
    return {
      listKind: state.request.listKind,
      category: state.request.category,
      severity: state.request.severity,
      subjectType: state.request.subject.type,
      // a county's or zone's listing reaches that region's departments too (listings from before: city only)
      ...(state.request.region && patched(FAN_OUT_TO_REGION) ? { region: state.request.region } : {}),
    };
  }

  async function close(reason: CloseReason): Promise<ListingState> {
    await project(listing.close(reason));
    closeWritten = true;
    await condition(allHandlersFinished);
    return state;
  }
}
