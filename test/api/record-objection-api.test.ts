/**
 * Objections on credit records over HTTP on real servers, through the objection workflow the listings
 * use: the record shows 异议处理中 in the credit file and in a report issued meanwhile; the record's
 * source (the 认定单位 of its name) decides; upheld withdraws or corrects it as a new version, never an
 * overwrite, and the verification of a report issued before says `changed`; rejected clears the flag.
 */
import { objectionWorkflowId } from '../../domain/workflow-ids';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { recordHistory } from '../support/workflow-env';
import { daysFromToday } from '../support/fixtures';
import { uscc } from '../support/import-files';
import { pdfText } from '../support/pdf-tools';

const SUBJECT = uscc(500_001);
const NAME = '异议测试企业有限公司';
const TAX_NAME = '沧州市税务局';

let stack: ApiStack;
let tax: string;
let me: string;
let other: string;
let source: string;
let office: string;

beforeAll(async () => {
  stack = await startApiStack('record_objections');
  tax = await stack.token({ sub: 't1', name: '税务局李四', role: 'department', departmentId: 'tax' });
  me = await stack.token({ sub: 's1', name: NAME, role: 'subject', subjectId: SUBJECT });
  other = await stack.token({ sub: 's2', name: '别的公司', role: 'subject', subjectId: uscc(500_002) });
  source = await stack.token({ sub: 'a1', name: '税务局法制科', role: 'authority', authority: TAX_NAME });
  office = await stack.token({ sub: 'o1', name: '信用办张科长', role: 'office' });
});
afterAll(() => stack.stop());

async function deliver(sourceRecordId: string): Promise<string> {
  const r = await stack.call('POST', '/api/v1/departments/me/credit-records', {
    token: tax,
    body: {
      recordClass: 'administrative_penalty',
      sourceRecordId,
      subject: { type: 'enterprise', uscc: SUBJECT, name: NAME },
      decisionDocument: { number: `沧税罚〔异议〕${sourceRecordId}号`, date: daysFromToday(-40) },
      title: '未按规定期限办理纳税申报',
      severity: 'general',
      penalty: '罚款人民币二千元',
    },
  });
  expect(r.status).toBe(201);
  return r.body.recordId;
}

const object = (recordId: string, token = me) =>
  stack.call('POST', '/api/v1/subjects/me/objections', {
    token,
    body: { recordId, reason: '处罚决定已被行政复议撤销', evidence: [{ name: '复议决定书.pdf' }] },
  });

const decide = (caseId: string, body: Record<string, unknown>) =>
  stack.call('POST', `/api/v1/authority/objections/${caseId}/decision`, { token: source, body });

/** The subject's own file item for a record. */
async function myItem(recordId: string) {
  const f = (await stack.call('GET', '/api/v1/subjects/me/credit-file', { token: me })).body;
  return [...f.public, ...f.archive].find((i: { ref: string }) => i.ref === recordId);
}

async function report(): Promise<string> {
  const r = await stack.call('POST', '/api/v1/subjects/me/reports', { token: me, body: { kind: 'special' } });
  expect(r.status).toBe(201);
  return r.body.reportNo;
}

const verify = async (no: string) => (await stack.call('GET', `/api/v1/public/reports/${no}`)).body.status;

async function pdfOf(no: string): Promise<string> {
  const res = await fetch(`${stack.base}/api/v1/reports/${no}.pdf`, { headers: { authorization: `Bearer ${me}` } });
  return pdfText(Buffer.from(await res.arrayBuffer()));
}

const versions = async (recordId: string) =>
  (await stack.call('GET', `/api/v1/office/credit-records/${recordId}/versions`, { token: office })).body.map(
    (v: { version: number; action: string; by: string }) => [v.version, v.action, v.by],
  );

it('flags the record everywhere; upheld removal: a withdrawal version, and an earlier report is changed', async () => {
  const recordId = await deliver('OBJ-1');
  const before = await report();
  expect(await verify(before)).toBe('valid');

  const filed = await object(recordId);
  expect(filed.status).toBe(201);
  expect(filed.body).toMatchObject({ kind: 'objection', recordId, status: 'verifying', authority: TAX_NAME });
  expect(filed.body.entryId).toBeUndefined();
  expect(await myItem(recordId)).toMatchObject({ underObjection: true, statusLabel: '公示中 · 异议处理中' });
  const during = await report();
  expect(await pdfOf(during)).toContain('异议处理中');
  // one open objection per record
  const again = await object(recordId);
  expect(again.status).toBe(409);
  expect(again.body.error.message).toBe('不能对该条目提出异议：该记录已有异议正在处理');

  const cases = await stack.call('GET', '/api/v1/authority/cases?open=true', { token: source });
  expect(cases.body.items.map((c: { caseId: string }) => c.caseId)).toContain(filed.body.caseId);
  const decided = await decide(filed.body.caseId, { outcome: 'upheld', action: 'remove', reasons: '原处罚决定已撤销' });
  expect(decided.status).toBe(200);
  expect(decided.body).toMatchObject({ status: 'upheld' });
  expect(await versions(recordId)).toEqual([
    [1, 'create', '税务局李四'],
    [2, 'withdraw', '税务局法制科'],
  ]);
  // gone from the subject's file and from new reports; the office's archive keeps it, unflagged
  expect(await myItem(recordId)).toBeUndefined();
  const officeFile = (await stack.call('GET', `/api/v1/office/credit-files/${SUBJECT}`, { token: office })).body;
  expect(officeFile.archive.find((i: { ref: string }) => i.ref === recordId)).toMatchObject({
    statusLabel: '已撤回',
    underObjection: false,
    version: 2,
  });
  expect(await verify(before)).toBe('changed');
  // kept as a replay fixture of the record branch (XINLIAN_RECORD_HISTORIES=1)
  const run = stack.env.client.workflow.getHandle(objectionWorkflowId(filed.body.caseId));
  await run.result();
  await recordHistory(run, 'objection-on-record-upheld-remove.json');
});

it('upheld correction: a new version with the corrected publicity end; a rejection only clears the flag', async () => {
  const corrected = await deliver('OBJ-2');
  const rejected = await deliver('OBJ-3');
  const c1 = await object(corrected);
  const c2 = await object(rejected);
  const until = daysFromToday(100);
  expect(
    (
      await decide(c1.body.caseId, {
        outcome: 'upheld',
        action: 'correct',
        reasons: '公示期限有误',
        correction: { validUntil: until },
      })
    ).body.status,
  ).toBe('upheld');
  expect((await decide(c2.body.caseId, { outcome: 'rejected', reasons: '处罚决定合法有效' })).body.status).toBe(
    'rejected',
  );
  expect(await versions(corrected)).toEqual([
    [1, 'create', '税务局李四'],
    [2, 'correct', '税务局法制科'],
  ]);
  expect(await myItem(corrected)).toMatchObject({ underObjection: false, publicityEnds: until, version: 2 });
  expect(await versions(rejected)).toEqual([[1, 'create', '税务局李四']]);
  expect(await myItem(rejected)).toMatchObject({ underObjection: false, statusLabel: '公示中' });
});

it("refuses another subject's record (404) and a body naming both or neither target (422)", async () => {
  const recordId = await deliver('OBJ-4');
  const theirs = await object(recordId, other);
  expect(theirs.status).toBe(404);
  expect(theirs.body.error.message).toBe(`信用记录 ${recordId} 不存在`);
  const neither = await stack.call('POST', '/api/v1/subjects/me/objections', {
    token: me,
    body: { reason: '处罚决定已被行政复议撤销' },
  });
  expect(neither.status).toBe(422);
  expect(neither.body.error.details[0]).toMatchObject({
    field: 'body.entryId',
    message: '请指定异议的对象：entryId（名单条目）或 recordId（信用记录），二者选一',
  });
  const both = await stack.call('POST', '/api/v1/subjects/me/objections', {
    token: me,
    body: { entryId: 'E00000000000000000000', recordId, reason: '处罚决定已被行政复议撤销' },
  });
  expect(both.status).toBe(422);
  expect(both.body.error.details[0].field).toBe('body.recordId');
});
