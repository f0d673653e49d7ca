/**
 * Notices over HTTP on real servers: a listing's notices are stored when it is made, the serving date it
 * records is that of the stored documents, the subject sees and downloads its own (PDF text read back),
 * the office prints them (HTML) and fetches their content; refusals and the generation for a listing
 * made before notices existed.
 */
import { createHash } from 'node:crypto';
import { cstDate } from '../../domain/calendar';
import { cnDate, noticeDigest } from '../../domain/notice';
import { ListingModel } from '../../db/models';
import { NoticeSetModel } from '../../db/notices';
import { migrateOrganisations } from '../../db/organisations';
import { eventually } from '../support/eventually';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { daysFromToday, listingBody, today } from '../support/fixtures';
import { pdfText } from '../support/pdf-tools';

const USCC = '914403001922038216';
const NAME = '示例科技有限公司';
const subject = { type: 'enterprise', uscc: USCC, name: NAME };
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let stack: ApiStack;
const T: Record<string, string> = {};

async function get(path: string, token: string) {
  const res = await fetch(`${stack.base}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}

beforeAll(async () => {
  stack = await startApiStack('notices');
  T.office = await stack.token({ sub: 'o1', name: '信用办张科长', role: 'office' });
  T.auditor = await stack.token({ sub: 'u1', name: '审计员', role: 'auditor' });
  T.me = await stack.token({ sub: 's1', name: NAME, role: 'subject', subjectId: USCC });
  T.other = await stack.token({ sub: 's2', name: '别的公司', role: 'subject', subjectId: '9144030071526726XG' });
  T.tax = await stack.token({ sub: 't1', name: '税务局李四', role: 'department', departmentId: 'tax' });
});
afterAll(() => stack.stop());

describe('a listing served today', () => {
  let entryId: string;
  let serving: any; // eslint-disable-line @typescript-eslint/no-explicit-any

  it('stores, serves, fixes and reprints the notices of a listing served today', async () => {
    // stores both notices when the listing is made, and the listing records their serving date
    {
      const { noticeServedOn: _n, ...body } = listingBody({ subject, effectiveDate: today });
      const r = await stack.call('POST', '/api/v1/office/listings', { token: T.office, body });
      expect(r.status).toBe(201);
      entryId = r.body.entryId;
      expect(r.body.listing.request.noticeServedOn).toBe(today);

      const s = await stack.call('GET', `/api/v1/office/listings/${entryId}/notices`, { token: T.office });
      expect(s.status).toBe(200);
      serving = s.body;
      expect(serving).toMatchObject({ entryId, servedOn: today, generatedBy: '信用办张科长' });
      expect(serving.notices.map((n: { kind: string }) => n.kind)).toEqual(['prior', 'repair']);
      expect(serving.notices[0].noticeNo).toMatch(new RegExp(`^GZ${today.replaceAll('-', '')}-`));
      expect(serving.notices[1].noticeNo).toMatch(new RegExp(`^XF${today.replaceAll('-', '')}-`));
      expect(serving.notices[0].pdfSha256).toBeUndefined();
    }

    // the notice's objection deadline is the last day of the window the workflow planned
    {
      const listing = await eventually(async () => {
        const l = await ListingModel.findById(entryId).lean();
        expect(l?.noticeEndsAt).toBeDefined();
        return l!;
      }, 30_000);
      expect(listing.status).toBe('notice');
      const lastDay = cstDate(new Date(Date.parse(listing.noticeEndsAt) - 1));
      expect(serving.notices[0].objectionDeadline).toBe(lastDay);
      expect(serving.notices[0].objectionDeadline > today).toBe(true);
    }

    // the subject sees its notices; the PDF text holds the subject, the deadline and the conditions
    {
      const mine = await stack.call('GET', '/api/v1/subjects/me/notices', { token: T.me });
      expect(mine.status).toBe(200);
      expect(mine.body.map((n: { noticeNo: string }) => n.noticeNo)).toEqual(
        serving.notices.map((n: { noticeNo: string }) => n.noticeNo),
      );
      const others = await stack.call('GET', '/api/v1/subjects/me/notices', { token: T.other });
      expect(others.body.filter((n: { entryId: string }) => n.entryId === entryId)).toEqual([]);

      const [prior, repair] = serving.notices;
      const pdf = await get(`/subjects/me/notices/${prior.noticeNo}.pdf`, T.me);
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      const text = (await pdfText(pdf.bytes)).replace(/\s+/g, '');
      expect(text).toContain(NAME);
      expect(text).toContain(USCC);
      expect(text).toContain(`即${cnDate(prior.objectionDeadline)}24时前提出异议`);
      expect(text).toContain(prior.noticeNo);

      const rp = await get(`/subjects/me/notices/${repair.noticeNo}.pdf`, T.me);
      const rtext = (await pdfText(rp.bytes)).replace(/\s+/g, '');
      expect(rtext).toContain(NAME);
      expect(rtext).toContain('已纠正失信行为，履行完毕法定义务');
      expect(rtext).toContain(`最早可于${cnDate(repair.earliestRepairDate)}起申请信用修复`);
      expect(rtext).toContain('不收取任何费用');
    }

    // the PDF is fixed when first made: the office gets the same bytes, their digest recorded
    {
      const prior = serving.notices[0];
      const a = await get(`/subjects/me/notices/${prior.noticeNo}.pdf`, T.me);
      const b = await get(`/office/notices/${prior.noticeNo}.pdf`, T.office);
      expect(b.status).toBe(200);
      expect(b.bytes.equals(a.bytes)).toBe(true);
      const s = await stack.call('GET', `/api/v1/office/listings/${entryId}/notices`, { token: T.auditor });
      expect(s.body.notices[0].pdfSha256).toBe(sha256(a.bytes));
      expect(s.body.notices[0].sha256).toBe(prior.sha256);
    }

    // the office prints the HTML and reads the content the digest was made from
    {
      const prior = serving.notices[0];
      const h = await get(`/office/notices/${prior.noticeNo}.html`, T.office);
      expect(h.status).toBe(200);
      expect(h.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(h.headers.get('content-security-policy')).toMatch(
        /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'/,
      );
      const html = h.bytes.toString('utf8');
      expect(html).toContain('<h1>黑名单列入事前告知书</h1>');
      expect(html).toContain(`即${cnDate(prior.objectionDeadline)}24时前提出异议`);
      expect(html).toContain(prior.sha256);

      const d = await stack.call('GET', `/api/v1/office/notices/${prior.noticeNo}`, { token: T.auditor });
      expect(d.status).toBe(200);
      expect(d.body.content.noticeNo).toBe(prior.noticeNo);
      expect(noticeDigest(d.body.content)).toBe(prior.sha256);
    }

    // the same request again keeps the notices it has
    {
      const stored = await NoticeSetModel.findById(entryId).lean();
      const { noticeServedOn: _n, ...body } = listingBody({ subject, effectiveDate: today });
      // same decision number → same entry
      const again = await stack.call('POST', '/api/v1/office/listings', {
        token: T.office,
        body: { ...body, decisionDocument: stored!.facts.request.decisionDocument },
      });
      expect(again.status).toBe(200);
      expect((await NoticeSetModel.findById(entryId).lean())!.notices.map((n) => n.noticeNo)).toEqual(
        serving.notices.map((n: { noticeNo: string }) => n.noticeNo),
      );
    }
  });
});

describe('other listings', () => {
  it('a notice served with the decision ("两书同达") is recorded on that date', async () => {
    const served = daysFromToday(-30);
    const r = await stack.call('POST', '/api/v1/office/listings', { token: T.office, body: listingBody({ subject }) });
    expect(r.status).toBe(201);
    const s = await stack.call('GET', `/api/v1/office/listings/${r.body.entryId}/notices`, { token: T.office });
    expect(s.body.servedOn).toBe(served);
    expect(s.body.notices[0].servedOn).toBe(served);
    expect(s.body.notices[0].objectionDeadline < today).toBe(true);
  });

  it('a red-list entry gets a prior notice only', async () => {
    const r = await stack.call('POST', '/api/v1/office/listings', {
      token: T.office,
      body: listingBody({ subject, listKind: 'red', category: 'tax_a_level', severity: undefined }),
    });
    expect(r.status).toBe(201);
    const s = await stack.call('GET', `/api/v1/office/listings/${r.body.entryId}/notices`, { token: T.office });
    expect(s.body.notices.map((n: { kind: string; title: string }) => [n.kind, n.title])).toEqual([
      ['prior', '红名单列入事前告知书'],
    ]);
  });

  it('a listing made before notices existed gets them generated from its record, once, audited', async () => {
    const r = await stack.call('POST', '/api/v1/office/listings', { token: T.office, body: listingBody({ subject }) });
    const entryId = r.body.entryId;
    await eventually(async () => expect((await ListingModel.findById(entryId).lean())?.status).toBe('active'), 30_000);
    await NoticeSetModel.deleteOne({ _id: entryId }); // as a listing made before this feature
    const none = await stack.call('GET', `/api/v1/office/listings/${entryId}/notices`, { token: T.office });
    expect(none.status).toBe(404);
    expect(none.body.error.message).toContain(`POST /office/listings/${entryId}/notices`);

    const made = await stack.call('POST', `/api/v1/office/listings/${entryId}/notices`, { token: T.office });
    expect(made.status).toBe(201);
    expect(made.body.created).toBe(true);
    expect(made.body.serving.servedOn).toBe(daysFromToday(-30));
    const listing = await ListingModel.findById(entryId).lean();
    expect(made.body.serving.notices[0].objectionDeadline).toBe(
      cstDate(new Date(Date.parse(listing!.noticeEndsAt) - 1)),
    );
    const again = await stack.call('POST', `/api/v1/office/listings/${entryId}/notices`, { token: T.office });
    expect(again.status).toBe(200);
    expect(again.body.serving.notices.map((n: { noticeNo: string }) => n.noticeNo)).toEqual(
      made.body.serving.notices.map((n: { noticeNo: string }) => n.noticeNo),
    );
    const audit = await stack.call('GET', `/api/v1/audit/log?targetId=${entryId}`, { token: T.office });
    expect(audit.body.items.map((e: { action: string }) => e.action)).toContain('notice.generate');
  });
});

describe('refusals', () => {
  let noticeNo: string;
  beforeAll(async () => {
    noticeNo = (await stack.call('GET', '/api/v1/subjects/me/notices', { token: T.me })).body[0].noticeNo;
  });

  it("another subject's notice is not found, in every form", async () => {
    for (const path of [`/subjects/me/notices/${noticeNo}.pdf`, `/subjects/me/notices/${noticeNo}.html`]) {
      const r = await get(path, T.other);
      expect(r.status).toBe(404);
      expect(JSON.parse(r.bytes.toString()).error.message).toBe(`没有编号为 ${noticeNo} 的告知书，或无权查看`);
    }
  });

  it('a malformed number is refused naming the field; an unknown one is not found', async () => {
    const bad = await stack.call('GET', '/api/v1/office/notices/GZ-1', { token: T.office });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0]).toEqual({
      field: 'params.noticeNo',
      message: '告知书编号格式不正确，应如 GZ20261201-7KQ2-M9ZD',
    });
    const unknown = await stack.call('GET', '/api/v1/office/notices/GZ20261201-0000-0000', { token: T.office });
    expect(unknown.status).toBe(404);
  });

  it('notices of an unknown listing: not found, nothing generated', async () => {
    const r = await stack.call('POST', '/api/v1/office/listings/E0123456789abcdef0123/notices', { token: T.office });
    expect(r.status).toBe(404);
    expect(await NoticeSetModel.exists({ _id: 'E0123456789abcdef0123' })).toBeNull();
  });

  it('a department or an auditor cannot generate; a department cannot read', async () => {
    const entryId = (await NoticeSetModel.findOne({ subjectId: USCC }).lean())!.entryId;
    expect((await stack.call('POST', `/api/v1/office/listings/${entryId}/notices`, { token: T.auditor })).status).toBe(
      403,
    );
    expect((await get(`/office/notices/${noticeNo}.pdf`, T.tax)).status).toBe(403);
  });
});

describe('a county office', () => {
  it("reads and prints its own region's notices; another region's and the city's are not found", async () => {
    await migrateOrganisations(stack.catalogue.departments);
    const botou = await stack.token({ sub: 'c1', name: '泊头市信用办', role: 'county_office', orgId: 'botou' });
    const renqiu = await stack.token({ sub: 'c2', name: '任丘市信用办', role: 'county_office', orgId: 'renqiu' });
    const own = await stack.call('POST', '/api/v1/office/listings', {
      token: botou,
      body: listingBody({ subject: { type: 'enterprise', uscc: '91330100716105852F', name: '泊头示例有限公司' } }),
    });
    expect(own.status).toBe(201);
    const serving = await stack.call('GET', `/api/v1/office/listings/${own.body.entryId}/notices`, { token: botou });
    expect(serving.status).toBe(200);
    const noticeNo = serving.body.notices[0].noticeNo;
    const pdf = await get(`/office/notices/${noticeNo}.pdf`, botou);
    expect(pdf.status).toBe(200);
    expect(await pdfText(pdf.bytes)).toContain('泊头示例有限公司');
    expect((await stack.call('GET', `/api/v1/office/notices/${noticeNo}`, { token: botou })).status).toBe(200);

    for (const path of [`/office/listings/${own.body.entryId}/notices`, `/office/notices/${noticeNo}`])
      expect((await stack.call('GET', `/api/v1${path}`, { token: renqiu })).status).toBe(404);
    const ofCity = await stack.call('POST', '/api/v1/office/listings', {
      token: T.office,
      body: listingBody({ subject: { type: 'enterprise', uscc: '9144030071526726XG', name: '市本级示例有限公司' } }),
    });
    expect(ofCity.status).toBe(201);
    const city = (await NoticeSetModel.findOne({ entryId: ofCity.body.entryId }).lean())!;
    expect((await stack.call('GET', `/api/v1/office/listings/${city.entryId}/notices`, { token: botou })).status).toBe(
      404,
    );
    expect((await get(`/office/notices/${city.notices[0].noticeNo}.html`, botou)).status).toBe(404);
  });
});
