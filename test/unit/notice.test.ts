/** The notices' text (domain/notice.ts): dates by the calendar, the parts the law asks for, numbers, digests. */
import { WorkingCalendar } from '../../domain/calendar';
import type { ListingRequest } from '../../domain/listing';
import {
  NOTICE_NO,
  noticeDates,
  noticeDigest,
  noticeNumber,
  priorNotice,
  repairNotice,
  repairNoticeApplies,
  type NoticeFacts,
} from '../../domain/notice';
import { renderPdf } from '../../infra/pdf';
import { noticeDocument } from '../../api/services/notice-document';
import { noticeHtml } from '../../api/views/notice-html';
import { ARRANGEMENT_2027 } from '../support/arrangements';
import { pdfText } from '../support/pdf-tools';

const request: ListingRequest = {
  subject: { type: 'enterprise', uscc: '914403001922038216', name: '示例科技有限公司' },
  listKind: 'black',
  category: 'major_tax_violation',
  severity: 'serious',
  authority: '国家税务总局沧州市税务局',
  legalBasis: [{ document: '重大税收违法失信主体信息公布管理办法（国家税务总局令第54号）', article: '第六条' }],
  decisionDocument: { number: '沧税稽罚〔2026〕12号', date: '2026-12-20' },
  reason: '虚开增值税专用发票，情节严重',
  noticeServedOn: '2026-12-28',
  effectiveDate: '2026-12-28',
  validUntil: '2029-12-27',
};

const facts = (cal: WorkingCalendar, r: ListingRequest = request): NoticeFacts => ({
  entryId: 'E0123456789abcdef0123',
  request: r,
  servedOn: r.noticeServedOn!,
  ...noticeDates(r.noticeServedOn!, r.effectiveDate, cal),
  measures: [
    { departmentName: '沧州市财政局', title: '限制参与政府采购活动', basis: '政府采购法第二十二条' },
    { departmentName: '沧州市自然资源局', title: '限制取得政府供应土地', basis: '国发〔2016〕33号' },
  ],
  issuer: '沧州市社会信用体系建设领导小组办公室',
});

describe('the notice window by the calendar', () => {
  it('counts weekends only in a year without an arrangement, and says the deadline is provisional', () => {
    const d = noticeDates('2026-12-28', '2026-12-28', WorkingCalendar.of());
    // Tue 29, Wed 30, Thu 31 Dec, Fri 1 Jan, Mon 4 Jan
    expect(d).toEqual({
      noticeWindowWorkingDays: 5,
      objectionDeadline: '2027-01-04',
      plannedEffectiveDate: '2027-01-05',
      calendarCovered: false,
    });
    expect(priorNotice(facts(WorkingCalendar.of()), 'GZ20261228-AAAA-BBBB').sections[3].paragraphs[0]).toContain(
      '暂按周末计算',
    );
  });

  it("follows the office's arrangement: New Year's Day off moves the deadline a day later", () => {
    const cal = WorkingCalendar.of([{ year: 2027, version: 1, arrangement: ARRANGEMENT_2027 }]);
    expect(noticeDates('2026-12-28', '2026-12-28', cal)).toEqual({
      noticeWindowWorkingDays: 5,
      objectionDeadline: '2027-01-05',
      plannedEffectiveDate: '2027-01-06',
      calendarCovered: true,
    });
  });

  it('keeps a requested effective date later than the window', () => {
    expect(noticeDates('2026-12-01', '2027-03-01', WorkingCalendar.of()).plannedEffectiveDate).toBe('2027-03-01');
  });
});

describe('the prior notice (事前告知书)', () => {
  const cal = WorkingCalendar.of([{ year: 2027, version: 1, arrangement: ARRANGEMENT_2027 }]);
  const n = priorNotice(facts(cal), 'GZ20261228-AAAA-BBBB');
  const text = [n.title, n.addressee, ...n.sections.flatMap((s) => [s.heading, ...s.paragraphs])].join('\n');

  it('states the facts, the basis, the measures, the right to object, how and until when', () => {
    expect(n.title).toBe('黑名单列入事前告知书');
    expect(n.addressee).toBe('示例科技有限公司（统一社会信用代码：914403001922038216）：');
    expect(n.sections.map((s) => s.heading)).toEqual([
      '一、认定的事实',
      '二、列入依据',
      '三、将采取的失信惩戒措施',
      '四、陈述、申辩和异议的权利',
      '五、信用修复',
    ]);
    expect(text).toContain('虚开增值税专用发票，情节严重');
    expect(text).toContain('《重大税收违法失信主体信息公布管理办法（国家税务总局令第54号）》第六条');
    expect(n.sections[2].table).toEqual({
      columns: ['序号', '实施部门', '措施', '依据'],
      rows: [
        ['1', '沧州市财政局', '限制参与政府采购活动', '政府采购法第二十二条'],
        ['2', '沧州市自然资源局', '限制取得政府供应土地', '国发〔2016〕33号'],
      ],
    });
    expect(n.sections[3].paragraphs[0]).toBe(
      '你单位对上述事实、依据或拟采取的措施有异议的，有权在本告知书送达之日起5个工作日内，' +
        '即2027年1月5日24时前提出异议、进行陈述和申辩。',
    );
    expect(n.sections[3].paragraphs[1]).toContain('“我的信用记录”');
    expect(n.dates).toEqual({
      servedOn: '2026-12-28',
      objectionDeadline: '2027-01-05',
      plannedEffectiveDate: '2027-01-06',
    });
  });

  it('a red-list entry gets no repair notice; neither does a court-listed judgment debtor', () => {
    expect(repairNoticeApplies(request)).toBe(true);
    expect(repairNoticeApplies({ ...request, listKind: 'red', category: 'tax_a_level', severity: undefined })).toBe(
      false,
    );
    expect(repairNoticeApplies({ ...request, category: 'dishonest_judgment_debtor' })).toBe(false);
    const red = priorNotice(
      facts(cal, { ...request, listKind: 'red', category: 'tax_a_level', severity: undefined }),
      'GZ20261228-AAAA-BBBB',
    );
    expect(red.title).toBe('红名单列入事前告知书');
    expect(red.sections.map((s) => s.heading)).not.toContain('五、信用修复');
  });
});

describe('the credit-repair notice (信用修复告知书)', () => {
  const cal = WorkingCalendar.of([{ year: 2027, version: 1, arrangement: ARRANGEMENT_2027 }]);
  const n = repairNotice(facts(cal), 'XF20261228-AAAA-BBBB');

  it('states the conditions, the earliest date, the materials and that repair is free', () => {
    expect(n.sections.map((s) => s.heading)).toEqual([
      '一、修复条件',
      '二、最早可申请修复的日期',
      '三、申请材料',
      '四、申请方式与办理时限',
      '五、修复免费',
    ]);
    expect(n.sections[0].paragraphs[1]).toContain('已满最短公示期12个月');
    // a serious entry: one year of publicity from taking effect (6 Jan 2027)
    expect(n.dates.earliestRepairDate).toBe('2028-01-06');
    expect(n.sections[1].paragraphs[0]).toContain('最早可于2028年1月6日起申请信用修复');
    expect(n.sections[2].paragraphs).toEqual([
      '（一）履行法定义务、纠正失信行为的证明材料（相关部门可通过系统直接核验的，无需重复提供）；',
      '（二）信用承诺书。',
      '不要求提供其他材料。',
    ]);
    expect(n.sections[4].paragraphs[0]).toContain('不收取任何费用');
  });

  it('a general entry may be repaired after three months', () => {
    const general = repairNotice(facts(cal, { ...request, severity: 'general', validUntil: '2027-12-27' }), 'XF1');
    expect(general.dates.earliestRepairDate).toBe('2027-04-06');
  });
});

describe('numbers and digests', () => {
  it('a number names the kind and the serving date, and is not guessable', () => {
    const no = noticeNumber('prior', '2026-12-28', Buffer.from([0xff, 0, 0x12, 0x34, 0x56]));
    // 11111 11100 00000 00001 00100 01101 00010 10110
    expect(no).toBe('GZ20261228-ZW01-4D2P');
    expect(NOTICE_NO.test(no)).toBe(true);
    expect(noticeNumber('repair', '2026-12-28', Buffer.alloc(5)).startsWith('XF20261228-')).toBe(true);
  });

  it('the digest follows the content', () => {
    const cal = WorkingCalendar.of();
    const a = priorNotice(facts(cal), 'GZ20261228-AAAA-BBBB');
    expect(noticeDigest(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(noticeDigest({ ...a })).toBe(noticeDigest(a));
    expect(noticeDigest({ ...a, noticeNo: 'GZ20261228-AAAA-BBBC' })).not.toBe(noticeDigest(a));
  });
});

describe('the notice rendered', () => {
  const cal = WorkingCalendar.of([{ year: 2027, version: 1, arrangement: ARRANGEMENT_2027 }]);

  it('the PDF reads back with the subject, the objection deadline and the repair conditions', async () => {
    const prior = await pdfText(await renderPdf(noticeDocument(priorNotice(facts(cal), 'GZ20261228-AAAA-BBBB'))));
    const flat = prior.replace(/\s+/g, '');
    expect(flat).toContain('示例科技有限公司');
    expect(flat).toContain('即2027年1月5日24时前提出异议');
    expect(flat).toContain('告知书编号GZ20261228-AAAA-BBBB');
    const repair = await pdfText(await renderPdf(noticeDocument(repairNotice(facts(cal), 'XF20261228-AAAA-BBBB'))));
    const r = repair.replace(/\s+/g, '');
    expect(r).toContain('示例科技有限公司');
    expect(r).toContain('已纠正失信行为，履行完毕法定义务');
    expect(r).toContain('作出信用承诺');
    expect(r).toContain('不收取任何费用');
  }, 30_000);

  it('the HTML escapes what it shows', () => {
    const n = priorNotice(facts(cal, { ...request, reason: '<b>虚开</b>发票 & 其他' }), 'GZ20261228-AAAA-BBBB');
    const html = noticeHtml(n, 'ab'.repeat(32));
    expect(html).toContain('&lt;b&gt;虚开&lt;/b&gt;发票 &amp; 其他');
    expect(html).not.toContain('<b>');
    expect(html).toContain('<h1>黑名单列入事前告知书</h1>');
  });
});
