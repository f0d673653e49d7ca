/**
 * Re-planning when a year becomes covered (id `calendar-replan-<year>-v<version>`, started by the API
 * when the office stores a year's first arrangement): pages through the running listings, objections
 * and repairs whose deadlines in that year were planned provisionally and sends each the
 * `replanCalendar` Update (update id per version, and the handler remembers the version), so a restart
 * or a retried page re-plans nobody twice. Continues as new when Temporal suggests it.
 */
import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import { RETRY_FOREVER, shouldContinueAsNew } from './common';
import type { CalendarActivities, ReplanKind } from '../activities/calendar-activities';
import type { ReplanCalendarInput } from '../domain/replan';

export interface CalendarReplanInput extends ReplanCalendarInput {
  /** Where a continued run resumes. */
  cursor?: { kind: ReplanKind; after: string };
  counts?: ReplanCounts;
  /** Tests: the page size. */
  pageSize?: number;
}

export interface ReplanCounts {
  changed: number;
  unchanged: number;
  already: number;
  skipped: number;
}

const KINDS: ReplanKind[] = ['listing', 'objection', 'repair'];

// short: a killed worker's call is sent again soon, and a repeat of the same update id is harmless
const { findReplanTargets, replanTarget } = proxyActivities<CalendarActivities>({
  startToCloseTimeout: '30 seconds',
  retry: RETRY_FOREVER,
});

export async function calendarReplanWorkflow(input: CalendarReplanInput): Promise<ReplanCounts> {
  const counts: ReplanCounts = input.counts ?? { changed: 0, unchanged: 0, already: 0, skipped: 0 };
  const replan: ReplanCalendarInput = {
    year: input.year,
    version: input.version,
    coveredAt: input.coveredAt,
    notice: input.notice,
  };
  const limit = input.pageSize ?? 50;
  for (const kind of KINDS.slice(KINDS.indexOf(input.cursor?.kind ?? 'listing'))) {
    let after = input.cursor?.kind === kind ? input.cursor.after : '';
    for (;;) {
      const ids = await findReplanTargets({ year: input.year, coveredAt: input.coveredAt, kind, after, limit });
      if (ids.length === 0) break;
      // a few at a time: each is a workflow's own Update, its writes included
      for (let i = 0; i < ids.length; i += 8) {
        const done = await Promise.all(ids.slice(i, i + 8).map((id) => replanTarget({ kind, id, replan })));
        for (const d of done) counts[d.outcome]++;
      }
      after = ids[ids.length - 1];
      if (shouldContinueAsNew())
        return continueAsNew<typeof calendarReplanWorkflow>({ ...input, cursor: { kind, after }, counts });
    }
  }
  return counts;
}
