/** Periodic supervision (督查考核) run by a Temporal Schedule: month-to-date figures, stored. */
import { proxyActivities } from '@temporalio/workflow';
import type * as activities from '../activities/supervision';
import { cstDate } from '../domain/cst';

const { storeSupervisionReport } = proxyActivities<typeof activities>({ startToCloseTimeout: '5 minutes' });

export async function supervisionWorkflow(
  input: { from?: string; to?: string } = {},
): Promise<{ id: string; flagged: number }> {
  const today = cstDate(new Date()); // workflow time
  const from = input.from ?? `${today.slice(0, 8)}01`;
  const to = input.to ?? today;
  return storeSupervisionReport({ from, to });
}
