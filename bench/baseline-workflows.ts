/** The bare Temporal baseline for the fan-out benchmark: a no-op workflow with one no-op activity. */
import { proxyActivities } from '@temporalio/workflow';
import type * as acts from './baseline-activities';

const { noop } = proxyActivities<typeof acts>({ startToCloseTimeout: '30 seconds' });

export async function noopWorkflow(): Promise<void> {
  await noop();
}
