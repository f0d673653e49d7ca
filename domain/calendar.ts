/**
 * Chinese working-day calendar. Holidays and adjusted working days (调休) come from the office's
 * entered arrangements (db/calendar-store.ts) and, for other years, the `chinese-days` package; this
 * module only turns them into deadlines. Pure given the installed arrangements.
 *
 * All dates are civil dates in China Standard Time (UTC+8, no daylight saving). A deadline "N working
 * days after D" ends at 24:00 CST of the Nth working day after D (D itself not counted).
 */
import chineseDays from 'chinese-days';
import { datesOf, type HolidayPeriod, type YearArrangement } from './holiday-arrangement';

export { CST_OFFSET_MS, cstDate, endOfCstDay, startOfCstDay } from './cst';

const DAY_MS = 86400_000;
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const dateOfDayNumber = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

export function addCalendarDays(date: string, days: number): string {
  return dateOfDayNumber(dayNumber(date) + days);
}

/** Adds calendar months, clamping to the month's last day (2026-01-31 + 1 month = 2026-02-28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

/** Years the package holds an arrangement for (it has named holidays in them). */
const packageYears = new Set<number>(yearsWithData());

function yearsWithData(): number[] {
  const years: number[] = [];
  for (let y = 2004; y <= 2100; y++) {
    if (chineseDays.getHolidaysInRange(`${y}-01-01`, `${y}-12-31`, false).length > 0) years.push(y);
  }
  return years;
}

const isWeekendDay = (date: string) => {
  const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
  return wd === 0 || wd === 6;
};

/** One office-entered year as the calendar reads it. */
interface OfficeYear {
  version: number;
  rest: ReadonlySet<string>;
  work: ReadonlySet<string>;
}

function officeYearOf(y: YearArrangement): OfficeYear {
  return {
    version: y.version,
    rest: new Set(y.arrangement.holidays.flatMap(datesOf)),
    work: new Set(y.arrangement.workdays),
  };
}

export type CalendarSource = 'office' | 'package' | 'none';

/**
 * The working-day calendar over the package's data and the office's arrangements. For a year the
 * office has entered, the office's arrangement decides every day of that year and the package is not
 * read: it is the State Council notice itself, entered by the office that answers for the deadlines,
 * while the package is a third party's copy that may lag or differ. Years without an office entry
 * use the package; a year neither has counts weekends only (and its deadlines are provisional).
 * Immutable: a new arrangement makes a new calendar.
 */
export class WorkingCalendar {
  /** The calendar with these office entries (the newest version of each year wins). */
  static of(years: readonly YearArrangement[] = []): WorkingCalendar {
    const m = new Map<number, OfficeYear>();
    for (const y of years) if (!m.has(y.year) || m.get(y.year)!.version < y.version) m.set(y.year, officeYearOf(y));
    return new WorkingCalendar(m);
  }

  /**
   * Each date's answer, once asked: the calendar never changes, and the package's isWorkday formats the
   * date on every call (planning a listing's 20 tasks asks about the same few hundred days again and again;
   * it was about 6% of the fan-out worker's main thread under --cpu-prof). Keyed by day number, and the
   * loops step day numbers: stepping date strings was another 2.4% of that thread in the import benchmark.
   */
  private readonly known = new Map<number, boolean>();

  private constructor(private readonly office: ReadonlyMap<number, OfficeYear>) {}

  /** This calendar without the office's entry for `year` (what deadlines were planned with before it). */
  without(year: number): WorkingCalendar {
    const m = new Map(this.office);
    m.delete(year);
    return new WorkingCalendar(m);
  }

  /** This calendar with `y` as the office's entry for its year (a preview, or a new version). */
  withYear(y: YearArrangement): WorkingCalendar {
    const m = new Map(this.office);
    m.set(y.year, officeYearOf(y));
    return new WorkingCalendar(m);
  }

  source(year: number): CalendarSource {
    if (this.office.has(year)) return 'office';
    return packageYears.has(year) ? 'package' : 'none';
  }

  /** The version of the office's arrangement in force for the year, if it has one. */
  officeVersion(year: number): number | undefined {
    return this.office.get(year)?.version;
  }

  isYearCovered(year: number): boolean {
    return this.source(year) !== 'none';
  }

  isWorkingDay(date: string): boolean {
    return this.isWorkingDayNumber(dayNumber(date));
  }

  /** By day number (days since 1970-01-01): the loops below step integers, not date strings. */
  private isWorkingDayNumber(day: number): boolean {
    let working = this.known.get(day);
    if (working === undefined) this.known.set(day, (working = this.lookUp(dateOfDayNumber(day))));
    return working;
  }

  private lookUp(date: string): boolean {
    const o = this.office.get(Number(date.slice(0, 4)));
    if (o) return o.work.has(date) || (!o.rest.has(date) && !isWeekendDay(date));
    return chineseDays.isWorkday(date);
  }

  /** The Nth working day strictly after `date` (n >= 1), or `date` itself for n = 0. */
  addWorkingDays(date: string, n: number): string {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a non-negative integer, got ${n}`);
    return n === 0 ? date : this.stepWorkingDays(date, n, 1);
  }

  /** Working days strictly after `from` up to and including `to`. */
  workingDaysBetween(from: string, to: string): number {
    let count = 0;
    const last = dayNumber(to);
    for (let d = dayNumber(from) + 1; d <= last; d++) if (this.isWorkingDayNumber(d)) count++;
    return count;
  }

  /** The Nth working day strictly before `date` (n >= 1). */
  subtractWorkingDays(date: string, n: number): string {
    return n <= 0 ? date : this.stepWorkingDays(date, n, -1);
  }

  private stepWorkingDays(date: string, n: number, step: 1 | -1): string {
    let d = dayNumber(date);
    for (let left = n; left > 0;) {
      d += step;
      if (this.isWorkingDayNumber(d)) left--;
    }
    return dateOfDayNumber(d);
  }

  /** Working days of each month of the year (index 0 = January). */
  monthlyWorkingDays(year: number): number[] {
    return Array.from({ length: 12 }, (_, m) => {
      const first = `${year}-${String(m + 1).padStart(2, '0')}-01`;
      const last = addCalendarDays(addMonths(first, 1), -1);
      return this.workingDaysBetween(addCalendarDays(first, -1), last);
    });
  }
}

/** The package alone: what `chinese-days` says (for the preview beside an office entry). */
export const PACKAGE_CALENDAR = WorkingCalendar.of();

let current = PACKAGE_CALENDAR;

/**
 * Installs the office's arrangements (the worker and the API load them from MongoDB and call this
 * again when they change). Deadlines are planned in local activities recorded in workflow history, so
 * a new calendar changes new plans only; running ones change through the re-planning workflow.
 */
export function installArrangements(years: readonly YearArrangement[]): void {
  current = WorkingCalendar.of(years);
}

/** The calendar in force in this process. */
export function currentCalendar(): WorkingCalendar {
  return current;
}

/**
 * Whether the year's holiday arrangement is known (office entry or package); otherwise deadlines in it are
 * provisional.
 */
export function isYearCovered(year: number): boolean {
  return current.isYearCovered(year);
}

export function isWorkingDay(date: string): boolean {
  return current.isWorkingDay(date);
}

/** The Nth working day strictly after `date` (n >= 1), or `date` itself for n = 0. */
export function addWorkingDays(date: string, n: number): string {
  return current.addWorkingDays(date, n);
}

/** Working days strictly after `from` up to and including `to`. */
export function workingDaysBetween(from: string, to: string): number {
  return current.workingDaysBetween(from, to);
}

/** The Nth working day strictly before `date` (n >= 1). */
export function subtractWorkingDays(date: string, n: number): string {
  return current.subtractWorkingDays(date, n);
}

/** The package's holiday periods and adjusted working days of a year (empty when it has none). */
export function packageArrangementOf(year: number): { holidays: HolidayPeriod[]; workdays: string[] } {
  const holidays: HolidayPeriod[] = [];
  const workdays: string[] = [];
  if (!packageYears.has(year)) return { holidays, workdays };
  for (let d = `${year}-01-01`; d <= `${year}-12-31`; d = addCalendarDays(d, 1)) {
    const detail = chineseDays.getDayDetail(d);
    const named = detail.name.includes(',');
    if (detail.work && isWeekendDay(d)) workdays.push(d);
    if (!detail.work && named) {
      const name = detail.name.split(',')[1];
      const last = holidays[holidays.length - 1];
      if (last && last.name === name && addCalendarDays(last.to, 1) === d) last.to = d;
      else holidays.push({ name, from: d, to: d });
    }
  }
  return { holidays, workdays };
}

/**
 * The office's warning from 1 November while next year's arrangement is not known (the State Council
 * usually publishes it in November): deadlines reaching into it are provisional until it is entered.
 */
export function nextYearStatus(
  today: string,
  cal: WorkingCalendar = current,
): { nextYear: number; covered: boolean; warning: string | null } {
  const nextYear = Number(today.slice(0, 4)) + 1;
  const covered = cal.isYearCovered(nextYear);
  const warning =
    !covered && today.slice(5) >= '11-01'
      ? `${nextYear}年节假日安排尚未录入：跨入${nextYear}年的期限暂按周末计算，为临时期限。国务院办公厅通知发布后请在“工作日历”录入。`
      : null;
  return { nextYear, covered, warning };
}
