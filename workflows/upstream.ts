/**
 * The exchange with the provincial platform (issue 17; docs/upstream-exchange.md):
 * - `upstreamBatchWorkflow`, one execution per received batch (id `upstream-batch-<batchId>`): applies the
 *   batch's stored rows a chunk at a time, closes it with its receipt and, for a pulled batch, sends the
 *   receipt back up (retried; a receipt the upstream never takes is marked failed for the office).
 * - `upstreamPullWorkflow`, started by the pull Schedule: fetches the batches after the stored cursor.
 * - `upstreamFeedbackWorkflow`: sends a period's feedback and checks on upstream entries back up.
 * Both are thin: every effect is an activity, idempotent by the batch id and the row keys.
 */
import { ActivityFailure, continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { Duration, RetryPolicy } from '@temporalio/common';
import type { UpstreamActivities } from '../activities/upstream-activities';
import type { ExchangeReceipt } from '../domain/upstream-exchange';
import type { FeedbackPeriod } from '../domain/upstream-feedback';
import { RETRY_FOREVER, shouldContinueAsNew } from './common';

export interface UpstreamBatchInput {
  batchId: string;
  /** Task queue of the listing workflows its rows start. */
  taskQueue: string;
  /** A pulled batch refused whole: only its refusal receipt is sent (while it is still the stored one). */
  refusal?: boolean;
}

const { applyUpstreamChunk, closeUpstreamBatch, markUpstreamReceiptFailed } = proxyActivities<UpstreamActivities>({
  startToCloseTimeout: '10 minutes',
  // a killed worker's chunk is retried within seconds
  heartbeatTimeout: '20 seconds',
  retry: RETRY_FOREVER,
});
const { sendUpstreamReceipt } = proxyActivities<UpstreamActivities>({
  startToCloseTimeout: '1 minute',
  // about a day of attempts, ever further apart, before the office is shown the receipt as not delivered
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '2 hours', maximumAttempts: 18 },
});
const { pullUpstream } = proxyActivities<UpstreamActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '1 minute',
  // an outage of the upstream outlasts these few attempts: the run fails and the next scheduled one
  // carries on from the stored cursor
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumAttempts: 4 },
});

export async function upstreamBatchWorkflow(input: UpstreamBatchInput): Promise<ExchangeReceipt | undefined> {
  let receipt: ExchangeReceipt | undefined;
  do {
    for (;;) {
      const { more } = await applyUpstreamChunk(input);
      if (!more) break;
      if (shouldContinueAsNew()) return continueAsNew<typeof upstreamBatchWorkflow>(input);
    }
    // undefined: a row is still pending (apply again), or a refusal's batch was replaced (nothing to send)
    receipt = await closeUpstreamBatch({ batchId: input.batchId, refusal: input.refusal });
  } while (!receipt && !input.refusal);
  if (!receipt) return undefined;
  try {
    await sendUpstreamReceipt({ batchId: input.batchId, refusal: input.refusal });
  } catch (e) {
    if (!(e instanceof ActivityFailure)) throw e;
    await markUpstreamReceiptFailed({ batchId: input.batchId, error: e.cause?.message ?? e.message });
  }
  return receipt;
}

const { planFeedbackPeriod, markUpstreamFeedbackFailed } = proxyActivities<UpstreamActivities>({
  startToCloseTimeout: '1 minute',
  retry: RETRY_FOREVER,
});
/** About four days of attempts (an outage, or a refusal while the data is put right), then failed. */
const FEEDBACK_RETRY: RetryPolicy = {
  initialInterval: '1 minute',
  backoffCoefficient: 2,
  maximumInterval: '6 hours',
  maximumAttempts: 24,
};

/**
 * Feedback upward for a period (id `upstream-feedback-<batchId>` when the office asks; the quarterly
 * Schedule's runs plan the quarter before): sent until taken, else marked failed for the office.
 */
export async function upstreamFeedbackWorkflow(input: {
  period?: FeedbackPeriod;
  /** Tests: the first retry's wait instead of a minute. */
  retryAfter?: Duration;
}): Promise<{ batchId?: string }> {
  const { sendUpstreamFeedback } = proxyActivities<UpstreamActivities>({
    startToCloseTimeout: '10 minutes',
    retry: { ...FEEDBACK_RETRY, ...(input.retryAfter ? { initialInterval: input.retryAfter } : {}) },
  });
  const period = input.period ?? (await planFeedbackPeriod());
  try {
    return await sendUpstreamFeedback({ period });
  } catch (e) {
    if (!(e instanceof ActivityFailure)) throw e;
    await markUpstreamFeedbackFailed({ period, error: e.cause?.message ?? e.message });
    return {};
  }
}

export async function upstreamPullWorkflow(input: { taskQueue: string }): Promise<{ batches: number }> {
  return pullUpstream(input);
}
