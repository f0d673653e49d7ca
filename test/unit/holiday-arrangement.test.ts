/** The office's holiday arrangements in the pure calendar: which source wins, and the checks against the year. */
import { nextYearStatus, PACKAGE_CALENDAR, WorkingCalendar } from '../../domain/calendar';
import { planDeadline } from '../../domain/deadlines';
import { arrangementIssues, sameArrangement } from '../../domain/holiday-arrangement';
import { ARRANGEMENT_2027 } from '../support/arrangements';

const with2027 = WorkingCalendar.of([{ year: 2027, version: 1, arrangement: ARRANGEMENT_2027 }]);

describe('calendar with office arrangements', () => {
  it('counts weekends only in a year nobody covers, and the office entry once it is there', () => {
    expect(PACKAGE_CALENDAR.isYearCovered(2027)).toBe(false);
    expect(PACKAGE_CALENDAR.isWorkingDay('2027-01-01')).toBe(true);
    expect(with2027.source(2027)).toBe('office');
    expect(with2027.isWorkingDay('2027-01-01')).toBe(false);
    expect(with2027.isWorkingDay('2027-01-31')).toBe(true); // an adjusted Sunday
    expect(with2027.isWorkingDay('2027-01-30')).toBe(false); // an ordinary Saturday
    expect(with2027.without(2027).isWorkingDay('2027-01-01')).toBe(true);
  });

  it('lets the office entry win over the package for its year, and leaves the package other years', () => {
    // an office entry for 2026 without the adjusted Saturday 10 Oct: the office's word decides 2026
    const office2026 = WorkingCalendar.of([
      {
        year: 2026,
        version: 1,
        arrangement: {
          notice: { number: '国办发明电〔2025〕7号', date: '2025-11-04' },
          holidays: [{ name: '国庆节', from: '2026-10-01', to: '2026-10-07' }],
          workdays: [],
        },
      },
    ]);
    expect(PACKAGE_CALENDAR.isWorkingDay('2026-10-10')).toBe(true);
    expect(office2026.isWorkingDay('2026-10-10')).toBe(false);
    expect(office2026.isWorkingDay('2026-02-16')).toBe(true); // not in this entry: the package is not read for 2026
    expect(office2026.source(2025)).toBe('package');
    expect(office2026.isWorkingDay('2025-10-01')).toBe(false);
  });

  it('plans a deadline into 2027 provisionally without the entry and covered with it', () => {
    // Thu 31 Dec 2026 + 5 working days: 1, 4, 5, 6, 7 Jan (weekends only) or 4–8 Jan (元旦 1–3 Jan)
    expect(planDeadline('2026-12-31T02:00:00Z', 5, 1, PACKAGE_CALENDAR)).toEqual({
      deadline: '2027-01-07T16:00:00.000Z',
      remindAt: '2027-01-06T01:00:00.000Z',
      calendarCovered: false,
    });
    expect(planDeadline('2026-12-31T02:00:00Z', 5, 1, with2027)).toEqual({
      deadline: '2027-01-08T16:00:00.000Z',
      remindAt: '2027-01-07T01:00:00.000Z',
      calendarCovered: true,
    });
  });

  it('counts the working days of each month', () => {
    expect(with2027.monthlyWorkingDays(2027)).toEqual([21, 16, 23, 22, 19, 19, 22, 22, 20, 17, 22, 23]);
  });
});

describe('checks of an arrangement against its year', () => {
  it('accepts the 2027 test arrangement', () => {
    expect(arrangementIssues(2027, ARRANGEMENT_2027, '2026-12-01')).toEqual([]);
  });

  it('refuses a notice dated after today or long before the year', () => {
    expect(arrangementIssues(2027, ARRANGEMENT_2027, '2026-11-04')).toEqual([
      { path: ['notice', 'date'], message: '通知日期不能晚于今天' },
    ]);
    const old = { ...ARRANGEMENT_2027, notice: { number: 'x号', date: '2025-06-01' } };
    expect(arrangementIssues(2027, old, '2026-12-01')).toEqual([
      { path: ['notice', 'date'], message: '2027年的安排应由2026年或2027年印发的通知公布' },
    ]);
  });

  it('refuses a repeated adjusted working day', () => {
    const twice = { ...ARRANGEMENT_2027, workdays: ['2027-02-20', '2027-02-20'] };
    expect(arrangementIssues(2027, twice, '2026-12-01')).toEqual([
      { path: ['workdays', 1], message: '调休上班日 2027-02-20 重复填写' },
    ]);
  });

  it('treats the same entry in another order as the same', () => {
    const reordered = { ...ARRANGEMENT_2027, holidays: [...ARRANGEMENT_2027.holidays].reverse() };
    expect(sameArrangement(ARRANGEMENT_2027, reordered)).toBe(true);
    expect(sameArrangement(ARRANGEMENT_2027, { ...ARRANGEMENT_2027, workdays: [] })).toBe(false);
  });
});

describe('the dashboard warning about next year', () => {
  it('warns from 1 November while next year is not covered, and stops once it is', () => {
    expect(nextYearStatus('2026-10-31', PACKAGE_CALENDAR)).toEqual({ nextYear: 2027, covered: false, warning: null });
    expect(nextYearStatus('2026-11-01', PACKAGE_CALENDAR).warning).toBe(
      '2027年节假日安排尚未录入：跨入2027年的期限暂按周末计算，为临时期限。国务院办公厅通知发布后请在“工作日历”录入。',
    );
    expect(nextYearStatus('2026-12-31', with2027)).toEqual({ nextYear: 2027, covered: true, warning: null });
    expect(nextYearStatus('2025-11-20', PACKAGE_CALENDAR)).toEqual({ nextYear: 2026, covered: true, warning: null });
  });
});
