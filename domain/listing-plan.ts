/**
 * Deadline planning for a listing: pure functions of the calendar and the rules table. The listing
 * workflow calls them through a local activity so that a later calendar or rules update never changes
 * the timers of a running workflow on replay.
 */
import { addWorkingDays, cstDate, endOfCstDay, isYearCovered, startOfCstDay, subtractWorkingDays } from './calendar';
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

/** Office hours start at 09:00 CST: reminders go out then. */
const REMINDER_HOUR_MS = 9 * 3600 * 1000;

export function planTask(effectiveAt: string, t: TaskPeriodsInput): TaskPlan {
  const start = new Date(effectiveAt);
  const day = cstDate(start);
  const ackDays = t.ackPeriodWorkingDays ?? workingDaysRule('task.ackPeriod', day);
  const feedbackDays = t.feedbackPeriodWorkingDays ?? workingDaysRule('task.feedbackPeriod', day);
  const before = workingDaysRule('task.reminderBefore', day);
  const ackDate = addWorkingDays(day, ackDays);
  const remindDate = subtractWorkingDays(ackDate, before);
  const remindAt = new Date(Math.max(startOfCstDay(remindDate).getTime() + REMINDER_HOUR_MS, start.getTime()));
  const feedbackDate = addWorkingDays(day, feedbackDays);
  return {
    departmentId: t.departmentId,
    ackPeriodWorkingDays: ackDays,
    ackDeadline: endOfCstDay(ackDate).toISOString(),
    remindAt: remindAt.toISOString(),
    feedbackDue: endOfCstDay(feedbackDate).toISOString(),
    calendarCovered: [day, ackDate, feedbackDate].every((d) => isYearCovered(Number(d.slice(0, 4)))),
  };
}
