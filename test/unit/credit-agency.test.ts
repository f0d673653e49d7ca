/** The directory's pure rules: which status may follow which, the status on a day, the filing rule. */
import { AgencyInput, refuseChange, statusOn, type StatusChange } from '../../domain/credit-agency';

const change = (status: StatusChange['status'], decidedOn: string): StatusChange => ({
  status,
  decidedOn,
  reason: '理由',
  by: '信用办',
  at: `${decidedOn}T02:00:00.000Z`,
});

describe('refuseChange', () => {
  it.each([
    ['pending', 'recommended', undefined],
    ['pending', 'not_recommended', undefined],
    ['pending', 'withdrawn', 422],
    ['recommended', 'withdrawn', undefined],
    ['recommended', 'not_recommended', 422],
    ['recommended', 'recommended', 409],
    ['not_recommended', 'recommended', undefined],
    ['not_recommended', 'withdrawn', 422],
    ['withdrawn', 'recommended', undefined],
    ['withdrawn', 'withdrawn', 409],
  ] as const)('%s → %s: %s', (from, to, status) => {
    expect(refuseChange(from, [], to, '2026-12-01')?.status).toBe(status);
  });

  it('refuses a decision dated before the last change', () => {
    expect(refuseChange('recommended', [change('recommended', '2026-11-20')], 'withdrawn', '2026-11-19')).toEqual({
      status: 422,
      field: 'body.decidedOn',
      message: '决定日期不能早于上一次变更的日期 2026-11-20',
    });
    expect(refuseChange('recommended', [change('recommended', '2026-11-20')], 'withdrawn', '2026-11-20')).toBe(
      undefined,
    );
  });
});

describe('statusOn', () => {
  const history = [
    change('recommended', '2026-03-01'),
    change('withdrawn', '2026-06-01'),
    change('recommended', '2026-09-01'),
  ];
  it.each([
    ['2026-02-28', 'pending'],
    ['2026-03-01', 'recommended'],
    ['2026-05-31', 'recommended'],
    ['2026-06-01', 'withdrawn'],
    ['2026-08-31', 'withdrawn'],
    ['2026-09-01', 'recommended'],
  ])('on %s: %s', (day, status) => expect(statusOn(history, day)).toBe(status));
});

describe('AgencyInput', () => {
  const base = {
    uscc: '91130900MA0000001B',
    name: '沧州诚信征信服务有限公司',
    kind: 'credit_reporting',
    services: ['企业征信报告'],
    contact: { phone: '0317-2021234' },
  };
  it('asks a credit reporting firm for its PBOC filing, as a rule (422)', () => {
    const r = AgencyInput.safeParse(base);
    expect(r.success).toBe(false);
    const issue = r.error!.issues.find((i) => i.path[0] === 'filing');
    expect(issue?.message).toBe('征信机构须填写企业征信机构备案的备案机关（中国人民银行分支机构）和备案号');
  });
  it('normalises the USCC and defaults the subject type', () => {
    const code = '91130900ma0000001b';
    const r = AgencyInput.safeParse({
      ...base,
      uscc: ` ${code} `,
      filing: { authority: '中国人民银行河北省分行', number: '冀0013' },
    });
    expect(r.error?.issues).toBeUndefined();
    expect(r.data!.uscc).toBe(code.toUpperCase());
    expect(r.data!.subjectType).toBe('enterprise');
  });
});
