/** Subjects' objections and repairs over HTTP, with the authority's and office's decisions, on real servers. */
import { startApiStack, type ApiStack } from '../support/api-stack';
import { eventually } from '../support/eventually';
import { daysFromToday, listingBody, today } from '../support/fixtures';

let stack: ApiStack;
const T: Record<string, string> = {};
const USCC = '91330100716105852F';
const OTHER = '914403001922038216';
/** The objection test's own subject: the repair tests leave listings of USCC in force. */
const OBJECTING = '91130900351246782D';
const AUTHORITY = '国家税务总局沧州市税务局';

beforeAll(async () => {
  stack = await startApiStack('cases_api');
  T.office = await stack.token({ sub: 'o', name: '信用办', role: 'office' });
  T.tax = await stack.token({ sub: 't', name: '税务局经办人', role: 'department', departmentId: 'tax' });
  T.authority = await stack.token({ sub: 'a', name: '税务稽查局审理科', role: 'authority', authority: AUTHORITY });
  T.otherAuthority = await stack.token({
    sub: 'b',
    name: '市场监管局',
    role: 'authority',
    authority: '沧州市市场监督管理局',
  });
  T.subject = await stack.token({ sub: 's', name: '示例集团有限公司', role: 'subject', subjectId: USCC });
  T.otherSubject = await stack.token({ sub: 'x', name: '另一家公司', role: 'subject', subjectId: OTHER });
  T.objecting = await stack.token({ sub: 'y', name: '示例异议有限公司', role: 'subject', subjectId: OBJECTING });
});
afterAll(() => stack.stop());

async function listed(over: Record<string, unknown> = {}) {
  const r = await stack.call('POST', '/api/v1/office/listings', {
    token: T.office,
    body: listingBody({ subject: { type: 'enterprise', uscc: USCC, name: '示例集团有限公司' }, ...over }),
  });
  expect(r.status).toBe(201);
  await eventually(
    async () =>
      expect(
        (await stack.call('GET', `/api/v1/office/listings/${r.body.entryId}`, { token: T.office })).body.status,
      ).toBe('active'),
    30_000,
  );
  return r.body.entryId as string;
}
const check = async (subjectId = USCC) =>
  (
    await stack.call('POST', '/api/v1/departments/me/checks', {
      token: T.tax,
      body: { subjectId, matter: 'tax_incentive' },
    })
  ).body;

describe('objection', () => {
  it('flags the record for the subject and in checks, and an upheld objection lifts the measures', async () => {
    const entryId = await listed({ subject: { type: 'enterprise', uscc: OBJECTING, name: '示例异议有限公司' } });
    const records = await stack.call('GET', '/api/v1/subjects/me/records', { token: T.objecting });
    expect(records.body.find((r: { entryId: string }) => r.entryId === entryId)).toMatchObject({
      status: 'active',
      underObjection: false,
    });
    expect(
      (await stack.call('GET', '/api/v1/subjects/me/records', { token: T.otherSubject })).body.some(
        (r: { entryId: string }) => r.entryId === entryId,
      ),
    ).toBe(false);

    const foreign = await stack.call('POST', '/api/v1/subjects/me/objections', {
      token: T.otherSubject,
      body: { entryId, reason: '这不是我的记录吗？' },
    });
    expect(foreign.status).toBe(404);
    const filed = await stack.call('POST', '/api/v1/subjects/me/objections', {
      token: T.objecting,
      body: { entryId, reason: '处罚决定已被行政复议撤销', evidence: [{ name: '复议决定书.pdf', size: 102400 }] },
    });
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({
      kind: 'objection',
      status: 'verifying',
      authority: AUTHORITY,
      stage: 'verify',
      overdue: false,
    });
    expect(filed.body.deadline).toBeDefined();
    const again = await stack.call('POST', '/api/v1/subjects/me/objections', {
      token: T.objecting,
      body: { entryId, reason: '重复提出异议' },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('已有异议正在处理');
    await eventually(async () => expect((await check(OBJECTING)).underObjection).toBe(true), 1000);

    const mine = await stack.call('GET', '/api/v1/authority/cases?open=true', { token: T.authority });
    expect(mine.body.items.map((c: { caseId: string }) => c.caseId)).toContain(filed.body.caseId);
    expect((await stack.call('GET', '/api/v1/authority/cases', { token: T.otherAuthority })).body).toEqual({
      items: [],
      next: null,
      total: 0,
    });
    const wrong = await stack.call('POST', `/api/v1/authority/objections/${filed.body.caseId}/decision`, {
      token: T.otherAuthority,
      body: { outcome: 'upheld', reasons: '成立', action: 'remove' },
    });
    expect(wrong.status).toBe(404);
    expect(
      (
        await stack.call('POST', `/api/v1/authority/objections/${filed.body.caseId}/decision`, {
          token: T.objecting,
          body: { outcome: 'upheld', reasons: '成立', action: 'remove' },
        })
      ).status,
    ).toBe(403);
    const noAction = await stack.call('POST', `/api/v1/authority/objections/${filed.body.caseId}/decision`, {
      token: T.authority,
      body: { outcome: 'upheld', reasons: '成立' },
    });
    expect(noAction.status).toBe(422); // matches the schema; the objection workflow refuses it
    expect(noAction.body.error.code).toBe('invalid_input'); // the workflow's refusal code (domain/refusal.ts)
    expect(noAction.body.error.message).toContain('处理方式');

    const decided = await stack.call('POST', `/api/v1/authority/objections/${filed.body.caseId}/decision`, {
      token: T.authority,
      body: { outcome: 'upheld', reasons: '原处罚决定已撤销，予以移出', action: 'remove' },
    });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ status: 'upheld', decision: { outcome: 'upheld', action: 'remove' } });
    const twice = await stack.call('POST', `/api/v1/authority/objections/${filed.body.caseId}/decision`, {
      token: T.authority,
      body: { outcome: 'rejected', reasons: '改变主意' },
    });
    expect(twice.status).toBe(409);
    expect((await stack.call('GET', `/api/v1/office/listings/${entryId}`, { token: T.office })).body).toMatchObject({
      status: 'closed',
      closeReason: 'removed',
    });
    await eventually(async () => expect((await check(OBJECTING)).result).toBe('clear'), 1000);
    const seen = await stack.call('GET', `/api/v1/subjects/me/cases/${filed.body.caseId}`, { token: T.objecting });
    expect(seen.body.timeline.map((t: { type: string }) => t.type)).toEqual(['filed', 'decided', 'closed']);
    expect(
      (await stack.call('GET', `/api/v1/subjects/me/cases/${filed.body.caseId}`, { token: T.otherSubject })).status,
    ).toBe(404);
  });
});

describe('credit repair', () => {
  it('refuses an ineligible application with the rule that refused it', async () => {
    const entryId = await listed({ severity: 'serious' });
    const e = await stack.call('GET', `/api/v1/subjects/me/records/${entryId}/repair-eligibility`, {
      token: T.subject,
    });
    expect(e.body).toMatchObject({
      eligible: false,
      regime: 'order36',
      refusals: [{ rule: 'repair.minPeriod.serious' }],
    });
    const r = await stack.call('POST', '/api/v1/subjects/me/repairs', {
      token: T.subject,
      body: {
        entryId,
        commitment: { signedOn: today, text: '本企业承诺依法诚信经营，今后不再发生同类失信行为。' },
        obligationsFulfilled: true,
        proofs: [{ name: '缴款凭证.pdf' }],
      },
    });
    expect(r.status).toBe(422);
    expect(r.body.error.message).toContain('最短公示期为12个月');
    const bad = await stack.call('POST', '/api/v1/subjects/me/repairs', {
      token: T.subject,
      body: { entryId, commitment: { signedOn: today, text: '短' }, obligationsFulfilled: false, proofs: [] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(
      expect.arrayContaining(['body.commitment.text', 'body.obligationsFulfilled', 'body.proofs']),
    );
  });

  it('accepts, reviews and approves a repair, which ends the listing and lifts every measure', async () => {
    const entryId = await listed({ severity: 'minor', validUntil: daysFromToday(60) });
    const e = await stack.call('GET', `/api/v1/subjects/me/records/${entryId}/repair-eligibility`, {
      token: T.subject,
    });
    expect(e.body).toMatchObject({ eligible: true, refusals: [] });
    const filed = await stack.call('POST', '/api/v1/subjects/me/repairs', {
      token: T.subject,
      body: {
        entryId,
        commitment: { signedOn: today, text: '本企业承诺依法诚信经营，今后不再发生同类失信行为。' },
        obligationsFulfilled: true,
        proofs: [{ name: '缴款凭证.pdf' }],
      },
    });
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ kind: 'repair', status: 'submitted', stage: 'accept', regime: 'order36' });
    const second = await stack.call('GET', `/api/v1/subjects/me/records/${entryId}/repair-eligibility`, {
      token: T.subject,
    });
    expect(second.body.refusals.map((r: { rule: string }) => r.rule)).toContain('open');

    const early = await stack.call('POST', `/api/v1/authority/repairs/${filed.body.caseId}/decision`, {
      token: T.authority,
      body: { approved: true, reasons: '同意' },
    });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toContain('尚未受理');
    expect(
      (
        await stack.call('POST', `/api/v1/office/repairs/${filed.body.caseId}/acceptance`, {
          token: T.authority,
          body: { accepted: true },
        })
      ).status,
    ).toBe(403);
    const acc = await stack.call('POST', `/api/v1/office/repairs/${filed.body.caseId}/acceptance`, {
      token: T.office,
      body: { accepted: true },
    });
    expect(acc.body).toMatchObject({ status: 'reviewing', stage: 'decide' });
    const pending = await stack.call('GET', '/api/v1/office/cases?kind=repair&open=true', { token: T.office });
    expect(pending.body.items.find((c: { caseId: string }) => c.caseId === filed.body.caseId)).toMatchObject({
      stage: 'decide',
      overdue: false,
    });

    const ok = await stack.call('POST', `/api/v1/authority/repairs/${filed.body.caseId}/decision`, {
      token: T.authority,
      body: { approved: true, reasons: '已履行义务并作出信用承诺，同意修复' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('approved');
    expect((await stack.call('GET', `/api/v1/office/listings/${entryId}`, { token: T.office })).body).toMatchObject({
      status: 'closed',
      closeReason: 'removed',
    });
    const tasks = await stack.call('GET', `/api/v1/office/listings/${entryId}/tasks`, { token: T.office });
    expect(tasks.body.every((t: { status: string }) => t.status === 'lifted')).toBe(true);
    expect(
      (
        await stack.call('POST', `/api/v1/authority/repairs/${filed.body.caseId}/decision`, {
          token: T.authority,
          body: { approved: false, reasons: '撤回' },
        })
      ).status,
    ).toBe(409);
  });
});
