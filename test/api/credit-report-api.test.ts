/**
 * Credit records and credit reports over HTTP on real servers: the acceptance scenario (a department
 * posts records → the subject requests a 专项信用报告 → the PDF text holds the subject, each domain and
 * the number → public verification is valid with the digest of exactly those bytes → after the office
 * removes a listing in it, verification says changed), then delivery, access and refusal rules.
 */
import { createHash } from 'node:crypto';
import { ListingModel } from '../../db/models';
import { CreditReportModel } from '../../db/credit-reports';
import { AuthorisationModel } from '../../db/authorisations';
import { eventually } from '../support/eventually';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { daysFromToday, listingBody } from '../support/fixtures';
import { pdfFonts, pdfText } from '../support/pdf-tools';
import { allPages } from '../support/paging';
import { benchUscc } from '../../bench/subjects';

const USCC = '914403001922038216';
const NAME = '示例科技有限公司';
const subject = { type: 'enterprise', uscc: USCC, name: NAME };

let stack: ApiStack;
let office: string;
let tax: string;
let market: string;
let me: string;
let other: string;
let auditor: string;

const penalty = (over: Record<string, unknown> = {}) => ({
  recordClass: 'administrative_penalty',
  sourceRecordId: 'TAX-PEN-0001',
  subject,
  decisionDocument: { number: '沧税罚〔2026〕101号', date: daysFromToday(-40) },
  title: '未按规定期限办理纳税申报',
  severity: 'general',
  penalty: '罚款人民币二千元',
  legalBasis: '《中华人民共和国税收征收管理法》第六十二条',
  ...over,
});

const license = (over: Record<string, unknown> = {}) => ({
  recordClass: 'administrative_license',
  sourceRecordId: 'MKT-LIC-0001',
  subject,
  decisionDocument: { number: '沧市监许〔2026〕7号', date: daysFromToday(-100) },
  title: '食品经营许可',
  validFrom: daysFromToday(-100),
  validUntil: daysFromToday(1000),
  ...over,
});

async function getPdf(reportNo: string, token: string): Promise<{ status: number; bytes: Buffer; type: string }> {
  const res = await fetch(`${stack.base}/api/v1/reports/${reportNo}.pdf`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return {
    status: res.status,
    bytes: Buffer.from(await res.arrayBuffer()),
    type: res.headers.get('content-type') ?? '',
  };
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  stack = await startApiStack('reports');
  office = await stack.token({ sub: 'o1', name: '信用办张科长', role: 'office' });
  tax = await stack.token({ sub: 't1', name: '税务局李四', role: 'department', departmentId: 'tax' });
  market = await stack.token({
    sub: 'm1',
    name: '市场监管局赵六',
    role: 'department',
    departmentId: 'market-regulation',
  });
  me = await stack.token({ sub: 's1', name: NAME, role: 'subject', subjectId: USCC });
  other = await stack.token({ sub: 's2', name: '别的公司', role: 'subject', subjectId: '9144030071526726XG' });
  auditor = await stack.token({ sub: 'u1', name: '审计员', role: 'auditor' });
});
afterAll(() => stack.stop());

// One story, in order: each step needs the one before it, so it is one test (tests may run in any order).
it('the acceptance scenario: records and a listing, a 专项信用报告, verification valid, then changed', async () => {
  // departments deliver records; the office lists the subject
  const p = await stack.call('POST', '/api/v1/departments/me/credit-records', { token: tax, body: penalty() });
  expect(p.status).toBe(201);
  expect(p.body).toMatchObject({ sourceRecordId: 'TAX-PEN-0001', version: 1, result: 'created' });
  const l = await stack.call('POST', '/api/v1/departments/me/credit-records', { token: market, body: license() });
  expect(l.status).toBe(201);

  const listed = await stack.call('POST', '/api/v1/office/listings', {
    token: office,
    body: listingBody({ subject }),
  });
  expect(listed.status).toBe(201);
  const entryId: string = listed.body.entryId;
  await eventually(async () => expect((await ListingModel.findById(entryId).lean())?.status).toBe('active'), 30_000);

  // the subject asks for a 专项信用报告: its PDF text holds the subject, every domain and the number
  const r = await stack.call('POST', '/api/v1/subjects/me/reports', { token: me, body: { kind: 'special' } });
  expect(r.status).toBe(201);
  const reportNo: string = r.body.reportNo;
  expect(reportNo).toMatch(/^XL\d{8}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);
  expect(r.body).toMatchObject({
    kind: 'special',
    subjectId: USCC,
    subjectName: NAME,
    period: { to: daysFromToday(0) },
  });
  expect(r.body.period.from).toBe(`${Number(daysFromToday(0).slice(0, 4)) - 3}${daysFromToday(0).slice(4)}`);

  const pdf = await getPdf(reportNo, me);
  expect(pdf.status).toBe(200);
  expect(pdf.type).toBe('application/pdf');
  const bytes = pdf.bytes;
  const text = await pdfText(bytes);
  for (const s of [
    '专项信用报告（无违法违规记录证明版）',
    NAME,
    USCC,
    reportNo,
    '行政处罚（含简易程序处罚）',
    '沧税罚〔2026〕101号',
    '行政强制',
    '查询期间内，未发现该主体在“行政强制”领域的违法违规记录。',
    '严重失信主体名单',
    '重大税收违法失信主体',
    '刑事裁判',
    '查询期间内，未发现该主体在“刑事裁判”领域的违法违规记录。',
  ]) {
    expect(text.replace(/\n/g, '')).toContain(s);
  }
  // a licence is not in the special report's domains
  expect(text).not.toContain('沧市监许〔2026〕7号');
  const fonts = await pdfFonts(bytes);
  expect(fonts.every((f) => f.embedded && f.subset && f.unicode)).toBe(true);

  // public verification: valid, with the digest of exactly those bytes
  const v = await stack.call('GET', `/api/v1/public/reports/${reportNo}`);
  expect(v.status).toBe(200);
  expect(v.body).toMatchObject({ reportNo, status: 'valid', subjectName: NAME, sha256: sha256(bytes) });
  expect(Object.keys(v.body).sort()).toEqual(
    ['issuedAt', 'kind', 'kindLabel', 'period', 'reportNo', 'sha256', 'status', 'statusLabel', 'subjectName'].sort(),
  );
  const page = await fetch(`${stack.base}/verify/${reportNo}`);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('状态：<strong>有效</strong>');
  expect(html).toContain(sha256(bytes));

  // the office removes the listing the report holds: verification says changed
  const removed = await stack.call('POST', `/api/v1/office/listings/${entryId}/removal`, {
    token: office,
    body: { reason: '异议成立，移出名单' },
  });
  expect(removed.status).toBe(200);
  const after = await stack.call('GET', `/api/v1/public/reports/${reportNo}`);
  expect(after.body).toMatchObject({ status: 'changed', sha256: sha256(bytes) });
  // the stored PDF did not change
  expect(sha256((await getPdf(reportNo, office)).bytes)).toBe(sha256(bytes));
});

describe('record delivery', () => {
  it('changes nothing on a repeated delivery and versions a correction', async () => {
    const own = {
      sourceRecordId: 'TAX-REPEAT',
      decisionDocument: { number: '沧税罚〔2026〕R1号', date: daysFromToday(-5) },
    };
    const first = await stack.call('POST', '/api/v1/departments/me/credit-records', { token: tax, body: penalty(own) });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ version: 1, result: 'created' });
    const again = await stack.call('POST', '/api/v1/departments/me/credit-records', { token: tax, body: penalty(own) });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ recordId: first.body.recordId, version: 1, result: 'unchanged' });
    const corrected = await stack.call('POST', '/api/v1/departments/me/credit-records', {
      token: tax,
      body: penalty({ ...own, penalty: '罚款人民币一千元' }),
    });
    expect(corrected.body).toMatchObject({ version: 2, result: 'corrected' });
    const versions = await stack.call('GET', `/api/v1/office/credit-records/${corrected.body.recordId}/versions`, {
      token: auditor,
    });
    expect(versions.body.map((v: { action: string }) => v.action)).toEqual(['create', 'correct']);
    expect(versions.body[0].record.penalty).toBe('罚款人民币二千元');
    expect(versions.body[1].record.penalty).toBe('罚款人民币一千元');
  });

  it('takes a batch whole or refuses it whole, naming the index and field', async () => {
    const records = Array.from({ length: 5 }, (_, i) =>
      penalty({
        sourceRecordId: `TAX-BATCH-${i}`,
        decisionDocument: { number: `沧税罚〔2026〕BT${i}号`, date: daysFromToday(-10) },
      }),
    );
    records[3] = { ...records[3], severity: 'catastrophic' };
    const bad = await stack.call('POST', '/api/v1/departments/me/credit-records/batch', {
      token: tax,
      body: { records },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('body.records[3].severity');
    const file = await stack.call('GET', '/api/v1/subjects/me/credit-file', { token: me });
    expect(JSON.stringify(file.body)).not.toContain('沧税罚〔2026〕BT0号');

    records[3] = { ...records[3], severity: 'general' };
    const ok = await stack.call('POST', '/api/v1/departments/me/credit-records/batch', {
      token: tax,
      body: { records },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ received: 5, created: 5, corrected: 0, unchanged: 0 });
    const twice = await stack.call('POST', '/api/v1/departments/me/credit-records/batch', {
      token: tax,
      body: { records },
    });
    expect(twice.body).toMatchObject({ received: 5, created: 0, unchanged: 5 });
  });

  // 400: the request does not match the published schema; 422: it does, but breaks a rule the schema
  // cannot express (check characters, dates in order, the rules table) — the API-wide contract (README)
  it.each([
    ['an unknown class', { recordClass: 'gossip' }, 'body.recordClass', 400],
    [
      'a USCC failing its check character',
      { subject: { ...subject, uscc: '914403001922038217' } },
      'body.subject.uscc',
      422,
    ],
    ['dates out of order', { validFrom: daysFromToday(-10), validUntil: daysFromToday(-20) }, 'body.validUntil', 422],
    ['a publicity period beyond the rules', { publicityUntil: daysFromToday(400) }, 'body.publicityUntil', 422],
    ['a simple-procedure penalty that is not minor', { simpleProcedure: true }, 'body.severity', 422],
  ])('refuses %s with a 4xx naming the field, storing nothing', async (_what, over, field, status) => {
    const r = await stack.call('POST', '/api/v1/departments/me/credit-records', {
      token: tax,
      body: penalty({ sourceRecordId: 'TAX-BAD', ...over }),
    });
    expect(r.status).toBe(status);
    expect(r.body.error.message).toContain(field);
    const file = await stack.call('GET', `/api/v1/office/credit-files/${USCC}`, { token: office });
    expect(JSON.stringify(file.body)).not.toContain('TAX-BAD');
  });

  it('withdraws as a new version: out of the file, kept in the versions', async () => {
    const delivered = await stack.call('POST', '/api/v1/departments/me/credit-records', {
      token: tax,
      body: penalty({
        sourceRecordId: 'TAX-B-0',
        decisionDocument: { number: '沧税罚〔2026〕B0号', date: daysFromToday(-10) },
      }),
    });
    expect(delivered.status).toBe(201);
    const w = await stack.call('POST', '/api/v1/departments/me/credit-records/withdrawal', {
      token: tax,
      body: { sourceRecordId: 'TAX-B-0', reason: '录入错误' },
    });
    expect(w.body).toMatchObject({ result: 'withdrawn', version: 2 });
    const mine = await stack.call('GET', '/api/v1/subjects/me/credit-file', { token: me });
    expect(JSON.stringify(mine.body)).not.toContain('沧税罚〔2026〕B0号');
    const officeView = await stack.call('GET', `/api/v1/office/credit-files/${USCC}`, { token: office });
    const item = officeView.body.archive.find(
      (i: { documentNumber: string }) => i.documentNumber === '沧税罚〔2026〕B0号',
    );
    expect(item).toMatchObject({ status: 'withdrawn', statusLabel: '已撤回' });
    // another department cannot withdraw it: the record id is the department's own
    const foreign = await stack.call('POST', '/api/v1/departments/me/credit-records/withdrawal', {
      token: market,
      body: { sourceRecordId: 'TAX-B-0', reason: '不是我的' },
    });
    expect(foreign.status).toBe(404);
  });

  it('moves repaired and past-publicity records to the archive, marked', async () => {
    const deliveries = [
      penalty({
        sourceRecordId: 'TAX-B-1',
        decisionDocument: { number: '沧税罚〔2026〕B1号', date: daysFromToday(-10) },
        repairedOn: daysFromToday(0),
      }),
      penalty({
        sourceRecordId: 'TAX-OLD',
        decisionDocument: { number: '沧税罚〔2025〕9号', date: daysFromToday(-200) },
        publicityUntil: daysFromToday(-20),
      }),
      penalty({
        sourceRecordId: 'TAX-B-2',
        decisionDocument: { number: '沧税罚〔2026〕B2号', date: daysFromToday(-10) },
      }),
    ];
    for (const body of deliveries)
      expect((await stack.call('POST', '/api/v1/departments/me/credit-records', { token: tax, body })).status).toBe(
        201,
      );
    const f = await stack.call('GET', '/api/v1/subjects/me/credit-file', { token: me });
    const find = (n: string) =>
      [...f.body.public, ...f.body.archive].find((i: { documentNumber: string }) => i.documentNumber === n);
    expect(find('沧税罚〔2026〕B1号')).toMatchObject({
      status: 'repaired',
      statusLabel: '已修复',
      inPublicView: false,
    });
    expect(find('沧税罚〔2025〕9号')).toMatchObject({
      status: 'expired',
      statusLabel: '公示期满',
      inSpecialReport: false,
    });
    expect(find('沧税罚〔2026〕B2号')).toMatchObject({ status: 'public', inPublicView: true });
  });
});

describe('report access and the office', () => {
  let reportNo: string;
  beforeAll(async () => {
    const r = await stack.call('POST', '/api/v1/subjects/me/reports', {
      token: me,
      body: { kind: 'public', from: daysFromToday(-365), purpose: '参加政府采购投标' },
    });
    reportNo = r.body.reportNo;
  });

  it('serves the PDF to the subject, office and auditor, and to nobody else', async () => {
    expect((await getPdf(reportNo, me)).status).toBe(200);
    expect((await getPdf(reportNo, office)).status).toBe(200);
    expect((await getPdf(reportNo, auditor)).status).toBe(200);
    expect((await getPdf(reportNo, other)).status).toBe(404);
    expect((await getPdf(reportNo, tax)).status).toBe(404);
  });

  it('refuses a malformed date naming its field, with the other date far back (400, not 500)', async () => {
    const r = await stack.call('POST', '/api/v1/subjects/me/reports', {
      token: me,
      body: { kind: 'public', from: '0135-09-24', to: '1764-02-08*' },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: { field: string }) => d.field)).toContain('body.to');
  });

  it('refuses a period over 5 years or in the future', async () => {
    const long = await stack.call('POST', '/api/v1/subjects/me/reports', {
      token: me,
      body: { kind: 'special', from: daysFromToday(-6 * 366) },
    });
    expect(long.status).toBe(422);
    expect(long.body.error.message).toContain('body.from');
    const future = await stack.call('POST', '/api/v1/subjects/me/reports', {
      token: me,
      body: { kind: 'special', to: daysFromToday(3) },
    });
    expect(future.status).toBe(422);
    expect(future.body.error.message).toContain('body.to');
  });

  it('answers 404 for a number never issued', async () => {
    expect((await stack.call('GET', '/api/v1/public/reports/XL20260101-AAAA-BBBB-CCCC-DDDD')).status).toBe(404);
    expect((await stack.call('GET', '/api/v1/public/reports/nonsense')).status).toBe(404);
    expect((await fetch(`${stack.base}/verify/XL20260101-AAAA-BBBB-CCCC-DDDD`)).status).toBe(404);
  });

  it('lets the office withdraw a report with a reason, once', async () => {
    const issued = await stack.call('POST', '/api/v1/subjects/me/reports', { token: me, body: { kind: 'public' } });
    expect(issued.status).toBe(201);
    const reportNo: string = issued.body.reportNo;
    expect((await stack.call('GET', `/api/v1/public/reports/${reportNo}`)).body.status).toBe('valid');
    const w = await stack.call('POST', `/api/v1/office/reports/${reportNo}/withdrawal`, {
      token: office,
      body: { reason: '误出具' },
    });
    expect(w.status).toBe(200);
    expect(w.body.withdrawal).toMatchObject({ by: '信用办张科长', reason: '误出具' });
    expect((await stack.call('GET', `/api/v1/public/reports/${reportNo}`)).body.status).toBe('withdrawn');
    const twice = await stack.call('POST', `/api/v1/office/reports/${reportNo}/withdrawal`, {
      token: office,
      body: { reason: '再次' },
    });
    expect(twice.status).toBe(409);
  });

  it('shows the subject who requested reports on it and why, and audits every issue', async () => {
    const list = await stack.call('GET', '/api/v1/subjects/me/reports', { token: me });
    const mine = list.body.items.find((r: { reportNo: string }) => r.reportNo === reportNo);
    expect(mine.requester).toEqual({ name: NAME, role: 'subject', purpose: '参加政府采购投标' });
    const audit = await allPages<{ action: string; target: { id: string } }>(stack, '/api/v1/audit/log', auditor);
    const issued = await CreditReportModel.find({}, { _id: 1 }).lean();
    const audited = audit
      .filter((e: { action: string }) => e.action === 'credit_report.issue')
      .map((e: { target: { id: string } }) => e.target.id);
    expect(audited.sort()).toEqual(issued.map((r) => r._id).sort());
  });
});

describe('department reports', () => {
  it('refuses a subject the department has not checked, then issues after the 逢办必查 check', async () => {
    const body = { kind: 'special', subjectId: '9144030071526726XG', purpose: '资质审核' };
    const refused = await stack.call('POST', '/api/v1/departments/me/reports', { token: market, body });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('逢办必查');
    const check = await stack.call('POST', '/api/v1/departments/me/checks', {
      token: market,
      body: { subjectId: '9144030071526726XG', matter: 'qualification_review' },
    });
    expect(check.status).toBe(200);
    const issued = await stack.call('POST', '/api/v1/departments/me/reports', { token: market, body });
    expect(issued.status).toBe(201);
    expect((await getPdf(issued.body.reportNo, market)).status).toBe(200);
    expect((await getPdf(issued.body.reportNo, tax)).status).toBe(404);
  });

  it('issues a batch for every bidder of one tender, or none when one is not checked', async () => {
    const finance = await stack.token({ sub: 'f1', name: '财政局王五', role: 'department', departmentId: 'finance' });
    const bidders = [USCC, '9144030071526726XG'];
    const body = { kind: 'special', subjectIds: bidders, purpose: '沧州市某工程招标投标人资格审查' };
    const check = (subjectId: string) =>
      stack.call('POST', '/api/v1/departments/me/checks', {
        token: finance,
        body: { subjectId, matter: 'government_procurement' },
      });
    await check(bidders[1]);
    const none = await stack.call('POST', '/api/v1/departments/me/reports/batch', { token: finance, body });
    expect(none.status).toBe(403);
    expect(await CreditReportModel.countDocuments({ 'requester.departmentId': 'finance' })).toBe(0);
    await check(bidders[0]);
    const batch = await stack.call('POST', '/api/v1/departments/me/reports/batch', { token: finance, body });
    expect(batch.status).toBe(201);
    expect(batch.body.reports.map((r: { subjectId: string }) => r.subjectId)).toEqual(bidders);
    const listed = await stack.call('GET', `/api/v1/departments/me/reports?batchId=${batch.body.batchId}`, {
      token: finance,
    });
    expect(listed.body.items.map((r: { batchId: string }) => r.batchId)).toEqual([
      batch.body.batchId,
      batch.body.batchId,
    ]);
  });
});

describe('third-party authorisations', () => {
  // each test has its own bank, so that no test sees the authorisations another one granted
  const bankOf = async (n: number) => {
    const uscc = benchUscc(9000 + n);
    const token = await stack.token({ sub: `b${n}`, name: '沧州示例银行', role: 'third_party', subjectId: uscc });
    const ask = (kind = 'special') =>
      stack.call('POST', '/api/v1/third-party/reports', { token, body: { kind, subjectId: USCC } });
    const grant = (over: Record<string, unknown> = {}) =>
      stack.call('POST', '/api/v1/subjects/me/authorisations', {
        token: me,
        body: {
          grantee: { uscc, name: '沧州示例银行股份有限公司' },
          purpose: '办理流动资金贷款审批',
          validUntil: daysFromToday(30),
          ...over,
        },
      });
    return { uscc, token, ask, grant };
  };

  it('refuses a third party without an authorisation, explaining why', async () => {
    const { ask } = await bankOf(1);
    const r = await ask();
    expect(r.status).toBe(403);
    expect(r.body.error.message).toContain('该主体未授权本单位查询其信用报告');
  });

  it('issues while the authorisation is valid, for its kinds only, and shows the subject who asked', async () => {
    const { token: bank, ask, grant } = await bankOf(2);
    const g = await grant({ kinds: ['special'] });
    expect(g.status).toBe(201);
    expect(g.body).toMatchObject({ active: true, validFrom: daysFromToday(0), kinds: ['special'] });
    const r = await ask();
    expect(r.status).toBe(201);
    expect((await getPdf(r.body.reportNo, bank)).status).toBe(200);
    expect((await ask('public')).status).toBe(403);
    const seen = await stack.call('GET', '/api/v1/subjects/me/reports', { token: me });
    expect(seen.body.items.find((x: { reportNo: string }) => x.reportNo === r.body.reportNo).requester).toEqual({
      name: '沧州示例银行',
      role: 'third_party',
      purpose: '办理流动资金贷款审批',
    });
  });

  it('stops at once on revocation', async () => {
    const { token: bank, ask, grant } = await bankOf(3);
    expect((await grant()).status).toBe(201);
    expect((await ask()).status).toBe(201);
    const list = await stack.call('GET', '/api/v1/third-party/authorisations', { token: bank });
    expect(list.body.items).toHaveLength(1);
    const id = list.body.items[0].authorisationId;
    const rev = await stack.call('POST', `/api/v1/subjects/me/authorisations/${id}/revocation`, { token: me });
    expect(rev.status).toBe(200);
    expect(rev.body).toMatchObject({ active: false });
    const r = await ask();
    expect(r.status).toBe(403);
    expect(r.body.error.message).toContain('已撤销');
  });

  it('refuses an authorisation that has expired or has not begun', async () => {
    const { uscc: BANK, ask, grant } = await bankOf(4);
    await AuthorisationModel.collection.insertOne({
      _id: 'A00000000000000000001',
      authorisationId: 'A00000000000000000001',
      subjectId: USCC,
      subjectName: NAME,
      grantee: { uscc: BANK, name: '沧州示例银行股份有限公司' },
      purpose: '旧授权',
      validFrom: daysFromToday(-60),
      validUntil: daysFromToday(-1),
      kinds: ['special', 'public'],
      grantedAt: new Date(Date.now() - 60 * 86400_000).toISOString(),
      grantedBy: NAME,
    } as never);
    const expired = await ask();
    expect(expired.status).toBe(403);
    expect(expired.body.error.message).toContain('已过期、尚未生效');
    await grant({ validFrom: daysFromToday(2), validUntil: daysFromToday(10) });
    expect((await ask()).status).toBe(403);
  });

  it('refuses a grant longer than a year or ending before it starts, naming the field', async () => {
    const { grant } = await bankOf(5);
    const long = await grant({ validUntil: daysFromToday(400) });
    expect(long.status).toBe(422);
    expect(long.body.error.message).toContain('body.validUntil');
    const reversed = await grant({ validFrom: daysFromToday(5), validUntil: daysFromToday(4) });
    expect(reversed.status).toBe(422);
  });
});
