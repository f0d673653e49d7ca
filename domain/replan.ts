/**
 * Re-planning deadlines when a year becomes covered by the office's holiday arrangement. Pure: the
 * calendars before and after are parameters. Rules:
 * - only deadlines planned before the year was covered (`plannedAt < coveredAt`) are re-planned; a
 *   deadline planned since was planned with the arrangement already;
 * - each deadline is planned again from the same start with the same number of working days;
 * - a party is never given less time than it was told: a deadline that would move earlier keeps the
 *   announced one (and its reminder); one that moves later takes the new reminder with it.
 */
import { cstDate, endOfCstDay, startOfCstDay, type WorkingCalendar } from './calendar';
import { planDeadline } from './deadlines';
import type { ListingStatus } from './listing-record';
import type { TaskStatus } from './task';
import { workingDaysRule, type RuleKey } from './rules';

/** What the re-planning workflow tells each case: the year, the version that covered it, and when. */
export interface ReplanCalendarInput {
  year: number;
  version: number;
  /** When the office stored the version that made the year covered. */
  coveredAt: string;
  notice: { number: string; date: string };
}

export interface DeadlineChange {
  what: 'noticeEndsAt' | 'effectiveAt' | 'ackDeadline' | 'feedbackDue' | 'deadline' | 'totalDeadline';
  departmentId?: string;
  from: string;
  to: string;
  /** The new calendar gave an earlier date (`planned`); the announced one stays. */
  kept?: boolean;
  planned?: string;
}

/** The later of the announced deadline and the new plan, with the change it is (or none). */
export function notEarlier(
  what: DeadlineChange['what'],
  announced: string,
  planned: string,
  departmentId?: string,
): { value: string; change?: DeadlineChange } {
  const dept = departmentId ? { departmentId } : {};
  if (planned > announced) return { value: planned, change: { what, ...dept, from: announced, to: planned } };
  if (planned < announced)
    return { value: announced, change: { what, ...dept, from: announced, to: announced, kept: true, planned } };
  return { value: announced };
}

export interface ListingDeadlines {
  status: ListingStatus;
  startedAt: string;
  noticeServedAt: string;
  effectiveDate: string;
  noticeEndsAt: string;
  effectiveAt: string;
  tasks: Array<{
    departmentId: string;
    status: TaskStatus;
    assignedAt: string;
    ackDeadline: string;
    remindAt: string;
    feedbackDue: string;
  }>;
}

export interface ListingReplan {
  noticeEndsAt: string;
  effectiveAt: string;
  tasks: Array<{ departmentId: string; ackDeadline: string; remindAt: string; feedbackDue: string }>;
  changes: DeadlineChange[];
}

/**
 * The calendars a deadline planned at `plannedAt` may have been set by: the one in force then and each
 * re-plan applied to it since (a correction: domain/replan-correction.ts). Its period is the fewest
 * working days any of them counts up to it: the calendar that set the deadline counts exactly its
 * period, and every other one planned a date no later (the later date was kept), so counts no fewer.
 */
export type PlannedWith = (plannedAt: string) => WorkingCalendar[];

/** The working days a deadline was given (end of its day counted from `fromIso`'s day). */
function periodOf(before: WorkingCalendar[], fromIso: string, deadlineIso: string): number {
  const from = cstDate(new Date(fromIso));
  const to = cstDate(new Date(Date.parse(deadlineIso) - 1));
  return Math.min(...before.map((c) => c.workingDaysBetween(from, to)));
}

/**
 * `before`: the calendar every deadline planned before `coveredAt` was planned with (the year's first
 * entry), or per deadline the calendars that may have set it (a correction).
 */
export function replanListing(
  l: ListingDeadlines,
  coveredAt: string,
  before: WorkingCalendar | PlannedWith,
  after: WorkingCalendar,
): ListingReplan {
  const plannedWith: PlannedWith = typeof before === 'function' ? before : () => [before];
  const changes: DeadlineChange[] = [];
  let { noticeEndsAt, effectiveAt } = l;
  if (l.status === 'notice' && l.startedAt < coveredAt) {
    const served = cstDate(new Date(l.noticeServedAt));
    const endDate = after.addWorkingDays(served, workingDaysRule('listing.noticeWindow', served));
    const ends = notEarlier('noticeEndsAt', l.noticeEndsAt, endOfCstDay(endDate).toISOString());
    noticeEndsAt = ends.value;
    if (ends.change) changes.push(ends.change);
    const requested = startOfCstDay(l.effectiveDate).toISOString();
    const planned = requested > noticeEndsAt ? requested : noticeEndsAt;
    if (planned > l.effectiveAt) {
      changes.push({ what: 'effectiveAt', from: l.effectiveAt, to: planned });
      effectiveAt = planned;
    }
  }
  const tasks = l.tasks.map((t) => {
    const same = {
      departmentId: t.departmentId,
      ackDeadline: t.ackDeadline,
      remindAt: t.remindAt,
      feedbackDue: t.feedbackDue,
    };
    if (t.status === 'lifted' || t.assignedAt >= coveredAt) return same;
    const day = cstDate(new Date(t.assignedAt));
    const ackPlan = planDeadline(
      t.assignedAt,
      periodOf(plannedWith(t.assignedAt), t.assignedAt, t.ackDeadline),
      workingDaysRule('task.reminderBefore', day),
      after,
    );
    const ack = notEarlier('ackDeadline', t.ackDeadline, ackPlan.deadline, t.departmentId);
    const fbPlan = planDeadline(
      t.assignedAt,
      periodOf(plannedWith(t.assignedAt), t.assignedAt, t.feedbackDue),
      0,
      after,
    );
    const fb = notEarlier('feedbackDue', t.feedbackDue, fbPlan.deadline, t.departmentId);
    for (const c of [ack.change, fb.change]) if (c) changes.push(c);
    return {
      ...same,
      ackDeadline: ack.value,
      remindAt: ack.change && !ack.change.kept ? ackPlan.remindAt : t.remindAt,
      feedbackDue: fb.value,
    };
  });
  return { noticeEndsAt, effectiveAt, tasks, changes };
}

export interface CaseStageDeadline {
  /** The stage's start and rule (the working days come from the rules table, plus extensions). */
  from: string;
  key: RuleKey;
  ruleDate: string;
  extraWorkingDays: number;
  reminderRuleDate: string;
  deadline: string;
  remindAt: string;
  /** Repair: the overall answer, from the filing. */
  total?: { from: string; ruleDate: string; deadline: string };
}

export interface CaseReplan {
  deadline: string;
  remindAt: string;
  totalDeadline?: string;
  changes: DeadlineChange[];
}

export function replanCase(c: CaseStageDeadline, after: WorkingCalendar): CaseReplan {
  const changes: DeadlineChange[] = [];
  const days = workingDaysRule(c.key, c.ruleDate) + c.extraWorkingDays;
  const plan = planDeadline(c.from, days, workingDaysRule('objection.reminderBefore', c.reminderRuleDate), after);
  const d = notEarlier('deadline', c.deadline, plan.deadline);
  if (d.change) changes.push(d.change);
  let totalDeadline: string | undefined;
  if (c.total) {
    const tp = planDeadline(c.total.from, workingDaysRule('repair.totalPeriod', c.total.ruleDate), 0, after);
    const t = notEarlier('totalDeadline', c.total.deadline, tp.deadline);
    totalDeadline = t.value;
    if (t.change) changes.push(t.change);
  }
  return {
    deadline: d.value,
    remindAt: d.change && !d.change.kept ? plan.remindAt : c.remindAt,
    ...(totalDeadline ? { totalDeadline } : {}),
    changes,
  };
}
