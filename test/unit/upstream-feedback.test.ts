/** Feedback upward (domain/upstream-feedback.ts): the quarter a scheduled run covers, and a check's rows. */
import { checkUpItems, feedbackBatchId, FeedbackPeriod, quarterBefore } from '../../domain/upstream-feedback';
import type { CheckRecord } from '../../domain/check';

describe('quarterBefore', () => {
  it.each([
    ['2027-01-01T03:00:00+08:00', { from: '2026-10-01', to: '2026-12-31' }],
    ['2026-12-31T23:59:00+08:00', { from: '2026-07-01', to: '2026-09-30' }],
    ['2026-04-01T00:30:00+08:00', { from: '2026-01-01', to: '2026-03-31' }],
    ['2028-07-01T03:00:00+08:00', { from: '2028-04-01', to: '2028-06-30' }],
    // 23:30 UTC on 31 March is already 1 April in China: the quarter before is the first
    ['2026-03-31T23:30:00Z', { from: '2026-01-01', to: '2026-03-31' }],
  ])('at %s is %o', (at, period) => {
    expect(quarterBefore(new Date(at))).toEqual(period);
  });

  it('names a period by its days', () => {
    expect(feedbackBatchId({ from: '2026-07-01', to: '2026-09-30' })).toBe('CZ-FB-20260701-20260930');
  });

  it('refuses a period that ends before it begins, as a rule (422)', () => {
    const r = FeedbackPeriod.safeParse({ from: '2026-10-01', to: '2026-09-30' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ path: ['to'], params: { rule: true } });
  });
});

describe('checkUpItems', () => {
  const check: CheckRecord = {
    _id: 'c1',
    at: '2026-12-01T02:00:00.000Z',
    departmentId: 'tax',
    userId: 'u',
    userName: '李四',
    subjectId: '91130900MA0CNB7K2J',
    matter: 'tax_incentive',
    result: 'hit',
    underObjection: false,
    entryIds: ['E-up', 'E-own'],
    measureIds: ['m1', 'm2'],
  };

  it('gives one row per upstream entry found, undecided until the department records its decisions', () => {
    const recordOf = new Map([['E-up', 'HB-1']]);
    expect(checkUpItems(check, recordOf)).toEqual([
      {
        upstreamRecordId: 'HB-1',
        entryId: 'E-up',
        departmentId: 'tax',
        checkedAt: check.at,
        matter: 'tax_incentive',
        applied: [],
        notApplied: [],
        undecided: true,
      },
    ]);
    const decided = {
      ...check,
      decisions: [
        { measureId: 'm1', applied: true },
        { measureId: 'm2', applied: false, reason: '事项不涉及' },
      ],
    };
    expect(checkUpItems(decided, recordOf)[0]).toMatchObject({
      applied: ['m1'],
      notApplied: [{ measureId: 'm2', reason: '事项不涉及' }],
      undecided: false,
    });
    expect(checkUpItems(check, new Map())).toEqual([]);
  });
});
