import { regimeOn, repairEligibility, type RepairFacts } from '../../domain/repair';

const facts = (over: Partial<RepairFacts> = {}): RepairFacts => ({
  listKind: 'black',
  category: 'major_tax_violation',
  severity: 'general',
  listingStatus: 'active',
  effectiveAt: '2025-12-31T16:00:00.000Z', // 1 Jan 2026 CST
  applicationDate: '2026-05-06',
  approvedRepairDates: [],
  openApplication: false,
  ...over,
});

const rules = (f: RepairFacts) => repairEligibility(f).refusals.map((r) => r.rule);

describe('credit repair eligibility', () => {
  it('chooses the regime by the application date', () => {
    expect(regimeOn('2026-03-31')).toBe('order58');
    expect(regimeOn('2026-04-01')).toBe('order36');
    expect(repairEligibility(facts()).regimeLabel).toContain('第36号');
  });

  it('accepts a general entry after 3 months of publicity', () => {
    expect(repairEligibility(facts())).toMatchObject({ eligible: true, earliestDate: '2026-04-01', refusals: [] });
  });

  it('refuses before the minimum publicity period, naming the date and the source', () => {
    const e = repairEligibility(facts({ severity: 'serious' }));
    expect(e.eligible).toBe(false);
    expect(e.refusals).toEqual([
      {
        rule: 'repair.minPeriod.serious',
        message: '最短公示期为12个月，2027-01-01 起方可申请修复',
        source: expect.stringContaining('令第36号'),
      },
    ]);
  });

  it('lets a minor entry be repaired as soon as the duty is fulfilled', () => {
    expect(repairEligibility(facts({ severity: 'minor', applicationDate: '2026-01-02' })).eligible).toBe(true);
  });

  it('refuses categories that leave the list by their own procedure, red lists, closed and noticed entries', () => {
    expect(rules(facts({ category: 'dishonest_judgment_debtor' }))).toEqual(['category']);
    expect(rules(facts({ listKind: 'red', category: 'tax_a_level' }))).toEqual(['listKind']);
    expect(rules(facts({ listingStatus: 'closed' }))).toEqual(['status']);
    expect(rules(facts({ listingStatus: 'notice' }))).toContain('status');
  });

  it('limits re-applying after a rejection and a second open application', () => {
    expect(repairEligibility(facts({ lastRejectedOn: '2026-04-20' })).refusals[0].message).toBe(
      '上次申请于 2026-04-20 被驳回，2026-05-20 起方可再次申请',
    );
    expect(rules(facts({ lastRejectedOn: '2026-04-01' }))).toEqual([]);
    expect(rules(facts({ openApplication: true }))).toEqual(['open']);
  });

  it('limits approved repairs in five years, more strictly from 2026-04-01', () => {
    // Order 58 regime: at most 2 in 5 years
    const before = { applicationDate: '2026-03-20', effectiveAt: '2025-10-01T00:00:00.000Z' };
    expect(rules(facts({ ...before, approvedRepairDates: ['2024-06-01'] }))).toEqual([]);
    expect(rules(facts({ ...before, approvedRepairDates: ['2022-01-01', '2024-06-01'] }))).toEqual([
      'repair.maxApprovedPerFiveYears',
    ]);
    // Order 36 regime: at most 1 in 5 years; older repairs do not count
    expect(rules(facts({ approvedRepairDates: ['2024-06-01'] }))).toEqual(['repair.maxApprovedPerFiveYears']);
    expect(rules(facts({ approvedRepairDates: ['2021-05-05'] }))).toEqual([]);
  });
});
