/** Temporal Schedules of the system, created idempotently at start-up. */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { supervisionWorkflow } from '../workflows/supervision';

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
