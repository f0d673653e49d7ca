import { entryIdOf, ListingRequest } from '../../domain/listing';
import { baseListing } from '../support/fixtures';

const validRequest = () => ({
  ...baseListing(),
  subject: { type: 'enterprise', uscc: '914403001922038216', name: '示例科技有限公司' },
  decisionDocument: { number: '沧税稽罚〔2026〕12号', date: '2026-11-20' },
  effectiveDate: '2026-11-27',
  validUntil: '2029-11-26',
});

const issuesOf = (input: unknown) => {
  const r = ListingRequest.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
};

describe('listing request', () => {
  it('accepts a valid black-list entry', () => {
    expect(issuesOf(validRequest())).toEqual([]);
  });

  it('refuses a USCC with a wrong check character, naming the field', () => {
    const r = validRequest();
    r.subject.uscc = '914403001922038217';
    expect(issuesOf(r)).toEqual([{ path: 'subject.uscc', message: expect.stringContaining('校验位') }]);
  });

  it('refuses an individual with a wrong ID number', () => {
    const r = { ...validRequest(), subject: { type: 'individual', idNumber: '110105194912310021', name: '张三' } };
    expect(issuesOf(r)[0]).toEqual({ path: 'subject.idNumber', message: expect.stringContaining('校验码') });
  });

  it('refuses an unknown category and a category of the other list', () => {
    expect(issuesOf({ ...validRequest(), category: 'no_such' })[0].path).toBe('category');
    expect(issuesOf({ ...validRequest(), category: 'tax_a_level' })).toEqual([
      { path: 'category', message: expect.stringContaining('红名单') },
    ]);
  });

  it('refuses a notice served before the notice-window rule took effect (no window could be planned)', () => {
    const r = {
      ...validRequest(),
      noticeServedOn: '2000-01-01',
      decisionDocument: { number: '某号', date: '2000-01-01' },
    };
    expect(issuesOf(r)).toEqual([
      { path: 'noticeServedOn', message: '告知书送达日期不能早于事前告知期限规定的施行日期 2020-12-18' },
    ]);
    expect(issuesOf({ ...validRequest(), noticeServedOn: '2020-12-18' })).toEqual([]);
  });

  it('refuses impossible and inconsistent dates', () => {
    expect(issuesOf({ ...validRequest(), effectiveDate: '2026-02-30' })[0]).toEqual({
      path: 'effectiveDate',
      message: '日期不存在',
    });
    expect(issuesOf({ ...validRequest(), validUntil: '2026-11-01' })).toEqual([
      { path: 'validUntil', message: '有效期至必须晚于生效日期' },
    ]);
    expect(issuesOf({ ...validRequest(), decisionDocument: { number: 'x号x', date: '2026-12-01' } })[0].path).toBe(
      'decisionDocument.date',
    );
  });

  it('caps validity by the publicity period of the severity', () => {
    expect(issuesOf({ ...validRequest(), validUntil: '2029-11-28' })).toEqual([
      { path: 'validUntil', message: expect.stringContaining('严重失信信息公示期最长36个月') },
    ]);
    expect(issuesOf({ ...validRequest(), severity: 'general', validUntil: '2027-11-28' })[0].message).toContain(
      '最长12个月',
    );
  });

  it('requires a severity on black-list entries and refuses unknown fields', () => {
    const { severity: _s, ...noSeverity } = validRequest();
    expect(issuesOf(noSeverity)[0].path).toBe('severity');
    expect(issuesOf({ ...validRequest(), extra: 1 })[0].message).toMatch(/extra/);
  });

  it('derives the same entry id for the same decision and a different one otherwise', () => {
    const a = ListingRequest.parse(validRequest());
    const b = ListingRequest.parse({ ...validRequest(), reason: '另一种表述' });
    const c = ListingRequest.parse({
      ...validRequest(),
      decisionDocument: { number: '沧税稽罚〔2026〕13号', date: '2026-11-20' },
    });
    expect(entryIdOf(a)).toBe(entryIdOf(b));
    expect(entryIdOf(a)).not.toBe(entryIdOf(c));
    expect(entryIdOf(a)).toMatch(/^E[0-9a-f]{20}$/);
  });
});
