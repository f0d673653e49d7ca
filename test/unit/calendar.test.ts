import {
  addCalendarDays,
  addMonths,
  addWorkingDays,
  cstDate,
  endOfCstDay,
  isWorkingDay,
  isYearCovered,
  subtractWorkingDays,
  workingDaysBetween,
  WorkingCalendar,
} from '../../domain/calendar';
import { planDeadline } from '../../domain/deadlines';
import { ARRANGEMENT_2027 } from '../support/arrangements';

describe('Chinese working-day calendar', () => {
  it('knows the 2026 National Day holiday and its adjusted working Saturday', () => {
    for (const d of ['2026-10-01', '2026-10-05', '2026-10-07']) expect(isWorkingDay(d)).toBe(false);
    expect(isWorkingDay('2026-10-08')).toBe(true);
    expect(isWorkingDay('2026-10-10')).toBe(true); // 调休: a Saturday worked
    expect(isWorkingDay('2026-10-11')).toBe(false);
  });

  it('adds working days across National Day: 5 working days after Mon 28 Sep 2026 end on Sat 10 Oct', () => {
    // 29 Sep (1), 30 Sep (2), [1–7 Oct holiday], 8 Oct (3), 9 Oct (4), 10 Oct adjusted working day (5)
    expect(addWorkingDays('2026-09-28', 5)).toBe('2026-10-10');
    expect(workingDaysBetween('2026-09-28', '2026-10-10')).toBe(5);
  });

  it('adds working days across the Spring Festival 2026', () => {
    // 13 Feb (Fri) is a working day; 14 Feb (Sat) is an adjusted working day; 15–23 Feb holiday
    expect(addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
    expect(addWorkingDays('2026-02-14', 1)).toBe('2026-02-24');
  });

  it('subtracts working days', () => {
    expect(subtractWorkingDays('2026-10-08', 1)).toBe('2026-09-30');
  });

  it('treats deadlines as the end of the civil day in China Standard Time', () => {
    expect(endOfCstDay('2026-10-10').toISOString()).toBe('2026-10-10T16:00:00.000Z');
    expect(cstDate(new Date('2026-09-27T16:30:00Z'))).toBe('2026-09-28');
    expect(planDeadline('2026-09-28T02:00:00Z', 5, 1)).toMatchObject({
      deadline: '2026-10-10T16:00:00.000Z',
      calendarCovered: true,
    });
  });

  it('flags deadlines in a year whose holidays are not yet in the calendar', () => {
    expect(isYearCovered(2026)).toBe(true);
    const d = planDeadline('2099-12-28T02:00:00Z', 5, 1);
    expect(d.calendarCovered).toBe(false);
  });

  it('adds calendar months clamping to the month end', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-11-26', 36)).toBe('2029-11-26');
  });

  it('refuses a negative number of working days', () => {
    expect(() => addWorkingDays('2026-01-05', -1)).toThrow(RangeError);
  });

  it('steps working days as counting them one calendar day at a time does, across years and an office entry', () => {
    const cal = WorkingCalendar.of([{ year: 2027, version: 1, arrangement: ARRANGEMENT_2027 }]);
    const byDays = (date: string, n: number, step: 1 | -1) => {
      let d = date;
      for (let left = n; left > 0;) if (cal.isWorkingDay((d = addCalendarDays(d, step)))) left--;
      return d;
    };
    for (let i = 0; i < 400; i++) {
      const date = addCalendarDays('2025-06-01', (i * 37) % 900);
      const n = (i * 13) % 95;
      expect(cal.addWorkingDays(date, n)).toBe(byDays(date, n, 1));
      expect(cal.subtractWorkingDays(date, n)).toBe(byDays(date, n, -1));
      const to = cal.addWorkingDays(date, n);
      expect(cal.workingDaysBetween(date, to)).toBe(n);
    }
    expect(addCalendarDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addCalendarDays('2027-01-01', -1)).toBe('2026-12-31');
  });
});
