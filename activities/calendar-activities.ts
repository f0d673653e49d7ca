/**
 * Activities of the calendar re-planning: the local activities that compute new deadlines inside the
 * listing and case workflows (recorded in their history), and the re-planning workflow's own: finding
 * the running cases whose deadlines fall in the newly covered year, and sending each its Update.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { currentCalendar, startOfCstDay } from '../domain/calendar';
import {
  replanCase,
  replanListing,
  type CaseStageDeadline,
  type ListingDeadlines,
  type ListingReplan,
  type ReplanCalendarInput,
} from '../domain/replan';
import { correctionBasis } from '../domain/replan-correction';
import { calendarSync, toYearArrangement, versionsOf } from '../db/calendar-store';
import { CaseModel, ListingModel, TaskModel } from '../db/models';
import { replanCalendarUpdate, type ReplanResult } from '../workflows/replan-update';

/**
 * Local activity: a listing's deadlines under the newly covered year, or under a corrected version of
 * it (version 2 on: the calendars that may have set each deadline are the stored versions and the
 * re-plans the listing's read model records; a listing a newer version has reached is left as it is).
 */
export async function replanListingDeadlines(input: ReplanCalendarInput, listing: ListingDeadlines) {
  await calendarSync().ensure(input.year, input.version);
  const after = currentCalendar();
  if (input.version === 1) return replanListing(listing, input.coveredAt, after.without(input.year), after);
  const entryId = (Context.current().info.workflowExecution?.workflowId ?? '').replace(/^listing-/, '');
  const [versions, record] = await Promise.all([
    versionsOf(input.year),
    ListingModel.findById(entryId, { replans: 1 }).lean(),
  ]);
  const basis = correctionBasis(
    input.year,
    input.version,
    versions.map((d) => ({ year: toYearArrangement(d), enteredAt: d.enteredAt })),
    record?.replans ?? [],
    after,
  );
  if (basis.superseded) return unchangedPlan(listing);
  return replanListing(listing, input.coveredAt, basis.plannedWith, after);
}

/** The listing's deadlines as they are: nothing to change. */
const unchangedPlan = (l: ListingDeadlines): ListingReplan => ({
  noticeEndsAt: l.noticeEndsAt,
  effectiveAt: l.effectiveAt,
  tasks: l.tasks.map(({ departmentId, ackDeadline, remindAt, feedbackDue }) => ({
    departmentId,
    ackDeadline,
    remindAt,
    feedbackDue,
  })),
  changes: [],
});

/** Local activity: a case stage's deadline (and a repair's overall one) under the newly covered year. */
export async function replanCaseDeadlines(input: ReplanCalendarInput, stage: CaseStageDeadline) {
  await calendarSync().ensure(input.year, input.version);
  return replanCase(stage, currentCalendar());
}

export type ReplanKind = 'listing' | 'objection' | 'repair';
export const REPLAN_KINDS: ReplanKind[] = ['listing', 'objection', 'repair'];

/** The instants the CST year spans, as the read model's ISO strings compare. */
function yearRange(year: number) {
  return { $gte: startOfCstDay(`${year}-01-01`).toISOString(), $lt: startOfCstDay(`${year + 1}-01-01`).toISOString() };
}

export function createCalendarActivities(client: Client) {
  return {
    /**
     * One page (by id) of the running cases of `kind` with a deadline in the year that was planned
     * before the year was covered. A case found again after its re-plan answers "already applied".
     */
    async findReplanTargets(input: {
      year: number;
      coveredAt: string;
      kind: ReplanKind;
      after: string;
      limit: number;
    }): Promise<string[]> {
      const inYear = yearRange(input.year);
      if (input.kind === 'listing') {
        const [fromTasks, inNotice] = await Promise.all([
          TaskModel.distinct('entryId', {
            status: { $ne: 'lifted' },
            assignedAt: { $lt: input.coveredAt },
            entryId: { $gt: input.after },
            $or: [{ ackDeadline: inYear }, { feedbackDue: inYear }],
          }),
          ListingModel.distinct('entryId', {
            status: 'notice',
            startedAt: { $lt: input.coveredAt },
            entryId: { $gt: input.after },
            $or: [{ noticeEndsAt: inYear }, { effectiveAt: inYear }],
          }),
        ]);
        return [...new Set([...fromTasks, ...inNotice] as string[])].sort().slice(0, input.limit);
      }
      const rows = await CaseModel.find(
        {
          kind: input.kind,
          closedAt: { $exists: false },
          caseId: { $gt: input.after },
          $or: [{ deadline: inYear }, { totalDeadline: inYear }],
        },
        { caseId: 1 },
      )
        .sort({ caseId: 1 })
        .limit(input.limit)
        .lean();
      return rows.map((r) => r.caseId);
    },

    /**
     * Sends the Update once per case and version (the update id; the handler also remembers the
     * version, across continue-as-new). A case that has ended or refuses is reported, not retried.
     */
    async replanTarget(input: {
      kind: ReplanKind;
      id: string;
      replan: ReplanCalendarInput;
    }): Promise<{ outcome: 'changed' | 'unchanged' | 'already' | 'skipped'; reason?: string }> {
      const workflowId = `${input.kind}-${input.id}`;
      try {
        const r: ReplanResult = await client.workflow.getHandle(workflowId).executeUpdate(replanCalendarUpdate, {
          args: [input.replan],
          updateId: `calendar-${input.replan.year}-v${input.replan.version}`,
        });
        if (!r.applied) return { outcome: 'already' };
        return { outcome: r.changes.length ? 'changed' : 'unchanged' };
      } catch (e) {
        if (e instanceof WorkflowUpdateFailedError && e.cause instanceof ApplicationFailure)
          return { outcome: 'skipped', reason: e.cause.message };
        if (e instanceof WorkflowNotFoundError) return { outcome: 'skipped', reason: '流程已结束' };
        throw e;
      }
    },
  };
}

export type CalendarActivities = ReturnType<typeof createCalendarActivities> & {
  replanListingDeadlines: typeof replanListingDeadlines;
  replanCaseDeadlines: typeof replanCaseDeadlines;
};
