/**
 * Re-matching the running listings after a catalogue change (id `rematch-<key>`, started by the API
 * when the office publishes an edition with re-matching or suspends a measure): waits for the day the
 * change takes effect, then pages through the listings it may concern and sends each the `rematch`
 * Update (update id = the change's key; the handler also remembers the key, across continue-as-new),
 * so a killed worker or a retried page re-matches nobody twice. Continues as new when suggested.
 */
import { continueAsNew, proxyActivities, sleep } from '@temporalio/workflow';
import { RETRY_FOREVER, shouldContinueAsNew } from './common';
import type { RematchActivities, RematchTargets } from '../activities/rematch-activities';
import type { RematchInput } from './rematch-update';

export interface RematchWorkflowInput {
  change: RematchInput;
  /** Which listings to visit. */
  targets: RematchTargets;
  /** ISO instant the change takes effect (start of its effective day, CST): nothing happens before. */
  startAt: string;
  /** Where a continued run resumes. */
  after?: string;
  counts?: RematchCounts;
  /** Tests and benchmarks: the page size and how many Updates are in flight at once. */
  pageSize?: number;
  concurrency?: number;
}

export interface RematchCounts {
  changed: number;
  unchanged: number;
  already: number;
  skipped: number;
}

// short: a killed worker's call is sent again soon, and a repeat of the same update id is harmless
const { findRematchTargets, rematchTarget } = proxyActivities<RematchActivities>({
  startToCloseTimeout: '30 seconds',
  retry: RETRY_FOREVER,
});

export async function rematchWorkflow(input: RematchWorkflowInput): Promise<RematchCounts> {
  const counts: RematchCounts = input.counts ?? { changed: 0, unchanged: 0, already: 0, skipped: 0 };
  const wait = Date.parse(input.startAt) - Date.now();
  if (wait > 0) await sleep(wait);
  const limit = input.pageSize ?? 200;
  const width = input.concurrency ?? 16;
  let after = input.after ?? '';
  for (;;) {
    const ids = await findRematchTargets({ targets: input.targets, after, limit });
    if (ids.length === 0) return counts;
    for (let i = 0; i < ids.length; i += width) {
      const done = await Promise.all(
        ids.slice(i, i + width).map((entryId) => rematchTarget({ entryId, change: input.change })),
      );
      for (const d of done) counts[d.outcome]++;
    }
    after = ids[ids.length - 1];
    if (shouldContinueAsNew()) return continueAsNew<typeof rematchWorkflow>({ ...input, after, counts });
  }
}
