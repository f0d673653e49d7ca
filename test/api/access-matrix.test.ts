/**
 * Every endpoint × every role: forbidden calls are refused (401 without a token, 403 with the wrong
 * role) and allowed calls get past access control. The expected roles are written out here by hand,
 * independently of the route definitions, and the test fails if the app has a route this table lacks.
 */
import { startApiStack, type ApiStack } from '../support/api-stack';

const ROLES = [
  'office',
  'department',
  'authority',
  'subject',
  'auditor',
  'third_party',
  'county_office',
  'platform',
] as const;
type R = (typeof ROLES)[number] | 'public';

const E = 'E0123456789abcdef0123';
const TASK = `${E}:tax`;
const CASE_O = 'O0123456789abcdef0123';
const CASE_R = 'R0123456789abcdef0123';
const CHECK = '00000000-0000-4000-8000-000000000000';
const IMPORT = 'I0123456789abcdef0123';
const REPORT = 'XL20261201-AAAA-BBBB-CCCC-DDDD';
const RECORD = 'CRfedcba9876543210fedc';
const USCC = '914403001922038216';
const AUTH = 'Aabcdefabcdefabcdefabcd'.slice(0, 21);
const NOTICE = 'GZ20261201-AAAA-BBBB';
const BATCH = 'HB-BATCH-0001';
const FEEDBACK = 'CZ-FB-20260701-20260930';

/** method path → who may call it (and a concrete path to call). */
const EXPECTED: Array<[string, string, R[]]> = [
  ['post', '/office/listings', ['office', 'county_office']],
  ['get', '/office/listings', ['office', 'auditor', 'county_office']],
  ['get', `/office/listings/${E}`, ['office', 'auditor', 'county_office']],
  ['get', `/office/listings/${E}/tasks`, ['office', 'auditor', 'county_office']],
  ['get', `/office/listings/${E}/events`, ['office', 'auditor', 'county_office']],
  ['post', `/office/listings/${E}/removal`, ['office', 'county_office']],
  ['get', '/office/tasks/overdue', ['office', 'auditor']],
  ['post', '/office/imports?filename=x.csv', ['office']],
  ['get', '/office/imports', ['office', 'auditor']],
  ['get', '/office/imports/template.csv', ['office', 'auditor']],
  ['get', '/office/imports/template.xlsx', ['office', 'auditor']],
  ['get', `/office/imports/${IMPORT}`, ['office', 'auditor']],
  ['get', `/office/imports/${IMPORT}/refused.csv`, ['office', 'auditor']],
  ['get', '/office/supervision', ['office', 'auditor']],
  ['get', '/office/supervision/reports', ['office', 'auditor']],
  ['get', '/office/supervision/levels', ['office', 'auditor', 'county_office']],
  ['get', '/office/cases', ['office', 'auditor']],
  ['post', `/office/repairs/${CASE_R}/acceptance`, ['office']],
  ['get', '/departments/me/inbox', ['department']],
  ['post', `/departments/me/tasks/${TASK}/acknowledgement`, ['department']],
  ['post', `/departments/me/tasks/${TASK}/feedback`, ['department']],
  ['get', `/departments/me/tasks/${TASK}/feedback`, ['department']],
  ['get', '/departments/me/outbox', ['department']],
  ['post', '/departments/me/checks', ['department']],
  ['post', '/departments/me/checks/batch', ['department']],
  ['post', `/departments/me/checks/${CHECK}/decisions`, ['department']],
  ['get', '/departments/me/checks', ['department']],
  ['get', '/departments/me/supervision', ['department']],
  ['get', '/subjects/me/records', ['subject']],
  ['get', `/subjects/me/records/${E}/repair-eligibility`, ['subject']],
  ['post', '/subjects/me/objections', ['subject']],
  ['post', '/subjects/me/repairs', ['subject']],
  ['get', '/subjects/me/cases', ['subject']],
  ['get', `/subjects/me/cases/${CASE_O}`, ['subject']],
  ['get', '/authority/cases', ['authority']],
  ['post', `/authority/objections/${CASE_O}/extension`, ['authority']],
  ['post', `/authority/objections/${CASE_O}/decision`, ['authority']],
  ['post', `/authority/repairs/${CASE_R}/decision`, ['authority']],
  ['get', '/measures', ['office', 'department']],
  ['get', '/public/records?subjectId=914403001922038216', ['public']],
  ['get', '/audit/log', ['office', 'auditor']],
  ['get', '/audit/verify', ['office', 'auditor']],
  ['get', '/office/dashboard', ['office', 'auditor']],
  [
    'get',
    '/session',
    ['office', 'department', 'authority', 'subject', 'auditor', 'third_party', 'county_office', 'platform'],
  ],
  [
    'get',
    '/vocabulary',
    ['office', 'department', 'authority', 'subject', 'auditor', 'third_party', 'county_office', 'platform'],
  ],
  ['post', '/departments/me/credit-records', ['department']],
  ['post', '/departments/me/credit-records/batch', ['department']],
  ['post', '/departments/me/credit-records/withdrawal', ['department']],
  ['post', '/departments/me/credit-records/imports?filename=x.csv', ['department']],
  ['get', '/departments/me/credit-records/imports', ['department']],
  ['get', '/departments/me/credit-records/imports/template.csv', ['department']],
  ['get', '/departments/me/credit-records/imports/template.xlsx', ['department']],
  ['get', `/departments/me/credit-records/imports/${IMPORT}`, ['department']],
  ['get', `/departments/me/credit-records/imports/${IMPORT}/refused.csv`, ['department']],
  ['get', `/departments/me/credit-files/${USCC}`, ['department']],
  ['get', '/subjects/me/credit-file', ['subject']],
  ['get', `/office/credit-files/${USCC}`, ['office', 'auditor']],
  ['get', `/office/credit-records/${RECORD}/versions`, ['office', 'auditor']],
  ['post', '/subjects/me/reports', ['subject']],
  ['get', '/subjects/me/reports', ['subject']],
  ['post', '/departments/me/reports', ['department']],
  ['post', '/departments/me/reports/batch', ['department']],
  ['get', '/departments/me/reports', ['department']],
  ['get', `/reports/${REPORT}.pdf`, ['subject', 'department', 'office', 'auditor', 'third_party']],
  ['get', `/reports/${REPORT}`, ['subject', 'department', 'office', 'auditor', 'third_party']],
  ['get', '/office/reports', ['office', 'auditor']],
  ['post', `/office/reports/${REPORT}/withdrawal`, ['office']],
  ['get', `/public/reports/${REPORT}`, ['public']],
  ['post', '/subjects/me/authorisations', ['subject']],
  ['get', '/subjects/me/authorisations', ['subject']],
  ['post', `/subjects/me/authorisations/${AUTH}/revocation`, ['subject']],
  ['get', '/third-party/authorisations', ['third_party']],
  ['post', '/third-party/reports', ['third_party']],
  ['get', '/calendar/2027', [...ROLES]],
  ['put', '/office/calendar/2027', ['office']],
  ['post', '/office/calendar/2027/preview', ['office']],
  ['get', '/office/periods', ['office', 'auditor']],
  ['post', '/office/periods', ['office']],
  ['get', '/subjects/me/notices', ['subject']],
  ['get', `/subjects/me/notices/${NOTICE}.pdf`, ['subject']],
  ['get', `/subjects/me/notices/${NOTICE}.html`, ['subject']],
  ['get', `/office/listings/${E}/notices`, ['office', 'auditor', 'county_office']],
  ['post', `/office/listings/${E}/notices`, ['office']],
  ['get', `/office/notices/${NOTICE}.pdf`, ['office', 'auditor', 'county_office']],
  ['get', `/office/notices/${NOTICE}.html`, ['office', 'auditor', 'county_office']],
  ['get', `/office/notices/${NOTICE}`, ['office', 'auditor', 'county_office']],
  ['get', '/organisations', [...ROLES]],
  ['put', '/office/organisations/botou', ['office']],
  ['get', '/departments/me/editions', ['department']],
  ['post', '/departments/me/editions', ['department']],
  ['get', '/departments/me/editions/diff?from=1&to=7', ['department']],
  ['get', '/departments/me/editions/7', ['department']],
  ['put', '/departments/me/editions/7', ['department']],
  ['post', '/departments/me/editions/7/submission', ['department']],
  ['get', '/departments/me/editions/7/export', ['department']],
  ['get', '/office/editions', ['office', 'auditor']],
  ['get', '/office/editions/tax/diff?from=1&to=7', ['office', 'auditor']],
  ['get', '/office/editions/tax/7', ['office', 'auditor']],
  ['get', '/office/editions/tax/7/export', ['office', 'auditor']],
  ['post', '/office/editions/tax/7/review', ['office']],
  ['post', '/office/editions/tax/7/publication', ['office']],
  ['get', '/office/measure-suspensions', ['office', 'auditor']],
  ['post', '/office/measure-suspensions', ['office']],
  ['post', '/office/measure-suspensions/tax.no-bid/lifting', ['office']],
  ['post', '/office/agencies', ['office']],
  ['get', '/office/agencies', ['office', 'auditor']],
  ['get', `/office/agencies/${USCC}`, ['office', 'auditor']],
  ['put', `/office/agencies/${USCC}`, ['office']],
  ['post', `/office/agencies/${USCC}/recommendation`, ['office']],
  ['get', '/public/agencies', ['public']],
  ['post', '/departments/me/agency-reports', ['department']],
  ['get', '/departments/me/agency-reports', ['department']],
  ['get', '/office/supervision/agencies', ['office', 'auditor']],
  ['post', '/exchange/upstream/batches', ['platform']],
  ['post', '/exchange/upstream/file-batches', ['platform']],
  ['get', `/exchange/upstream/batches/${BATCH}`, ['platform', 'office', 'auditor']],
  ['get', '/office/upstream/batches', ['office', 'auditor']],
  ['post', '/office/upstream/feedback-batches', ['office']],
  ['get', '/office/upstream/feedback-batches', ['office', 'auditor']],
  ['get', `/office/upstream/feedback-batches/${FEEDBACK}`, ['office', 'auditor']],
];

let stack: ApiStack;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  stack = await startApiStack('matrix');
  tokens.office = await stack.token({ sub: 'o', name: '信用办', role: 'office' });
  tokens.department = await stack.token({ sub: 'd', name: '税务局', role: 'department', departmentId: 'tax' });
  tokens.authority = await stack.token({
    sub: 'a',
    name: '认定单位',
    role: 'authority',
    authority: '国家税务总局沧州市税务局',
  });
  tokens.subject = await stack.token({ sub: 's', name: '企业', role: 'subject', subjectId: '914403001922038216' });
  tokens.auditor = await stack.token({ sub: 'u', name: '审计员', role: 'auditor' });
  tokens.county_office = await stack.token({ sub: 'c', name: '泊头市信用办', role: 'county_office', orgId: 'botou' });
  tokens.platform = await stack.token({ sub: 'p', name: '河北省信用信息共享平台', role: 'platform' });
  tokens.third_party = await stack.token({
    sub: 'b',
    name: '银行',
    role: 'third_party',
    subjectId: '91130900MA0CNB7K2J',
  });
  // the department handles this subject (逢办必查), so its credit file is open to it
  await stack.call('POST', '/api/v1/departments/me/checks', {
    token: tokens.department,
    body: { subjectId: USCC, matter: 'tax_incentive' },
  });
});
afterAll(() => stack.stop());

it('covers every route of the app', async () => {
  const doc = (await stack.call('GET', '/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
  const actual = Object.entries(doc.paths)
    .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p.replace('/api/v1', '')}`))
    .sort();
  const concrete = (p: string) =>
    p
      .split('?')[0]
      .replace(TASK, '{taskId}')
      .replace(E, '{entryId}')
      .replace(CASE_O, '{caseId}')
      .replace(CASE_R, '{caseId}')
      .replace(CHECK, '{checkId}')
      .replace(IMPORT, '{importId}')
      .replace(REPORT, '{reportNo}')
      .replace(RECORD, '{recordId}')
      .replace(AUTH, '{authorisationId}')
      .replace(NOTICE, '{noticeNo}')
      .replace(BATCH, '{batchId}')
      .replace(FEEDBACK, '{batchId}')
      .replace(/credit-files\/\d+$/, 'credit-files/{subjectId}')
      .replace(/agencies\/\d+(?=\/|$)/, 'agencies/{uscc}')
      .replace('/calendar/2027', '/calendar/{year}')
      .replace('/organisations/botou', '/organisations/{orgId}')
      .replace('/measure-suspensions/tax.no-bid/', '/measure-suspensions/{measureId}/')
      .replace('/editions/tax/', '/editions/{departmentId}/')
      .replace(/\/editions\/(\{departmentId\}\/)?7/, (_m, d) => `/editions/${d ?? ''}{number}`);
  expect(EXPECTED.map(([m, p]) => `${m} ${concrete(p)}`).sort()).toEqual(actual);
});

describe.each(EXPECTED)('%s %s', (method, path, allowed) => {
  it.each([...ROLES, 'none' as const])('as %s', async (role) => {
    const r = await stack.call(method.toUpperCase(), `/api/v1${path}`, {
      token: role === 'none' ? undefined : tokens[role],
      body: method === 'post' || method === 'put' ? {} : undefined,
    });
    if (allowed.includes('public') || (role !== 'none' && allowed.includes(role))) {
      expect([401, 403]).not.toContain(r.status);
      expect(r.status).toBeLessThan(500);
    } else {
      expect(r.status).toBe(role === 'none' ? 401 : 403);
    }
  });
});
