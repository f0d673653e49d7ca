/**
 * The credit service agency directory over HTTP: the office's create / change / recommendation with
 * every refusal, the public directory (recommended only, no internal fields, by kind, paged), the
 * departments' report uses and the supervision figures (JSON and CSV).
 */
import mongoose from 'mongoose';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { agencyBody, freshUscc } from '../support/agencies';
import { eventually } from '../support/eventually';
import { daysFromToday, listingBody, today } from '../support/fixtures';

let stack: ApiStack;
const T: Record<string, string> = {};

beforeAll(async () => {
  stack = await startApiStack('agencies');
  T.office = await stack.token({ sub: 'o', name: '信用办王科长', role: 'office' });
  T.auditor = await stack.token({ sub: 'a', name: '审计', role: 'auditor' });
  T.tax = await stack.token({ sub: 'd', name: '税务局', role: 'department', departmentId: 'tax' });
});
afterAll(() => stack.stop());

const call = (method: string, path: string, token: string, body?: unknown) =>
  stack.call(method, `/api/v1${path}`, { token, body });
const create = (body: unknown) => call('POST', '/office/agencies', T.office, body);
const recommend = (uscc: string, body: Record<string, unknown>) =>
  call('POST', `/office/agencies/${uscc}/recommendation`, T.office, { reason: '经评审符合推荐条件', ...body });
const stored = (uscc: string) => mongoose.connection.db!.collection('credit_agencies').findOne({ _id: uscc as never });

/** A recommended agency (decided `daysAgo` days back), its body as created. */
async function recommended(over: Record<string, unknown> = {}, daysAgo = 10) {
  const body = agencyBody(over);
  expect((await create(body)).status).toBe(201);
  const r = await recommend(body.uscc, { status: 'recommended', decidedOn: daysFromToday(-daysAgo) });
  expect(r.status).toBe(200);
  return body;
}

describe('the office maintains the directory', () => {
  it('creates an agency as pending, idempotently by USCC, audited; another with its USCC: 409', async () => {
    const body = agencyBody();
    const r = await create(body);
    expect(r.status).toBe(201);
    expect(r.body).toEqual({
      created: true,
      agency: expect.objectContaining({
        uscc: body.uscc,
        name: '沧州诚信征信服务有限公司',
        subjectType: 'enterprise',
        kind: 'credit_reporting',
        kindLabel: '征信',
        filing: { authority: '中国人民银行河北省分行', number: '冀0013' },
        status: 'pending',
        statusLabel: '待评审',
        history: [],
        createdBy: '信用办王科长',
      }),
    });
    expect(r.body.agency).not.toHaveProperty('_id');
    expect(r.body.agency).not.toHaveProperty('rev');
    const again = await create(body);
    expect(again.status).toBe(200);
    expect(again.body.created).toBe(false);
    expect(again.body.agency.createdAt).toBe(r.body.agency.createdAt);
    const other = await create({ ...body, name: '另一家信用管理有限公司' });
    expect(other.status).toBe(409);
    expect(other.body.error.message).toContain(`统一社会信用代码 ${body.uscc} 已在信用服务机构名录中`);
    expect((await stored(body.uscc))!.name).toBe('沧州诚信征信服务有限公司');
    const audit = await mongoose.connection
      .db!.collection('audit_log')
      .find({ action: 'agency.create', 'target.id': body.uscc })
      .toArray();
    expect(audit).toHaveLength(2); // the creation and the idempotent repeat; the 409 changed nothing
  });

  it.each([
    ['a USCC with a wrong check character', { uscc: '91130900MA0000001A' }, 'body.uscc', '校验位错误', 422],
    ['a malformed USCC', { uscc: '12345' }, 'body.uscc', '应为18位', 400],
    ['an unknown kind', { kind: 'bank' }, 'body.kind', '', 400],
    ['a credit reporting firm without its filing', { filing: undefined }, 'body.filing', '征信机构须填写', 422],
    [
      'a filing authority that is not a PBOC branch',
      { filing: { authority: '河北省市场监督管理局', number: '冀0013' } },
      'body.filing.authority',
      '备案机关应为中国人民银行的分支机构',
      400,
    ],
    ['no services', { services: [] }, 'body.services', '至少填写一项服务内容', 400],
    ['a malformed phone number', { contact: { phone: '电话' } }, 'body.contact.phone', '联系电话应为', 400],
    ['a one-character name', { name: '诚' }, 'body.name', '名称至少2个字', 400],
    ['an unknown field', { rating: 'AAA' }, 'body', '', 400],
  ])('refuses %s naming the field, storing nothing', async (_what, over, field, message, status) => {
    const body = agencyBody(over);
    const r = await create(body);
    expect(r.status).toBe(status);
    expect(r.body.error.details).toContainEqual(
      expect.objectContaining({ field, message: expect.stringContaining(message) }),
    );
    if (typeof body.uscc === 'string' && body.uscc.length === 18) expect(await stored(body.uscc)).toBeNull();
  });

  it('accepts a rating agency without a filing', async () => {
    const r = await create(agencyBody({ kind: 'credit_rating', filing: undefined, name: '沧州信评咨询有限公司' }));
    expect(r.status).toBe(201);
    expect(r.body.agency.kindLabel).toBe('信用评级');
    expect(r.body.agency).not.toHaveProperty('filing');
  });

  it('changes the stated details, audited with the state before; unknown agency: 404', async () => {
    const body = agencyBody();
    await create(body);
    const { uscc, ...fields } = body;
    const r = await call('PUT', `/office/agencies/${uscc}`, T.office, {
      ...fields,
      services: ['企业征信报告'],
      contact: { phone: '13800138000' },
    });
    expect(r.status).toBe(200);
    expect(r.body.services).toEqual(['企业征信报告']);
    expect(r.body.contact).toEqual({ phone: '13800138000' });
    const [entry] = await mongoose.connection
      .db!.collection('audit_log')
      .find({ action: 'agency.change', 'target.id': uscc })
      .toArray();
    expect(entry.before.services).toEqual(['企业征信报告', '信用评估']);
    expect(entry.after.services).toEqual(['企业征信报告']);
    const missing = await call('PUT', `/office/agencies/${freshUscc()}`, T.office, fields);
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain('信用服务机构名录中没有');
    const bad = await call('PUT', `/office/agencies/${uscc}`, T.office, { ...fields, filing: undefined });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].field).toBe('body.filing');
  });

  it('recommends, withdraws and re-recommends with dates and reasons kept; refuses what may not follow', async () => {
    const body = agencyBody();
    await create(body);
    const u = body.uscc;
    const early = await recommend(u, { status: 'withdrawn' });
    expect(early.status).toBe(422);
    expect(early.body.error.message).toBe(
      '字段 body.status 有误：当前状态“待评审”不能改为“撤销推荐”，只能改为：推荐、不予推荐',
    );
    const future = await recommend(u, { status: 'recommended', decidedOn: daysFromToday(1) });
    expect(future.status).toBe(422);
    expect(future.body.error.details[0]).toEqual({ field: 'body.decidedOn', message: '决定日期不能晚于今天' });
    const noReason = await recommend(u, { status: 'recommended', reason: ' ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details[0].field).toBe('body.reason');

    const rec = await recommend(u, { status: 'recommended', decidedOn: daysFromToday(-5) });
    expect(rec.status).toBe(200);
    expect(rec.body.status).toBe('recommended');
    expect((await recommend(u, { status: 'recommended' })).status).toBe(409);
    const before = await recommend(u, { status: 'withdrawn', decidedOn: daysFromToday(-6), reason: '投诉核实' });
    expect(before.status).toBe(422);
    expect(before.body.error.details[0].message).toBe(`决定日期不能早于上一次变更的日期 ${daysFromToday(-5)}`);
    const w = await recommend(u, { status: 'withdrawn', reason: '出具虚假评价报告，经核实撤销推荐' });
    expect(w.status).toBe(200);
    const again = await recommend(u, { status: 'recommended', reason: '整改完成，重新推荐' });
    expect(
      again.body.history.map((h: Record<string, string>) => [h.previous, h.status, h.decidedOn, h.reason]),
    ).toEqual([
      ['pending', 'recommended', daysFromToday(-5), '经评审符合推荐条件'],
      ['recommended', 'withdrawn', today, '出具虚假评价报告，经核实撤销推荐'],
      ['withdrawn', 'recommended', today, '整改完成，重新推荐'],
    ]);
    expect(again.body.history[1]).toEqual(expect.objectContaining({ statusLabel: '撤销推荐', by: '信用办王科长' }));
    const audits = await mongoose.connection
      .db!.collection('audit_log')
      .countDocuments({ action: 'agency.recommendation', 'target.id': u });
    expect(audits).toBe(3);
    expect(
      (
        await call('POST', `/office/agencies/${freshUscc()}/recommendation`, T.office, {
          status: 'recommended',
          reason: '经评审符合推荐条件',
        })
      ).status,
    ).toBe(404);
  });

  it('shows the agency with its own credit file, and does not recommend one on a black list in force', async () => {
    const body = agencyBody({ name: '沧州失信征信有限公司' });
    await create(body);
    const listing = await call('POST', '/office/listings', T.office, {
      ...listingBody(),
      subject: { type: 'enterprise', uscc: body.uscc, name: body.name },
    });
    expect(listing.status).toBe(201);
    const d = await eventually(async () => {
      const r = await call('GET', `/office/agencies/${body.uscc}`, T.auditor);
      expect(r.body.creditFile.blackListed).toBe(true);
      return r;
    });
    expect(d.body.creditFile).toEqual({
      items: 1,
      blackListed: true,
      path: `/api/v1/office/credit-files/${body.uscc}`,
    });
    const r = await recommend(body.uscc, { status: 'recommended' });
    expect(r.status).toBe(422);
    expect(r.body.error.message).toContain('该机构在严重失信主体名单中');
    expect((await stored(body.uscc))!.status).toBe('pending');
    expect((await call('GET', `/office/agencies/${freshUscc()}`, T.auditor)).status).toBe(404);
  });
});

describe('the public directory', () => {
  it('lists recommended agencies only, without internal fields, by kind, paged, without signing in', async () => {
    const kind = 'credit_management';
    const a = await recommended({ kind, filing: undefined, name: '沧州甲信用管理有限公司' });
    const b = await recommended({ kind, filing: undefined, name: '沧州乙信用管理有限公司' });
    const pending = agencyBody({ kind, filing: undefined, name: '沧州丙信用管理有限公司' });
    await create(pending);
    const gone = await recommended({ kind, filing: undefined, name: '沧州丁信用管理有限公司' });
    await recommend(gone.uscc, { status: 'withdrawn', reason: '机构申请退出' });

    const all = await stack.call('GET', `/api/v1/public/agencies?kind=${kind}&limit=200`);
    expect(all.status).toBe(200);
    const mine = all.body.items.filter((x: { uscc: string }) =>
      [a.uscc, b.uscc, pending.uscc, gone.uscc].includes(x.uscc),
    );
    expect(mine.map((x: { name: string }) => x.name).sort()).toEqual(
      ['沧州乙信用管理有限公司', '沧州甲信用管理有限公司'].sort(),
    );
    expect(mine.find((x: { uscc: string }) => x.uscc === a.uscc)).toEqual({
      uscc: a.uscc,
      name: '沧州甲信用管理有限公司',
      kind,
      kindLabel: '信用管理',
      services: ['企业征信报告', '信用评估'],
      contact: { person: '李经理', phone: '0317-2021234', address: '沧州市运河区解放西路1号' },
      recommendedSince: daysFromToday(-10),
    });
    expect(all.body.items.every((x: { kind: string }) => x.kind === kind)).toBe(true);

    const first = await stack.call('GET', `/api/v1/public/agencies?kind=${kind}&limit=1`);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.total).toBe(all.body.items.length);
    const second = await stack.call('GET', `/api/v1/public/agencies?kind=${kind}&limit=1&cursor=${first.body.next}`);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].uscc).not.toBe(first.body.items[0].uscc);

    const bad = await stack.call('GET', '/api/v1/public/agencies?kind=bank');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('query.kind');
  });

  it('serves the directory as a page in Chinese at /agencies', async () => {
    const a = await recommended({ kind: 'credit_consulting', filing: undefined, name: '沧州公示页信用咨询有限公司' });
    const res = await fetch(`${stack.base}/agencies?kind=credit_consulting`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('<h1>信用服务机构推荐名录</h1>');
    expect(page).toContain(`<th scope="row">沧州公示页信用咨询有限公司</th><td>${a.uscc}</td><td>信用咨询</td>`);
    const bad = await fetch(`${stack.base}/agencies?kind=bank`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('未知的机构类别“bank”');
  });
});

describe('departments record the agency reports they use; supervision counts them', () => {
  const use = (body: Record<string, unknown>) => call('POST', '/departments/me/agency-reports', T.tax, body);

  it('records a use once per report and matter, and refuses agencies not in the directory on that day', async () => {
    const a = await recommended({ kind: 'credit_rating', filing: undefined, name: '沧州评级有限公司' }, 10);
    const body = { agencyUscc: a.uscc, reportNo: 'PJ-2026-001', matter: 'government_procurement', usedOn: today };
    const r = await use(body);
    expect(r.status).toBe(201);
    expect(r.body.use).toEqual(
      expect.objectContaining({
        agencyName: '沧州评级有限公司',
        departmentId: 'tax',
        matter: 'government_procurement',
      }),
    );
    const again = await use(body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ created: false, use: r.body.use });
    expect((await use({ ...body, usedOn: daysFromToday(-1) })).status).toBe(409);

    const early = await use({ ...body, reportNo: 'PJ-2026-000', usedOn: daysFromToday(-11) });
    expect(early.status).toBe(422);
    expect(early.body.error.message).toBe(
      `字段 body.agencyUscc 有误：沧州评级有限公司在 ${daysFromToday(-11)} 未列入推荐名录（当日状态：待评审），不能登记使用其报告`,
    );
    const unknown = await use({ ...body, agencyUscc: freshUscc() });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.message).toContain('不在信用服务机构名录中');
    const future = await use({ ...body, usedOn: daysFromToday(1) });
    expect(future.status).toBe(422);
    expect(future.body.error.details[0].field).toBe('body.usedOn');
    const matter = await use({ ...body, matter: 'lottery' });
    expect(matter.status).toBe(400);
    expect(matter.body.error.details[0].field).toBe('body.matter');

    const mine = await call('GET', '/departments/me/agency-reports?limit=200', T.tax);
    expect(mine.body.items.map((x: { useId: string }) => x.useId)).toContain(r.body.use.useId);
  });

  it('refuses a use after the agency was withdrawn, and counts uses per agency and period (JSON and CSV)', async () => {
    const a = await recommended({ kind: 'other', filing: undefined, name: '沧州统计用信用服务有限公司' }, 20);
    for (const [reportNo, matter, usedOn] of [
      ['S-1', 'tax_incentive', daysFromToday(-15)],
      ['S-2', 'tax_incentive', daysFromToday(-3)],
      ['S-3', 'fiscal_subsidy', daysFromToday(-2)],
    ])
      expect((await use({ agencyUscc: a.uscc, reportNo, matter, usedOn })).status).toBe(201);
    await recommend(a.uscc, { status: 'withdrawn', reason: '不再符合推荐条件' });
    const after = await use({ agencyUscc: a.uscc, reportNo: 'S-4', matter: 'tax_incentive', usedOn: today });
    expect(after.status).toBe(422);
    expect(after.body.error.message).toContain('当日状态：撤销推荐');

    const from = daysFromToday(-5);
    const r = await call('GET', `/office/supervision/agencies?from=${from}&to=${today}`, T.auditor);
    expect(r.status).toBe(200);
    expect(r.body.agencies.find((x: { uscc: string }) => x.uscc === a.uscc)).toEqual({
      uscc: a.uscc,
      name: '沧州统计用信用服务有限公司',
      kind: 'other',
      kindLabel: '其他',
      status: 'withdrawn',
      statusLabel: '撤销推荐',
      uses: 2,
      departments: 1,
      matters: 2,
    });
    const csv = await call('GET', `/office/supervision/agencies?from=${from}&to=${today}&format=csv`, T.office);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = String(csv.body)
      .replace(/^\uFEFF/, '')
      .split('\r\n');
    expect(lines[0]).toBe('统一社会信用代码,机构名称,类别,推荐状态,使用次数,使用部门数,事项数');
    expect(lines).toContain(`${a.uscc},沧州统计用信用服务有限公司,其他,撤销推荐,2,1,2`);
    const bad = await call('GET', `/office/supervision/agencies?from=${today}&to=${from}`, T.office);
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].field).toBe('query.from');
  });
});
