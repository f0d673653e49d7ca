/** Temporal Schedules of the system, created idempotently at start-up. */
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { supervisionWorkflow } from '../workflows/supervision';
import { upstreamFeedbackWorkflow, upstreamPullWorkflow } from '../workflows/upstream';
import { UPSTREAM_PULL_WORKFLOW_ID } from '../domain/workflow-ids';

export const SUPERVISION_SCHEDULE_ID = 'xinlian-supervision-daily';

/** Month-to-date supervision figures every day at 01:00 China Standard Time. */
export async function ensureSupervisionSchedule(client: Client, taskQueue: string): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: SUPERVISION_SCHEDULE_ID,
      spec: { calendars: [{ hour: 1, minute: 0 }], timezone: 'Asia/Shanghai' },
      action: {
        type: 'startWorkflow',
        workflowType: supervisionWorkflow,
        taskQueue,
        args: [{}],
        workflowId: 'supervision',
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    });
  } catch (e) {
    if (!(e instanceof ScheduleAlreadyRunning)) throw e;
  }
}

export const UPSTREAM_PULL_SCHEDULE_ID = 'xinlian-upstream-pull';

/** Deletes a schedule, if there is one. */
async function deleteSchedule(client: Client, scheduleId: string): Promise<void> {
  await client.schedule
    .getHandle(scheduleId)
    .delete()
    .catch((e: Error) => {
      if (!(e instanceof ScheduleNotFoundError)) throw e;
    });
}

/**
 * Pulls from the provincial platform every `minutes` when its endpoint is configured (and the schedule is
 * deleted when it no longer is). A run that finds the upstream down fails; the next one carries on from
 * the stored cursor, so runs missed in an outage need no catching up one by one (SKIP, one catch-up run).
 * An existing schedule is updated to the interval configured now.
 */
export async function ensureUpstreamPullSchedule(
  client: Client,
  taskQueue: string,
  upstream: { endpoint?: unknown; pullMinutes: number },
): Promise<void> {
  if (!upstream.endpoint) return deleteSchedule(client, UPSTREAM_PULL_SCHEDULE_ID);
  const handle = client.schedule.getHandle(UPSTREAM_PULL_SCHEDULE_ID);
  const spec = { intervals: [{ every: `${upstream.pullMinutes} minutes` as const }] };
  try {
    await client.schedule.create({
      scheduleId: UPSTREAM_PULL_SCHEDULE_ID,
      spec,
      action: {
        type: 'startWorkflow',
        workflowType: upstreamPullWorkflow,
        taskQueue,
        args: [{ taskQueue }],
        workflowId: UPSTREAM_PULL_WORKFLOW_ID,
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    });
  } catch (e) {
    if (!(e instanceof ScheduleAlreadyRunning)) throw e;
    await handle.update((prev) => ({ ...prev, spec }));
  }
}

export const UPSTREAM_FEEDBACK_SCHEDULE_ID = 'xinlian-upstream-feedback';

/**
 * Sends the quarter's feedback up on the 1st of January, April, July and October at 03:00 China Standard
 * Time (the quarter before), when the provincial endpoint is configured; deleted when it no longer is.
 */
export async function ensureUpstreamFeedbackSchedule(
  client: Client,
  taskQueue: string,
  upstream: { endpoint?: unknown },
): Promise<void> {
  if (!upstream.endpoint) return deleteSchedule(client, UPSTREAM_FEEDBACK_SCHEDULE_ID);
  try {
    await client.schedule.create({
      scheduleId: UPSTREAM_FEEDBACK_SCHEDULE_ID,
      spec: {
        calendars: [{ month: ['JANUARY', 'APRIL', 'JULY', 'OCTOBER'], dayOfMonth: 1, hour: 3, minute: 0 }],
        timezone: 'Asia/Shanghai',
      },
      action: {
        type: 'startWorkflow',
        workflowType: upstreamFeedbackWorkflow,
        taskQueue,
        args: [{}],
        workflowId: 'upstream-feedback-quarterly',
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7 days' },
    });
  } catch (e) {
    if (!(e instanceof ScheduleAlreadyRunning)) throw e;
  }
}

/** Both schedules of the exchange with the provincial platform. */
export async function ensureUpstreamSchedules(
  client: Client,
  taskQueue: string,
  upstream: { endpoint?: unknown; pullMinutes: number },
): Promise<void> {
  await ensureUpstreamPullSchedule(client, taskQueue, upstream);
  await ensureUpstreamFeedbackSchedule(client, taskQueue, upstream);
}
