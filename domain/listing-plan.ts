/**
 * Deadline planning for a listing: pure functions of the calendar and the rules table. The listing
 * workflow calls them through a local activity so that a later calendar or rules update never changes
 * the timers of a running workflow on replay.
 */
import { addWorkingDays, cstDate, endOfCstDay, isYearCovered, startOfCstDay } from './calendar';
import { planDeadline } from './deadlines';
import { workingDaysRule } from './rules';

export interface NoticePlanInput {
  /** When the prior notice is served (ISO instant). */
  noticeServedAt: string;
  effectiveDate: string;
  validUntil: string;
}

export interface NoticePlan {
  noticeWindowWorkingDays: number;
  noticeEndsAt: string;
  /** max(end of the notice window, start of the requested effective date) */
  effectiveAt: string;
  /** End of the last valid day. */
  expiresAt: string;
  calendarCovered: boolean;
}

export function planNotice(input: NoticePlanInput): NoticePlan {
  const served = cstDate(new Date(input.noticeServedAt));
  const days = workingDaysRule('listing.noticeWindow', served);
  const noticeEndDate = addWorkingDays(served, days);
  const noticeEndsAt = endOfCstDay(noticeEndDate);
  const requested = startOfCstDay(input.effectiveDate);
  const effectiveAt = requested > noticeEndsAt ? requested : noticeEndsAt;
  return {
    noticeWindowWorkingDays: days,
    noticeEndsAt: noticeEndsAt.toISOString(),
    effectiveAt: effectiveAt.toISOString(),
    expiresAt: endOfCstDay(input.validUntil).toISOString(),
    calendarCovered: isYearCovered(Number(served.slice(0, 4))) && isYearCovered(Number(noticeEndDate.slice(0, 4))),
  };
}

export interface TaskPeriodsInput {
  departmentId: string;
  ackPeriodWorkingDays?: number;
  feedbackPeriodWorkingDays?: number;
}

export interface TaskPlan {
  departmentId: string;
  ackPeriodWorkingDays: number;
  ackDeadline: string;
  remindAt: string;
  feedbackDue: string;
  calendarCovered: boolean;
}

export function planTask(effectiveAt: string, t: TaskPeriodsInput): TaskPlan {
  const day = cstDate(new Date(effectiveAt));
  const ackDays = t.ackPeriodWorkingDays ?? workingDaysRule('task.ackPeriod', day);
  const feedbackDays = t.feedbackPeriodWorkingDays ?? workingDaysRule('task.feedbackPeriod', day);
  const ack = planDeadline(effectiveAt, ackDays, workingDaysRule('task.reminderBefore', day));
  const feedback = planDeadline(effectiveAt, feedbackDays, 0);
  return {
    departmentId: t.departmentId,
    ackPeriodWorkingDays: ackDays,
    ackDeadline: ack.deadline,
    remindAt: ack.remindAt,
    feedbackDue: feedback.deadline,
    calendarCovered: ack.calendarCovered && feedback.calendarCovered,
  };
}
