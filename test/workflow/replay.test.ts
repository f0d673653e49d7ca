/**
 * Listings run for months, so a change to the listing workflow must replay the histories of runs
 * started before it. Each fixture in test/fixtures/histories was recorded with the code before a
 * change guarded by `patched()`; the current code must replay it without a nondeterminism error.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTORS, WORKFLOWS_PATH } from '../../infra/worker';
import { PLAN_START_IN_ONE_STEP } from '../../workflows/listing';
import { HISTORIES, prepareWorkflowTests } from '../support/workflow-env';

const { EventType } = temporal.api.enums.v1;
const { History } = temporal.api.history.v1;

/** A fixture is `JSON.stringify(await handle.fetchHistory())`: protobufjs's JSON form, read back with fromObject. */
const history = (name: string) => History.fromObject(JSON.parse(readFileSync(path.join(HISTORIES, name), 'utf8')));

it('replays a removal recorded when the update answered before the close was written (code of 3dea81c)', async () => {
  const workflowBundle = await prepareWorkflowTests();
  const recorded = history('listing-removal-before-close-written.json');
  // what makes this history worth keeping: the removal update completed before the last write (the close) did
  const types = (recorded.events ?? []).map((e) => e.eventType);
  expect(types.indexOf(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED)).toBeGreaterThan(0);
  expect(types.indexOf(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED)).toBeLessThan(
    types.lastIndexOf(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED),
  );
  await expect(Worker.runReplayHistory({ workflowBundle }, recorded)).resolves.toBeUndefined();
});

it('replays a run that hung when a removal arrived while it waited to continue as new (code of 1a7b9e0)', async () => {
  const workflowBundle = await prepareWorkflowTests();
  const recorded = history('listing-removal-during-continue-as-new-wait.json');
  // what makes this history worth keeping: the removal was accepted, the run never closed, and it timed out
  const types = (recorded.events ?? []).map((e) => e.eventType);
  expect(types).toContain(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
  expect(types).not.toContain(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
  expect(types[types.length - 1]).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT);
  await expect(Worker.runReplayHistory({ workflowBundle }, recorded)).resolves.toBeUndefined();
});

/**
 * Whole lifecycles recorded before the issue-11 refactor moved the workflows' state transitions into
 * plain modules (code of 15ab72e): the refactor must not change a single command of any of them.
 */
describe.each([
  // file, workflow, what it covers, timers fired, updates completed (counted in the recorded history)
  ['listing-full-lifecycle.json', 'listingWorkflow', 'notice, fan-out, reminder, escalation, feedback, removal', 4, 4],
  ['objection-rejected-after-extension.json', 'objectionWorkflow', 'reminder, escalation, extension, rejection', 2, 3],
  ['repair-approved-order58.json', 'repairWorkflow', 'acceptance and approval under Order 58', 0, 2],
  ['listing-removed-by-repair.json', 'listingWorkflow', 'fan-out, then removal by an approved repair', 0, 1],
  // the provincial exchange's workflows, recorded when they were new (code of 3c3310f), for later changes
  ['upstream-batch-pulled.json', 'upstreamBatchWorkflow', 'rows applied, closed, receipt sent up', 0, 0],
  ['upstream-feedback-refused-then-sent.json', 'upstreamFeedbackWorkflow', 'refused once, then taken', 0, 0],
])('%s', (file, workflowType, what, timersFired, updatesCompleted) => {
  it(`replays a completed ${workflowType} run (${what})`, async () => {
    const workflowBundle = await prepareWorkflowTests();
    const recorded = history(file);
    const events = recorded.events ?? [];
    const count = (type: number) => events.filter((e) => e.eventType === type).length;
    expect(events[0].workflowExecutionStartedEventAttributes?.workflowType?.name).toBe(workflowType);
    expect(events[events.length - 1].eventType).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
    expect(count(EventType.EVENT_TYPE_TIMER_FIRED)).toBe(timersFired);
    expect(count(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED)).toBe(updatesCompleted);
    await expect(Worker.runReplayHistory({ workflowBundle }, recorded)).resolves.toBeUndefined();
  });
});

/**
 * Upheld objections on listings recorded before objections could be raised on credit records (code of
 * f813c25): the new branch for records is behind `patched('objection-on-credit-record')`, so these
 * must replay with the same commands.
 */
describe.each([
  // file, what it covers, updates completed
  ['objection-upheld-remove.json', 'upheld, the listing removed', 2],
  ['objection-upheld-correct.json', 'upheld, the listing corrected and unflagged', 2],
])('%s', (file, what, updatesCompleted) => {
  it(`replays a completed objectionWorkflow run on a listing (${what})`, async () => {
    const workflowBundle = await prepareWorkflowTests();
    const events = history(file).events ?? [];
    expect(events[0].workflowExecutionStartedEventAttributes?.workflowType?.name).toBe('objectionWorkflow');
    expect(events[events.length - 1].eventType).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
    const updates = events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED);
    expect(updates).toHaveLength(updatesCompleted);
    await expect(Worker.runReplayHistory({ workflowBundle }, history(file))).resolves.toBeUndefined();
  });
});

it('replays an upheld objection on a credit record (its patched branch; code of 0c6ce58)', async () => {
  const workflowBundle = await prepareWorkflowTests();
  const recorded = history('objection-on-record-upheld-remove.json');
  // what makes this history worth keeping: the patch marker, then the record's own activities, not the listing's
  const events = recorded.events ?? [];
  const activities = events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
  expect(events.some((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')).toBe(true);
  expect(activities).toEqual(expect.arrayContaining(['flagRecord', 'decideRecordObjection']));
  expect(activities).not.toContain('flagListing');
  expect(events[events.length - 1].eventType).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
  await expect(Worker.runReplayHistory({ workflowBundle }, recorded)).resolves.toBeUndefined();
});

it('replays a listing whose notice window a calendar re-planning moved later', async () => {
  const workflowBundle = await prepareWorkflowTests();
  const recorded = history('listing-notice-replanned.json');
  // what makes this history worth keeping: the replanCalendar update, then the second wait to the new end
  const events = recorded.events ?? [];
  const updates = events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
  expect(updates.map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name)).toContain(
    'replanCalendar',
  );
  expect(events.filter((e) => e.eventType === EventType.EVENT_TYPE_TIMER_FIRED).length).toBeGreaterThanOrEqual(2);
  await expect(Worker.runReplayHistory({ workflowBundle }, recorded)).resolves.toBeUndefined();
});

it('replays a listing pushing to a department webhook, recorded before the pushes left listing.ts', async () => {
  const workflowBundle = await prepareWorkflowTests();
  const recorded = history('listing-webhook-pushes.json');
  // what makes this history worth keeping: the abandoned webhook children (task assigned, lift), then the close
  const events = recorded.events ?? [];
  const children = events.filter((e) => e.eventType === EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED);
  expect(children.map((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowType?.name)).toEqual([
    'webhookDeliveryWorkflow',
    'webhookDeliveryWorkflow',
  ]);
  expect(events[events.length - 1].eventType).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
  await expect(Worker.runReplayHistory({ workflowBundle }, recorded)).resolves.toBeUndefined();
});

it("replays every recorded history with the production worker's request-id interceptors (headers only)", async () => {
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: [WORKFLOW_INTERCEPTORS],
    logger: new DefaultLogger('WARN'),
  });
  const names = readdirSync(HISTORIES).filter((f) => f.endsWith('.json'));
  expect(names.length).toBeGreaterThanOrEqual(6);
  for (const name of names)
    await expect(
      Worker.runReplayHistory(
        { workflowBundle, interceptors: { workflowModules: [WORKFLOW_INTERCEPTORS] } },
        history(name),
      ),
    ).resolves.toBeUndefined();
});

it('replays a city listing fanned out before the fan-out followed the tree (code of c391078)', async () => {
  const workflowBundle = await prepareWorkflowTests();
  const recorded = history('listing-city-fan-out-before-levels.json');
  // what makes this history worth keeping: the notice timer fired, then planNotice, matchMeasures and planTasks
  const events = recorded.events ?? [];
  const markers = events.map((e) => e.markerRecordedEventAttributes?.markerName).filter(Boolean);
  expect(markers.filter((m) => m === 'core_local_activity')).toHaveLength(3);
  expect(events.filter((e) => e.eventType === EventType.EVENT_TYPE_TIMER_FIRED).length).toBeGreaterThanOrEqual(1);
  await expect(Worker.runReplayHistory({ workflowBundle }, recorded)).resolves.toBeUndefined();
});

it('replays a listing recorded before measures list editions and re-matching existed (code of c391078)', async () => {
  const workflowBundle = await prepareWorkflowTests();
  const recorded = history('listing-before-rematch.json');
  // what makes this history worth keeping: matching without an effective date, then feedback and removal
  const events = recorded.events ?? [];
  const markers = events.filter((e) => e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED);
  expect(markers.length).toBeGreaterThanOrEqual(3); // planNotice, matchMeasures, planTasks (local activities)
  const updates = events
    .filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)
    .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name);
  expect(updates).toEqual(['acknowledge', 'feedback', 'remove']);
  await expect(Worker.runReplayHistory({ workflowBundle }, recorded)).resolves.toBeUndefined();
});

it('replays a listing whose start planned notice, measures and tasks in one step (its patched branch)', async () => {
  const workflowBundle = await prepareWorkflowTests();
  const recorded = history('listing-start-planned-in-one-step.json');
  // what makes this history worth keeping: the patch marker, then one local activity before the projection
  const events = recorded.events ?? [];
  const firstActivity = events.findIndex((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
  const markers = events.slice(0, firstActivity).map((e) => e.markerRecordedEventAttributes?.markerName);
  expect(markers.filter((m) => m === 'core_local_activity')).toHaveLength(1);
  const patchIds = events.slice(0, firstActivity).flatMap((e) => {
    const data = e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data;
    return data ? [(JSON.parse(Buffer.from(data).toString('utf8')) as { id: string }).id] : [];
  });
  expect(patchIds).toContain(PLAN_START_IN_ONE_STEP);
  const updates = events
    .filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)
    .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name);
  expect(updates).toEqual(['acknowledge', 'feedback', 'remove']);
  expect(events[events.length - 1].eventType).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
  await expect(Worker.runReplayHistory({ workflowBundle }, recorded)).resolves.toBeUndefined();
});
