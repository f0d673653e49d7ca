/**
 * End-to-end (Debian's headless Chromium, real Temporal and MongoDB): the credit file and credit report
 * pages of every role — the subject's file, report request, authorisations and who requested; the third
 * party's report under an authorisation; the department's file and report from the check page and its
 * batch; the office's file, report list and withdrawal; the public verification page.
 */
import type { Browser, Page } from 'playwright-core';
import { devAccounts } from '../../infra/dev-credentials';
import { loadCatalogue } from '../../measures/catalogue';
import { CreditReportModel } from '../../db/credit-reports';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { daysFromToday } from '../support/fixtures';
import { launchBrowser, newPage, screenshot, switchAccount, unlabelledControls } from './browser';

const USCC = '914403001922038216';
const NAME = '示例科技有限公司';

let stack: ApiStack;
let browser: Browser;
let page: Page;
const errors: string[] = [];
const tokens: Record<string, string> = {};

/** A general penalty of the subject's, delivered by the tax bureau, decided `daysAgo` days ago. */
const penalty = (sourceRecordId: string, number: string, daysAgo: number, title: string, more: object) => ({
  recordClass: 'administrative_penalty',
  sourceRecordId,
  subject: { type: 'enterprise', uscc: USCC, name: NAME },
  decisionDocument: { number, date: daysFromToday(-daysAgo) },
  title,
  severity: 'general',
  ...more,
});

beforeAll(async () => {
  const accounts = devAccounts(loadCatalogue());
  stack = await startApiStack('e2e_credit', undefined, { devAccounts: accounts });
  for (const a of accounts) tokens[a.id] = await stack.tokens.issue(a.principal);
  const r = await stack.call('POST', '/api/v1/departments/me/credit-records/batch', {
    token: tokens.tax,
    body: {
      records: [
        penalty('E2E-PEN-1', '沧税罚〔2026〕88号', 20, '未按期申报', { penalty: '罚款人民币一千元' }),
        penalty('E2E-PEN-OLD', '沧税罚〔2025〕3号', 300, '逾期申报', { publicityUntil: daysFromToday(-100) }),
      ],
    },
  });
  expect(r.status).toBe(200);
  browser = await launchBrowser();
  page = await newPage(browser, errors);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

afterEach(() => {
  expect(errors).toEqual([]);
  errors.length = 0;
});

test('subject: the credit file shows public information and the archive, marked', async () => {
  await switchAccount(page, stack.base, 'subject-demo');
  await page.getByRole('link', { name: '我的信用档案' }).click();
  await page.getByRole('heading', { name: '我的信用档案', exact: true }).waitFor();
  const pub = page.locator('table').filter({ hasText: '公示中的信息（' });
  await pub.getByText('沧税罚〔2026〕88号').waitFor();
  const archive = page.locator('table').filter({ hasText: '档案信息（' });
  await archive.locator('tr').filter({ hasText: '沧税罚〔2025〕3号' }).getByText('公示期满').waitFor();
  expect(await unlabelledControls(page)).toEqual([]);
  await screenshot(page, 'subject-credit-file');
});

test('subject: objects to a credit record in its file, which then shows 异议处理中', async () => {
  const r = await stack.call('POST', '/api/v1/departments/me/credit-records', {
    token: tokens.tax,
    body: penalty('E2E-PEN-OBJ', '沧税罚〔2026〕95号', 10, '未按期报送财务报表', { penalty: '罚款人民币五百元' }),
  });
  expect(r.status).toBe(201);
  await switchAccount(page, stack.base, 'subject-demo');
  await page.getByRole('link', { name: '我的信用档案' }).click();
  const row = page
    .locator('table')
    .filter({ hasText: '公示中的信息（' })
    .locator('tr', { hasText: '沧税罚〔2026〕95号' });
  await row.getByRole('button', { name: '对 沧税罚〔2026〕95号 提出异议' }).click();
  const form = page.getByRole('form', { name: '提出异议' });
  await form.getByLabel('异议理由').fill('该处罚决定已被复议撤销');
  await form.getByRole('button', { name: '提交异议' }).click();
  await page.getByText(/^异议已提交（编号 O/).waitFor();
  await row.getByText('异议处理中').waitFor();
  expect(await row.getByRole('button', { name: /提出异议/ }).count()).toBe(0);
  const cases = await stack.call('GET', '/api/v1/subjects/me/cases', { token: tokens['subject-demo'] });
  expect(cases.body.items.some((c: { recordId?: string }) => c.recordId === r.body.recordId)).toBe(true);
  expect(await unlabelledControls(page)).toEqual([]);
});

test('subject: requests a 专项信用报告 and sees the same content as its PDF', async () => {
  await switchAccount(page, stack.base, 'subject-demo');
  await page.getByRole('link', { name: '信用报告', exact: true }).click();
  await page.getByRole('heading', { name: '信用报告', exact: true }).waitFor();
  expect(await unlabelledControls(page)).toEqual([]);
  await page.getByLabel('用途').fill('参加政府采购投标');
  await page.getByRole('button', { name: '申请信用报告' }).click();
  await page.waitForURL(/#\/reports\/XL\d{8}-/);
  await page.getByRole('heading', { name: '专项信用报告（无违法违规记录证明版）', exact: true }).waitFor();
  await page.getByText('查询期间内，未发现该主体在“行政强制”领域的违法违规记录。').waitFor();
  await page.locator('.report-content').getByText('沧税罚〔2026〕88号').waitFor();
  await page.locator('dl.facts').getByText('有效', { exact: true }).waitFor();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '下载 PDF' }).click();
  expect((await download).suggestedFilename()).toMatch(/^XL\d{8}-.+\.pdf$/);
  await screenshot(page, 'subject-report');
});

test('subject: authorises a third party, which then obtains a report; revocation stops it', async () => {
  await switchAccount(page, stack.base, 'subject-demo');
  await page.getByRole('link', { name: '授权管理' }).click();
  await page.getByRole('heading', { name: '授权管理', exact: true }).waitFor();
  expect(await unlabelledControls(page)).toEqual([]);
  await page.getByLabel('被授权单位统一社会信用代码').fill('91130900MA0CNB7K2J');
  await page.getByLabel('被授权单位名称').fill('沧州示例银行股份有限公司');
  await page.getByLabel('授权用途').fill('办理贷款审批');
  await page.getByLabel('授权截止日期').fill(daysFromToday(400));
  await page.getByRole('button', { name: '授权', exact: true }).click();
  await page.locator('.field-error').filter({ hasText: '最长12个月' }).waitFor();
  await page.getByLabel('授权截止日期').fill(daysFromToday(30));
  await page.getByRole('button', { name: '授权', exact: true }).click();
  await page.locator('table').getByText('有效', { exact: true }).waitFor();
  await screenshot(page, 'subject-authorisations');

  await switchAccount(page, stack.base, 'third-party-bank');
  await page.getByRole('heading', { name: '授权查询', exact: true }).waitFor();
  await page.getByRole('heading', { name: NAME }).waitFor();
  expect(await unlabelledControls(page)).toEqual([]);
  await page.getByRole('button', { name: `查询${NAME}的信用报告` }).click();
  await page.waitForURL(/#\/reports\/XL/);
  await page.getByRole('heading', { name: '专项信用报告（无违法违规记录证明版）' }).waitFor();

  await switchAccount(page, stack.base, 'subject-demo');
  await page.getByRole('link', { name: '信用报告', exact: true }).click();
  await page.locator('table tr').filter({ hasText: '第三方（授权）' }).getByText('办理贷款审批').waitFor();
  await page.getByRole('link', { name: '授权管理' }).click();
  await page.getByRole('button', { name: '撤销对沧州示例银行股份有限公司的授权' }).click();
  await page.locator('table').getByText('已撤销', { exact: true }).waitFor();

  await switchAccount(page, stack.base, 'third-party-bank');
  await page.getByText('当前没有有效的授权。').waitFor();
});

test('department: from the check page to the credit file and a report; a batch for a tender', async () => {
  await switchAccount(page, stack.base, 'market-regulation');
  await page.getByRole('link', { name: '信用档案与报告' }).click();
  await page.getByLabel('主体统一社会信用代码或身份证号').fill(USCC);
  await page.getByRole('button', { name: '查看信用档案' }).click();
  await page.getByRole('alert').filter({ hasText: '逢办必查' }).waitFor();

  await page.getByRole('link', { name: '逢办必查' }).click();
  await page.getByLabel('统一社会信用代码 / 身份证号').fill(USCC);
  await page.getByLabel('办理事项（领域）').selectOption('qualification_review');
  await page.getByRole('button', { name: '核查', exact: true }).click();
  await page.getByRole('link', { name: /查看该主体的信用档案/ }).click();
  await page.locator('table').filter({ hasText: '公示中的信息（' }).getByText('沧税罚〔2026〕88号').waitFor();
  expect(await unlabelledControls(page)).toEqual([]);
  await page.getByLabel('用途').first().fill('食品经营许可审查');
  await page.getByRole('button', { name: '出具信用报告' }).click();
  await page.getByRole('status').filter({ hasText: '已出具：XL' }).waitFor();
  await screenshot(page, 'department-credit');

  await page.getByLabel('主体代码（每行一个，最多100个）').fill(USCC);
  await page.getByLabel('批量用途').fill('某工程招标投标人资格审查');
  await page.getByRole('button', { name: '批量出具' }).click();
  await page.getByRole('status').filter({ hasText: '已出具 1 份报告' }).waitFor();
  expect(await CreditReportModel.countDocuments({ 'requester.departmentId': 'market-regulation' })).toBe(2);
});

test('office: any subject’s file, the reports issued, and withdrawal with a reason', async () => {
  // a report of its own to withdraw, whatever else has been issued
  const own = await stack.call('POST', '/api/v1/subjects/me/reports', {
    token: tokens['subject-demo'],
    body: { kind: 'special' },
  });
  expect(own.status).toBe(201);
  await switchAccount(page, stack.base, 'office');
  await page.getByRole('link', { name: '信用档案', exact: true }).click();
  await page.getByLabel('统一社会信用代码或身份证号').fill(USCC);
  await page.getByRole('button', { name: '查询' }).click();
  await page.locator('table').filter({ hasText: '公示中的信息（' }).getByText('沧税罚〔2026〕88号').waitFor();
  expect(await unlabelledControls(page)).toEqual([]);

  await page.getByRole('link', { name: '信用报告', exact: true }).click();
  await page.getByRole('heading', { name: '已出具的信用报告' }).waitFor();
  const issued = await CreditReportModel.countDocuments({});
  await page.locator('table caption').getByText(`信用报告（${issued}）`).waitFor();
  await screenshot(page, 'office-reports');
  await page.locator('table tbody tr').first().getByRole('link').click();
  await page.getByRole('button', { name: '撤销报告' }).click();
  await page.locator('.field-error').filter({ hasText: '至少需要 2 个字' }).waitFor();
  await page.getByLabel('撤销理由').fill('申请人身份核验有误，误出具');
  await page.getByRole('button', { name: '撤销报告' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: '由 信用办（开发账号） 撤销：申请人身份核验有误，误出具' })
    .waitFor();
  await page.locator('dl.facts').getByText('已撤销', { exact: true }).waitFor();
  await expect(page.getByRole('button', { name: '撤销报告' }).count()).resolves.toBe(0);

  const reportNo = /#\/reports\/(.+)$/.exec(page.url())![1];
  await page.goto(`${stack.base}/verify/${reportNo}`);
  await page.getByRole('heading', { name: '信用报告验证' }).waitFor();
  await page.getByRole('status').filter({ hasText: '已撤销' }).waitFor();
  await screenshot(page, 'verify-page');
});
