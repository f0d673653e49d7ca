/** Credit records, files and report content: validation, publicity expiry, repair and objection marks. */
import { CreditRecordBatch, CreditRecordInput, publicityEnd } from '../../domain/credit-record';
import { listingItem, placeListing, placeRecord, recordItem, reportPeriod } from '../../domain/credit-file';
import { buildReportContent, contentDigest, reportNumber, REPORT_NO } from '../../domain/credit-report';
import type { ListingRequest } from '../../domain/listing';

const subject = { type: 'enterprise', uscc: '914403001922038216', name: '示例科技有限公司' };
const penalty = (over: Record<string, unknown> = {}) =>
  CreditRecordInput.parse({
    recordClass: 'administrative_penalty',
    sourceRecordId: 'P1',
    subject,
    decisionDocument: { number: '沧税罚〔2026〕1号', date: '2026-01-10' },
    title: '逾期申报',
    severity: 'general',
    ...over,
  });
const none = { withdrawn: false, underObjection: false };

describe('record validation', () => {
  it('fills the defaults and normalises the subject id', () => {
    const r = penalty({ subject: { ...subject, uscc: '914403001922038216 ' } });
    expect(r).toMatchObject({ simpleProcedure: false, subject: { uscc: '914403001922038216' } });
  });

  it('names the field of a publicity period outside the rules', () => {
    const tooLong = CreditRecordInput.safeParse({ ...penalty(), publicityUntil: '2027-02-10' });
    expect(tooLong.success).toBe(false);
    expect(tooLong.error!.issues[0]).toMatchObject({
      path: ['publicityUntil'],
      message: '一般行政处罚信息公示期最长12个月，公示截止日期不得晚于 2027-01-10',
    });
    const tooShort = CreditRecordInput.safeParse({ ...penalty(), publicityUntil: '2026-03-01' });
    expect(tooShort.error!.issues[0].message).toBe('一般行政处罚信息公示期最短3个月，公示截止日期不得早于 2026-04-10');
    const serious = CreditRecordInput.safeParse({ ...penalty({ severity: 'serious' }), publicityUntil: '2029-01-11' });
    expect(serious.error!.issues[0].message).toContain('最长36个月');
  });

  it('refuses an unknown class saying which classes there are', () => {
    const r = CreditRecordInput.safeParse({ ...penalty(), recordClass: 'rumour' });
    expect(r.error!.issues[0].path).toEqual(['recordClass']);
  });

  it('refuses a batch whose record id says two different things, naming the index', () => {
    const r = CreditRecordBatch.safeParse({ records: [penalty(), penalty({ title: '另一事由' })] });
    expect(r.error!.issues[0]).toMatchObject({ path: ['records', 1, 'sourceRecordId'] });
    expect(CreditRecordBatch.safeParse({ records: [penalty(), penalty()] }).success).toBe(true);
  });
});

describe('publicity', () => {
  it('ends a general penalty after 12 months by default, or on the given date', () => {
    expect(publicityEnd(penalty())).toBe('2027-01-10');
    expect(publicityEnd(penalty({ publicityUntil: '2026-06-30' }))).toBe('2026-06-30');
    expect(publicityEnd(penalty({ severity: 'serious' }))).toBe('2029-01-10');
  });

  it('shows a penalty publicly until its last day, then archives it as 公示期满', () => {
    expect(placeRecord(penalty(), none, '2027-01-10')).toMatchObject({ status: 'public', inPublicView: true });
    expect(placeRecord(penalty(), none, '2027-01-11')).toMatchObject({
      status: 'expired',
      statusLabel: '公示期满',
      inPublicView: false,
      inSpecialReport: false,
    });
  });

  it('keeps a minor penalty out of public view but in the special report for 3 months', () => {
    const minor = penalty({ severity: 'minor', simpleProcedure: true });
    expect(placeRecord(minor, none, '2026-04-10')).toMatchObject({
      status: 'not_published',
      inPublicView: false,
      inSpecialReport: true,
    });
    expect(placeRecord(minor, none, '2026-04-11')).toMatchObject({ status: 'expired', inSpecialReport: false });
  });

  it('marks a repaired record 已修复 and takes it out of public view and reports', () => {
    expect(placeRecord(penalty({ repairedOn: '2026-05-01' }), none, '2026-05-01')).toMatchObject({
      status: 'repaired',
      statusLabel: '已修复',
      inPublicView: false,
      inSpecialReport: false,
    });
  });

  it('marks a record under objection 异议处理中 and keeps it where it was', () => {
    expect(placeRecord(penalty(), { withdrawn: false, underObjection: true }, '2026-02-01')).toMatchObject({
      status: 'public',
      statusLabel: '公示中 · 异议处理中',
      inPublicView: true,
    });
  });

  it('publishes a licence while it is valid, without a severity', () => {
    const lic = CreditRecordInput.parse({
      recordClass: 'administrative_license',
      sourceRecordId: 'L1',
      subject,
      decisionDocument: { number: '许可1', date: '2026-01-10' },
      title: '食品经营许可',
      validUntil: '2027-01-09',
    });
    expect(placeRecord(lic, none, '2027-01-09').inPublicView).toBe(true);
    expect(placeRecord(lic, none, '2027-01-10').status).toBe('expired');
  });
});

const listingRequest = {
  subject,
  listKind: 'black',
  category: 'major_tax_violation',
  severity: 'serious',
  authority: '国家税务总局沧州市税务局',
  legalBasis: [{ document: '令第54号' }],
  decisionDocument: { number: '沧税稽罚〔2026〕1号', date: '2026-01-01' },
  reason: '虚开发票',
  effectiveDate: '2026-01-05',
  validUntil: '2029-01-04',
} as unknown as ListingRequest;
const listing = (over: Record<string, unknown> = {}) => ({
  entryId: 'E1',
  request: listingRequest,
  status: 'active' as const,
  effectiveAt: '2026-01-04T16:00:00.000Z',
  expiresAt: '2029-01-04T16:00:00.000Z',
  underObjection: false,
  repaired: false,
  ...over,
});

describe('listings in the file', () => {
  it('places an active entry in public view, a repaired one in the archive as 已修复', () => {
    expect(placeListing(listing())).toMatchObject({ status: 'public', inPublicView: true });
    expect(placeListing(listing({ status: 'closed', closeReason: 'removed', repaired: true }))).toMatchObject({
      status: 'repaired',
      statusLabel: '已修复',
    });
    expect(placeListing(listing({ status: 'closed', closeReason: 'removed' })).statusLabel).toBe('已移出');
    expect(placeListing(listing({ underObjection: true })).statusLabel).toBe('公示中 · 异议处理中');
  });

  it('shows a listing just made, before its workflow planned the notice, by the dates of its request', () => {
    const justMade = listing({ status: 'notice', effectiveAt: undefined, expiresAt: undefined });
    expect(listingItem(justMade)).toMatchObject({
      status: 'notice',
      date: '2026-01-05',
      details: '虚开发票；有效期至 2029-01-04',
    });
  });
});

describe('report content', () => {
  const items = (today: string) => [
    recordItem(
      { recordId: 'CR1', version: 1, departmentName: '税务局', record: penalty() },
      placeRecord(penalty(), none, today),
    ),
    listingItem(listing()),
  ];

  it('gives every 565号 domain its records or the no-record statement', () => {
    const c = buildReportContent(
      'special',
      subject as never,
      { from: '2025-01-01', to: '2026-12-01' },
      items('2026-12-01'),
    );
    expect(c.sections.map((s) => [s.label, s.rows.length, s.statement ?? ''])).toEqual([
      ['行政处罚（含简易程序处罚）', 1, ''],
      ['行政强制', 0, '查询期间内，未发现该主体在“行政强制”领域的违法违规记录。'],
      ['严重失信主体名单', 1, ''],
      ['刑事裁判', 0, '查询期间内，未发现该主体在“刑事裁判”领域的违法违规记录。'],
    ]);
  });

  it('leaves out what lies outside the period', () => {
    const c = buildReportContent(
      'special',
      subject as never,
      { from: '2026-02-01', to: '2026-12-01' },
      items('2026-12-01'),
    );
    expect(c.sections[0].rows).toEqual([]);
  });

  it('changes its digest when a record leaves publicity', () => {
    const period = { from: '2025-01-01', to: '2026-12-01' };
    const at = (today: string) => contentDigest(buildReportContent('special', subject as never, period, items(today)));
    expect(at('2026-12-01')).toBe(at('2027-01-10'));
    expect(at('2026-12-01')).not.toBe(at('2027-01-11'));
  });
});

describe('report period', () => {
  it('defaults to the last 3 years and allows at most 5', () => {
    expect(reportPeriod({}, '2026-12-01')).toEqual({ ok: true, from: '2023-12-01', to: '2026-12-01' });
    expect(reportPeriod({ from: '2021-12-01' }, '2026-12-01')).toMatchObject({ ok: true });
    expect(reportPeriod({ from: '2021-11-30' }, '2026-12-01')).toEqual({
      ok: false,
      field: 'from',
      message: '查询期间最长5年：起始日期不得早于 2021-12-01',
    });
    expect(reportPeriod({ to: '2026-12-02' }, '2026-12-01')).toMatchObject({ ok: false, field: 'to' });
    expect(reportPeriod({ from: '2026-06-01', to: '2026-05-01' }, '2026-12-01')).toMatchObject({
      ok: false,
      field: 'from',
    });
  });
});

describe('report number', () => {
  it('carries the issue date and 80 random bits in unambiguous characters', () => {
    const n = reportNumber('2026-12-01', Buffer.from('00112233445566778899', 'hex'));
    expect(n).toBe('XL20261201-008J-4CT4-ANK7-F24S');
    expect(REPORT_NO.test(n)).toBe(true);
    expect(reportNumber('2026-12-01', Buffer.alloc(10, 0xff))).toBe('XL20261201-ZZZZ-ZZZZ-ZZZZ-ZZZZ');
  });
});
