/** A working-day deadline with its reminder, from an instant. Pure (calendar + numbers). */
import { cstDate, currentCalendar, endOfCstDay, startOfCstDay, type WorkingCalendar } from './calendar';

export interface PlannedDeadline {
  deadline: string;
  remindAt: string;
  calendarCovered: boolean;
}

/** Office hours start at 09:00 CST: reminders go out then. */
const REMINDER_HOUR_MS = 9 * 3600 * 1000;

/**
 * Ends at 24:00 CST of the Nth working day after the CST day of `from`; the reminder goes out at 09:00
 * CST `reminderBefore` working days earlier, never before `from` itself.
 */
export function planDeadline(
  fromIso: string,
  workingDays: number,
  reminderBefore: number,
  cal: WorkingCalendar = currentCalendar(),
): PlannedDeadline {
  const start = new Date(fromIso);
  const day = cstDate(start);
  const date = cal.addWorkingDays(day, workingDays);
  const remindDate = cal.subtractWorkingDays(date, reminderBefore);
  const remindAt = new Date(Math.max(startOfCstDay(remindDate).getTime() + REMINDER_HOUR_MS, start.getTime()));
  return {
    deadline: endOfCstDay(date).toISOString(),
    remindAt: remindAt.toISOString(),
    calendarCovered: cal.isYearCovered(Number(day.slice(0, 4))) && cal.isYearCovered(Number(date.slice(0, 4))),
  };
}
