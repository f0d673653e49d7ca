/**
 * A year's holiday arrangement (国务院办公厅关于20XX年部分节假日安排的通知) as the credit office enters
 * it: the holiday periods and the adjusted working days (调休上班), with the notice's number and date.
 * The shape is defined once here; the API body, the stored version and the calendar derive from it.
 * The checks that depend on the year (dates inside it, a working day on a weekend, no overlap) are
 * `arrangementIssues`, a pure function the API turns into a 422 naming the field (the request matches
 * the published schema but breaks a rule the schema cannot express).
 */
import { z } from 'zod';
import { CivilDate } from './dates';
import { text } from './text';

export const HolidayPeriod = z
  .object({
    name: text({ min: 1, max: 40 }).describe('节日名称，如“春节”（2015年的纪念日名称有26个字）'),
    from: CivilDate.describe('放假首日（含）'),
    to: CivilDate.describe('放假末日（含）'),
  })
  .strict();
export type HolidayPeriod = z.infer<typeof HolidayPeriod>;

export const HolidayArrangement = z
  .object({
    notice: z
      .object({
        number: text({ min: 2, max: 60 }).describe('通知文号，如“国办发明电〔2026〕7号”'),
        date: CivilDate.describe('通知印发日期'),
      })
      .strict(),
    holidays: z.array(HolidayPeriod).min(1, '至少填写一个放假时段').max(20),
    workdays: z.array(CivilDate).max(20).describe('调休上班日（周六或周日）'),
  })
  .strict();
export type HolidayArrangement = z.infer<typeof HolidayArrangement>;

/** The calendar's view of one office-entered year: which days are rest and which are worked. */
export interface YearArrangement {
  year: number;
  version: number;
  arrangement: HolidayArrangement;
}

export interface ArrangementIssue {
  path: (string | number)[];
  message: string;
}

const WEEKDAY_NAMES = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];
export const weekdayOf = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
export const isWeekend = (date: string) => weekdayOf(date) === 0 || weekdayOf(date) === 6;

/** Every date of a period, in order (from > to gives none). */
export function datesOf(p: Pick<HolidayPeriod, 'from' | 'to'>): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${p.from}T00:00:00Z`); t <= Date.parse(`${p.to}T00:00:00Z`); t += 86400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
    if (out.length > 366) break;
  }
  return out;
}

/**
 * What is wrong with `a` as the arrangement of `year`, given that it is entered on `today`: dates
 * outside the year, a period ending before it starts, overlapping periods, an adjusted working day on
 * a weekday, twice, or inside a holiday, a notice dated in the future or long before the year.
 */
export function arrangementIssues(year: number, a: HolidayArrangement, today: string): ArrangementIssue[] {
  const issues: ArrangementIssue[] = [];
  const inYear = (d: string) => d.startsWith(`${year}-`);
  const outside = `日期须在${year}年内（跨年的元旦假期只录入${year}年的日子）`;
  if (a.notice.date > today) issues.push({ path: ['notice', 'date'], message: '通知日期不能晚于今天' });
  if (a.notice.date < `${year - 1}-01-01` || a.notice.date > `${year}-12-31`)
    issues.push({ path: ['notice', 'date'], message: `${year}年的安排应由${year - 1}年或${year}年印发的通知公布` });
  const rest = new Map<string, number>();
  a.holidays.forEach((h, i) => {
    if (!inYear(h.from)) issues.push({ path: ['holidays', i, 'from'], message: outside });
    if (!inYear(h.to)) issues.push({ path: ['holidays', i, 'to'], message: outside });
    if (h.to < h.from) {
      issues.push({ path: ['holidays', i, 'to'], message: `放假末日不能早于首日（${h.from}）` });
      return;
    }
    if (datesOf(h).length > 31) issues.push({ path: ['holidays', i, 'to'], message: '一个放假时段不能超过31天' });
    for (const d of datesOf(h)) {
      const other = rest.get(d);
      if (other !== undefined) {
        issues.push({
          path: ['holidays', i],
          message: `与第${other + 1}个放假时段“${a.holidays[other].name}”重叠（${d}）`,
        });
        break;
      }
      rest.set(d, i);
    }
  });
  const seen = new Set<string>();
  a.workdays.forEach((d, j) => {
    if (!inYear(d)) issues.push({ path: ['workdays', j], message: outside });
    if (!isWeekend(d))
      issues.push({
        path: ['workdays', j],
        message: `调休上班日应为周六或周日，${d} 是${WEEKDAY_NAMES[weekdayOf(d)]}`,
      });
    if (seen.has(d)) issues.push({ path: ['workdays', j], message: `调休上班日 ${d} 重复填写` });
    seen.add(d);
    const h = rest.get(d);
    if (h !== undefined)
      issues.push({ path: ['workdays', j], message: `${d} 在放假时段“${a.holidays[h].name}”内，不能同时是上班日` });
  });
  return issues;
}

/** Two entries say the same thing (a repeated request): same notice, same periods, same working days. */
export function sameArrangement(a: HolidayArrangement, b: HolidayArrangement): boolean {
  const norm = (x: HolidayArrangement) =>
    JSON.stringify({
      notice: x.notice,
      holidays: [...x.holidays].sort((p, q) => p.from.localeCompare(q.from)),
      workdays: [...x.workdays].sort(),
    });
  return norm(a) === norm(b);
}
