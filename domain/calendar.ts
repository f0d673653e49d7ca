/**
 * Chinese working-day calendar. Holidays and adjusted working days (调休) come from the maintained
 * `chinese-days` package; this module only turns them into deadlines.
 *
 * All dates are civil dates in China Standard Time (UTC+8, no daylight saving). A deadline "N working
 * days after D" ends at 24:00 CST of the Nth working day after D (D itself not counted).
 */
import chineseDays from 'chinese-days';

export { CST_OFFSET_MS, cstDate, endOfCstDay, startOfCstDay } from './cst';

export function addCalendarDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Adds calendar months, clamping to the month's last day (2026-01-31 + 1 month = 2026-02-28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

const coveredYears = new Set<number>(yearsWithData());

function yearsWithData(): number[] {
  const years: number[] = [];
  for (let y = 2004; y <= 2100; y++) {
    if (chineseDays.getHolidaysInRange(`${y}-01-01`, `${y}-12-31`, false).length > 0) years.push(y);
  }
  return years;
}

/**
 * Whether the State Council's holiday arrangement for the year is in the calendar data. For a year
 * not yet published, only weekends count as rest days, and deadlines computed in it are provisional.
 */
export function isYearCovered(year: number): boolean {
  return coveredYears.has(year);
}

export function isWorkingDay(date: string): boolean {
  return chineseDays.isWorkday(date);
}

/** The Nth working day strictly after `date` (n >= 1), or `date` itself for n = 0. */
export function addWorkingDays(date: string, n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a non-negative integer, got ${n}`);
  let d = date;
  let left = n;
  while (left > 0) {
    d = addCalendarDays(d, 1);
    if (isWorkingDay(d)) left--;
  }
  return d;
}

/** Working days strictly after `from` up to and including `to`. */
export function workingDaysBetween(from: string, to: string): number {
  let count = 0;
  for (let d = addCalendarDays(from, 1); d <= to; d = addCalendarDays(d, 1)) if (isWorkingDay(d)) count++;
  return count;
}

/** The Nth working day strictly before `date` (n >= 1). */
export function subtractWorkingDays(date: string, n: number): string {
  let d = date;
  let left = n;
  while (left > 0) {
    d = addCalendarDays(d, -1);
    if (isWorkingDay(d)) left--;
  }
  return d;
}
