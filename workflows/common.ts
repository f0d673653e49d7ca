/**
 * What every workflow shares, written once: refusals as non-retryable failures with a typed code, the
 * projection activity and its retry policy, durable waits, the continue-as-new test, workflow time.
 */
import { ApplicationFailure, condition, proxyActivities, workflowInfo, type RetryPolicy } from '@temporalio/workflow';
import type * as listingActivities from '../activities/listing-activities';
import { Refusal, type RefusalCode } from '../domain/refusal';

/** Activities that write to MongoDB or call other workflows: retried with backoff until they succeed. */
export const RETRY_FOREVER: RetryPolicy = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
};

export const { project } = proxyActivities<typeof listingActivities>({
  startToCloseTimeout: '30 seconds',
  retry: RETRY_FOREVER,
});

/** A refusal the caller sees as a failed Update (validators) with its code as the failure type. */
export const refuse = (code: RefusalCode, message: string) =>
  ApplicationFailure.create({ type: code, message, nonRetryable: true });

/** Runs a validator written as pure code: its Refusal becomes the workflow's failure of the same code. */
export function guarded<A extends unknown[]>(check: (...args: A) => void): (...args: A) => void {
  return (...args: A) => {
    try {
      check(...args);
    } catch (e) {
      if (e instanceof Refusal) throw refuse(e.code, e.message);
      throw e;
    }
  };
}

export const nowIso = () => new Date().toISOString();

/** Waits until `fn` holds or the instant passes; a durable timer, skipped when already past. */
export async function waitUntil(fn: () => boolean, iso: string): Promise<boolean> {
  const ms = Date.parse(iso) - Date.now();
  if (ms <= 0) return fn();
  return condition(fn, ms);
}

/** Continue as new when the server suggests it, or (tests) once history reaches the given length. */
export function shouldContinueAsNew(atHistoryLength?: number): boolean {
  const info = workflowInfo();
  return atHistoryLength !== undefined ? info.historyLength >= atHistoryLength : info.continueAsNewSuggested;
}
