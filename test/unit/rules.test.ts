import { monthsRule, ruleFor, RULES, workingDaysRule, type Rule } from '../../domain/rules';

describe('rules table', () => {
  it('chooses the row in force on the date of the act', () => {
    expect(monthsRule('publicity.min.serious', '2022-06-01')).toBe(6); // 发改办财金〔2019〕527号
    expect(monthsRule('publicity.min.serious', '2023-05-01')).toBe(12); // Order 58 from its effective date
  });

  it('returns undefined for a months rule with no row on that date', () => {
    expect(monthsRule('publicity.max.minor', '2020-01-01')).toBeUndefined();
  });

  it('throws for a working-days rule with no row, naming key and date', () => {
    expect(() => workingDaysRule('listing.noticeWindow', '2019-01-01')).toThrow('listing.noticeWindow');
  });

  it('lets a newer row supersede an older one without editing it', () => {
    const table: Rule[] = [
      ...RULES,
      {
        key: 'task.ackPeriod',
        period: { unit: 'working_days', value: 2 },
        effectiveFrom: '2027-01-01',
        source: 'test',
        confirmed: false,
      },
    ];
    expect(workingDaysRule('task.ackPeriod', '2026-12-31', table)).toBe(3);
    expect(workingDaysRule('task.ackPeriod', '2027-01-01', table)).toBe(2);
    expect(ruleFor('task.ackPeriod', '2027-01-01', table).source).toBe('test');
  });

  it('has a source for every row', () => {
    for (const r of RULES) expect(r.source.length).toBeGreaterThan(3);
  });
});
