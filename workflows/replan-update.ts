/**
 * The Update every running listing, objection and repair answers when a year becomes covered by the
 * office's holiday arrangement (sent by workflows/calendar-replan.ts, update id `calendar-<year>-v<n>`).
 * The handler re-plans the deadlines once per version and answers with what changed.
 */
import { defineUpdate } from '@temporalio/workflow';
import type { DeadlineChange, ReplanCalendarInput } from '../domain/replan';

export interface ReplanResult {
  /** false: this version had been applied before (a retried or repeated update). */
  applied: boolean;
  changes: DeadlineChange[];
}

/** The version's key, as a case remembers it. */
export const replanKey = (i: Pick<ReplanCalendarInput, 'year' | 'version'>) => `${i.year}:v${i.version}`;

export const replanCalendarUpdate = defineUpdate<ReplanResult, [ReplanCalendarInput]>('replanCalendar');
