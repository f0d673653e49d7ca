/**
 * Activities of the objection and repair workflows. Cross-workflow effects on the listing go through
 * the listing workflow's own Updates (so its validators decide), called with the Temporal client.
 * Each is idempotent: a retry after a lost answer finds the work done and reports success.
 */
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { planDeadline } from '../domain/deadlines';
import { workingDaysRule, type RuleKey } from '../domain/rules';
import { listingWorkflowId } from '../domain/workflow-ids';
import { refusalCodeOf, type RefusalCode } from '../domain/refusal';
import { clearObjectionUpdate, correctUpdate, flagObjectionUpdate, removeUpdate } from '../workflows/listing';
import type { ClearObjectionInput, CorrectInput } from '../workflows/listing-types';

/** A refused call carries the listing's refusal code (absent in results recorded before codes existed). */
export type ListingCallResult = { ok: true } | { ok: false; reason: string; code?: RefusalCode };

/** Calls a listing Update; a refusal whose code is in `alreadyDone` means a retry found the work done. */
async function callListing(fn: () => Promise<unknown>, alreadyDone: RefusalCode[] = []): Promise<ListingCallResult> {
  try {
    await fn();
    return { ok: true };
  } catch (e) {
    if (e instanceof WorkflowUpdateFailedError && e.cause instanceof ApplicationFailure) {
      const code = refusalCodeOf(e.cause.type) ?? 'conflict';
      return alreadyDone.includes(code) ? { ok: true } : { ok: false, reason: e.cause.message, code };
    }
    if (e instanceof WorkflowNotFoundError)
      return { ok: false, reason: '名单条目的流程已结束', code: 'listing_closed' };
    throw e;
  }
}

export function createCaseActivities(client: Client) {
  const listing = (entryId: string) => client.workflow.getHandle(listingWorkflowId(entryId));
  return {
    async flagListing(input: { entryId: string; caseId: string }): Promise<ListingCallResult> {
      // the listing accepts a repeated flag of the same case, so a retry is harmless
      return callListing(() =>
        listing(input.entryId).executeUpdate(flagObjectionUpdate, { args: [{ caseId: input.caseId }] }),
      );
    },
    async clearListingObjection(input: { entryId: string } & ClearObjectionInput): Promise<ListingCallResult> {
      return callListing(
        () =>
          listing(input.entryId).executeUpdate(clearObjectionUpdate, {
            args: [{ caseId: input.caseId, outcome: input.outcome }],
          }),
        ['not_current_objection'],
      );
    },
    /**
     * One update id per case: a retry while the first call is still running (the listing's writes are
     * slow) attaches to that update and returns when the close is written, instead of being refused as
     * "已在办理移出" and reporting success early. `caseId` is absent only in inputs scheduled before it existed.
     */
    async removeListing(input: {
      entryId: string;
      caseId?: string;
      by: string;
      reason: string;
    }): Promise<ListingCallResult> {
      const updateId = input.caseId ? `removal:${input.caseId}` : undefined;
      return callListing(
        () =>
          listing(input.entryId).executeUpdate(removeUpdate, {
            args: [{ by: input.by, reason: input.reason }],
            updateId,
          }),
        ['listing_closed', 'removal_in_progress'],
      );
    },
    async correctListing(input: { entryId: string } & CorrectInput): Promise<ListingCallResult> {
      const { entryId, ...args } = input;
      return callListing(() => listing(entryId).executeUpdate(correctUpdate, { args: [args] }));
    },
  };
}

/** Local activity: a case deadline in working days by the rules in force on `ruleDate`. */
export async function planCaseDeadline(input: {
  fromIso: string;
  key: RuleKey;
  ruleDate: string;
  extraWorkingDays?: number;
}) {
  const days = workingDaysRule(input.key, input.ruleDate) + (input.extraWorkingDays ?? 0);
  return {
    ...planDeadline(input.fromIso, days, workingDaysRule('objection.reminderBefore', input.ruleDate)),
    workingDays: days,
  };
}

export type CaseActivities = ReturnType<typeof createCaseActivities> & { planCaseDeadline: typeof planCaseDeadline };
