/**
 * Holiday arrangements for tests. The 2027 one is invented test data, shaped like the State Council's
 * 2026 notice (DOMAIN.md §9f): the real 2027 notice was not available, and `chinese-days` 1.5.7 has no 2027.
 */
import type { HolidayArrangement } from '../../domain/holiday-arrangement';

export const ARRANGEMENT_2027: HolidayArrangement = {
  notice: { number: '国办发明电〔2026〕99号', date: '2026-11-05' },
  holidays: [
    { name: '元旦', from: '2027-01-01', to: '2027-01-03' }, // Fri–Sun
    { name: '春节', from: '2027-02-06', to: '2027-02-14' }, // Sat–Sun, 9 days
    { name: '清明节', from: '2027-04-03', to: '2027-04-05' },
    { name: '劳动节', from: '2027-05-01', to: '2027-05-05' },
    { name: '端午节', from: '2027-06-09', to: '2027-06-11' },
    { name: '中秋节', from: '2027-09-15', to: '2027-09-17' },
    { name: '国庆节', from: '2027-10-01', to: '2027-10-07' },
  ],
  workdays: ['2027-01-31', '2027-02-20', '2027-04-25', '2027-05-08', '2027-09-26', '2027-10-09'],
};

/** An arrangement that gives fewer rest days at the start of January: Sat 2 Jan 2027 worked, 1 Jan not a holiday. */
export const EARLIER_2027: HolidayArrangement = {
  notice: { number: '国办发明电〔2026〕98号', date: '2026-11-05' },
  holidays: [{ name: '春节', from: '2027-02-06', to: '2027-02-14' }],
  workdays: ['2027-01-02'],
};
