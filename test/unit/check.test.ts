import { evaluateCheck, validateDecisions, type CheckTask } from '../../domain/check';
import { figures, toCsv, totals } from '../../domain/supervision';

const task = (over: Partial<CheckTask> = {}): CheckTask => ({
  entryId: 'E1',
  entry: {
    listKind: 'black',
    category: 'major_tax_violation',
    severity: 'serious',
    authority: '税务局',
    effectiveAt: '2026-10-01T00:00:00Z',
    expiresAt: '2027-10-01T00:00:00Z',
  },
  measures: [
    {
      id: 'd.procurement',
      kind: 'sanction',
      title: '限制政府采购',
      mandatory: true,
      legalBasis: [{ document: '政府采购法' }],
    },
    { id: 'd.subsidy', kind: 'sanction', title: '限制补助', mandatory: false, legalBasis: [{ document: '33号' }] },
  ],
  ...over,
});
const scopes: Record<string, { areas: never[]; matters: string[] }> = {
  'd.procurement': { areas: ['government_procurement'] as never[], matters: ['government_procurement.bid_award'] },
  'd.subsidy': { areas: ['fiscal_subsidy'] as never[], matters: [] },
};

describe('check evaluation', () => {
  it('is clear without live tasks', () => {
    expect(evaluateCheck([], 'fiscal_subsidy', () => undefined)).toEqual({
      result: 'clear',
      underObjection: false,
      entries: [],
      measures: [],
    });
  });

  it('returns the entry and only the measures of the matter', () => {
    const r = evaluateCheck([task()], 'fiscal_subsidy.special_fund', (id) => scopes[id]);
    expect(r.result).toBe('hit');
    expect(r.entries[0]).toMatchObject({ entryId: 'E1', categoryLabel: '重大税收违法失信主体', underObjection: false });
    expect(r.measures.map((m) => m.measureId)).toEqual(['d.subsidy']);
    expect(evaluateCheck([task()], 'government_procurement.contract_change', (id) => scopes[id]).measures).toEqual([]);
    expect(
      evaluateCheck([task()], 'government_procurement', (id) => scopes[id]).measures.map((m) => m.measureId),
    ).toEqual(['d.procurement']);
  });

  it('keeps a measure the catalogue no longer knows, and carries the objection flag', () => {
    const r = evaluateCheck([task({ underObjection: true })], 'other', () => undefined);
    expect(r.measures).toHaveLength(2);
    expect(r.underObjection).toBe(true);
  });
});

describe('decisions per measure', () => {
  it('accepts each measure decided once, with a reason where not applied', () => {
    expect(
      validateDecisions(
        ['a', 'b'],
        [
          { measureId: 'a', applied: true },
          { measureId: 'b', applied: false, reason: '不涉及该款项' },
        ],
      ),
    ).toEqual([]);
  });
  it('names every problem', () => {
    expect(
      validateDecisions(
        ['a', 'b'],
        [
          { measureId: 'a', applied: false },
          { measureId: 'a', applied: true },
          { measureId: 'z', applied: true },
        ],
      ),
    ).toEqual(['措施 a 未执行，须填写理由', '措施 a 重复填报', '措施 z 不在本次核查结果中', '措施 b 未填报是否执行']);
  });
});

describe('supervision figures', () => {
  const base = {
    departmentId: 'tax',
    departmentName: '税务局',
    tasksReceived: 10,
    acknowledged: 9,
    acknowledgedOnTime: 8,
    escalated: 2,
    currentlyOverdue: 1,
    withFeedback: 9,
    feedbackOverdue: 0,
    checks: 40,
    checkHits: 10,
    hitsWithDecision: 10,
  };

  it('computes rates and flags the ones below threshold', () => {
    const f = figures(base);
    expect(f).toMatchObject({ onTimeAckRate: 0.8, feedbackRate: 0.9, decisionRate: 1 });
    expect(f.flags).toEqual(['按时签收率 80.0% 低于 90.0%', '1 项任务逾期未签收']);
  });

  it('has no rate (and no flag) where nothing was due', () => {
    const f = figures({
      ...base,
      tasksReceived: 0,
      acknowledged: 0,
      acknowledgedOnTime: 0,
      withFeedback: 0,
      currentlyOverdue: 0,
      checkHits: 0,
      hitsWithDecision: 0,
    });
    expect(f).toMatchObject({ onTimeAckRate: null, feedbackRate: null, decisionRate: null, flags: [] });
  });

  it('adds up office-wide totals', () => {
    const t = totals([base, { ...base, departmentId: 'fin', acknowledgedOnTime: 10 }]);
    expect(t).toMatchObject({ departmentId: 'all', tasksReceived: 20, acknowledgedOnTime: 18, onTimeAckRate: 0.9 });
  });

  it('exports CSV with a BOM, Chinese headers and quoted cells', () => {
    const csv = toCsv([figures({ ...base, departmentName: '税务局, 稽查' })]);
    expect(csv.startsWith('\uFEFF部门编码,部门,收到任务')).toBe(true);
    expect(csv).toContain('"税务局, 稽查"');
    expect(csv.trim().split('\r\n')).toHaveLength(2);
  });
});
