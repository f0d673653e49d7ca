/**
 * End-to-end: real headless Chromium (Debian's, via playwright-core) against the pages served by the
 * app, on real Temporal and MongoDB. Signs in as each role and walks the main flows. With
 * XINLIAN_SCREENSHOTS=<dir> it also saves the screenshots shown in the README (npm run screenshots).
 */
import type { Browser, Page } from 'playwright-core';
import { devAccounts } from '../../infra/dev-credentials';
import { seedDemo } from '../../infra/demo-data';
import { benchUscc } from '../../bench/subjects';
import { loadCatalogue } from '../../measures/catalogue';
import { ListingModel, TaskModel } from '../../db/models';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { daysFromToday, listingBody } from '../support/fixtures';
import { eventually } from '../support/eventually';
import { launchBrowser, newPage, screenshot, switchAccount, unlabelledControls } from './browser';

let stack: ApiStack;
let browser: Browser;
let page: Page;
const errors: string[] = [];
const tokens: Record<string, string> = {};

const newUscc = () => benchUscc(Math.floor(Math.random() * 1e9));
const SUBJECT = newUscc();

beforeAll(async () => {
  const accounts = devAccounts(loadCatalogue());
  stack = await startApiStack('e2e', undefined, { devAccounts: accounts });
  for (const a of accounts) tokens[a.id] = await stack.tokens.issue(a.principal);
  await seedDemo(`${stack.base}/api/v1`, tokens, () => {});
  // every seeded listing whose notice was served has taken effect (one is seeded inside its notice period)
  await eventually(async () => expect(await ListingModel.countDocuments({ status: 'notice' })).toBe(1), 30_000);
  browser = await launchBrowser();
  page = await newPage(browser, errors);
  page.on('dialog', (d) => void d.accept());
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

afterEach(() => {
  // a script error or failed asset on any page fails the test that caused it
  expect(errors).toEqual([]);
  errors.length = 0;
});

test('sign-in page offers the development accounts and refuses a bad token', async () => {
  await page.goto(`${stack.base}/`);
  await page.evaluate('sessionStorage.clear()'); // signed out, whoever signed in before
  await page.reload();
  await page.getByRole('heading', { name: '开发账号登录', exact: true }).waitFor();
  await screenshot(page, 'login');
  await page.getByLabel('访问令牌').fill('not-a-token');
  await page.getByRole('button', { name: '使用令牌登录' }).click();
  await page.getByRole('alert').filter({ hasText: '令牌无效或已过期' }).waitFor();
  expect(await unlabelledControls(page)).toEqual([]);
});

test('office: the dashboard shows the listings, tasks and cases with charts', async () => {
  await switchAccount(page, stack.base, 'office');
  await page.getByRole('heading', { name: '工作台', exact: true }).waitFor();
  const active = await ListingModel.countDocuments({ status: 'active' });
  const stat = page.locator('.stat').filter({ hasText: '生效中的名单条目' }).locator('.stat-value');
  await expect(stat.textContent()).resolves.toBe(String(active));
  expect(await page.locator('canvas').count()).toBeGreaterThanOrEqual(2);
  await page.getByRole('heading', { name: '即将到期的异议与修复', exact: true }).waitFor();
  await page.locator('table').filter({ hasText: '914403001922038216' }).waitFor();
  await screenshot(page, 'office-dashboard');
});

test('office: a wrong identifier is shown at its field, nothing listed; a right one starts the listing', async () => {
  await switchAccount(page, stack.base, 'office');
  await page.goto(`${stack.base}/#/office/listings/new`);
  await page.getByLabel('名单类别').selectOption('major_tax_violation');
  await page.getByLabel('失信程度').selectOption('serious');
  await page.getByLabel('统一社会信用代码').fill(SUBJECT.slice(0, 17) + (SUBJECT[17] === '0' ? '1' : '0'));
  await page.getByLabel('名称 / 姓名').fill('沧州市端到端测试有限公司');
  await page.getByLabel('认定单位').fill('国家税务总局沧州市税务局');
  await page.getByLabel('决定文书号').fill('沧税稽罚〔2026〕E2E号');
  await page.getByLabel('决定日期').fill(daysFromToday(-30));
  await page.getByLabel('认定依据（文件）').fill('《重大税收违法失信主体信息公布管理办法》');
  await page.getByLabel('认定事实与理由').fill('虚开增值税专用发票，情节严重');
  await page.getByLabel('事前告知书送达日期').fill(daysFromToday(-30));
  await page.getByLabel('拟生效日期').fill(daysFromToday(-1));
  await page.getByLabel('有效期至（含）').fill(daysFromToday(365));
  expect(await unlabelledControls(page)).toEqual([]);
  await page.getByRole('button', { name: '提交并启动名单流程' }).click();
  await page.locator('.field-error').filter({ hasText: '校验' }).waitFor();
  expect(await ListingModel.countDocuments({ subjectId: SUBJECT })).toBe(0);
  await screenshot(page, 'office-new-listing-error');

  await page.getByLabel('统一社会信用代码').fill(SUBJECT);
  await page.getByRole('button', { name: '提交并启动名单流程' }).click();
  await page.waitForURL(/#\/office\/listings\/E[0-9a-f]{20}$/);
  await page.getByRole('heading', { name: /沧州市端到端测试有限公司/ }).waitFor();
  // the workflow fans out: department tasks and their timeline entries appear without a reload
  await page.getByRole('heading', { name: /部门任务（[1-9]\d*）/ }).waitFor({ timeout: 60_000 });
  await page.locator('ol.timeline').getByText('任务分派').first().waitFor();
  await page.locator('dl.facts').getByText('生效中').waitFor({ timeout: 60_000 });
  await screenshot(page, 'office-listing-detail');
});

test('department: acknowledges the new task, reports feedback, checks the subject before a matter', async () => {
  // a listing of its own, made through the API, fanned out to the tax bureau
  const DEPT_SUBJECT = newUscc();
  const NAME = '沧州市签收测试有限公司';
  const listed = await stack.call('POST', '/api/v1/office/listings', {
    token: tokens.office,
    body: listingBody({ subject: { type: 'enterprise', uscc: DEPT_SUBJECT, name: NAME } }),
  });
  expect(listed.status).toBe(201);
  await eventually(async () => {
    expect(await TaskModel.countDocuments({ entryId: listed.body.entryId, departmentId: 'tax' })).toBe(1);
  }, 60_000);
  await switchAccount(page, stack.base, 'tax');
  await page.getByRole('heading', { name: /待办任务/ }).waitFor();
  const card = page.locator('article.task').filter({ hasText: NAME });
  await card.waitFor();
  await screenshot(page, 'department-inbox');
  await card.getByRole('button', { name: '签收' }).click();
  await card.waitFor({ state: 'detached' }); // acknowledged: it leaves the pending list
  await page.getByRole('button', { name: '已签收' }).click();
  const acked = page.locator('article.task').filter({ hasText: NAME });
  await acked.getByRole('button', { name: '反馈执行情况' }).click();
  await acked.getByLabel('行政事项').selectOption('tax_incentive');
  await acked.getByLabel('执行结果').fill('已停止其享受税收优惠政策');
  await acked.getByRole('button', { name: '提交反馈' }).click();
  await acked.getByText('已反馈 1 次').waitFor();

  await page.getByRole('link', { name: '逢办必查' }).click();
  await page.getByLabel('统一社会信用代码 / 身份证号').fill(DEPT_SUBJECT);
  await page.getByLabel('办理事项（领域）').selectOption('tax_incentive');
  await page.getByRole('button', { name: '核查', exact: true }).click();
  await page.getByText(/命中 1 条名单记录/).waitFor();
  expect(await page.locator('form[aria-label="措施执行填报"] tbody tr').count()).toBeGreaterThan(0);
  const first = page.locator('form[aria-label="措施执行填报"] tbody tr').first();
  await first.getByRole('checkbox').uncheck();
  await first.getByRole('textbox').fill('本次办理不涉及该措施');
  await screenshot(page, 'department-check');
  await page.getByRole('button', { name: '提交执行情况' }).click();
  await page.getByText('执行情况已记录。').waitFor();
  await page.locator('table').filter({ hasText: '已填报' }).waitFor();
  expect(await unlabelledControls(page)).toEqual([]);

  // batch: the new subject hits, a never-listed one does not
  await page.getByText('批量核查', { exact: true }).click();
  await page.getByLabel('主体代码（每行一个，或用逗号分隔）').fill(`${DEPT_SUBJECT}\n${newUscc()}`);
  await page.getByLabel('批量核查事项（领域）').selectOption('tax_incentive');
  await page.getByRole('button', { name: '核查 2 个主体' }).click();
  await page.getByText(/共核查 2 个主体，命中 1 个/).waitFor();
  const batch = page.locator('details').filter({ hasText: '批量核查' });
  await batch.getByRole('button', { name: `填报 ${DEPT_SUBJECT}` }).click();
  await batch.getByRole('button', { name: '提交执行情况' }).click();
  await batch.getByText('执行情况已记录。').waitFor();

  await page.getByRole('link', { name: '本部门考核' }).click();
  await page.locator('.stat').filter({ hasText: '核查次数' }).waitFor();
  const checks = Number(
    await page.locator('.stat').filter({ hasText: '核查次数' }).locator('.stat-value').textContent(),
  );
  expect(checks).toBeGreaterThanOrEqual(1);
});

test('subject: sees its records, files an objection with its deadline, follows it; authority decides', async () => {
  await switchAccount(page, stack.base, 'subject-demo');
  await page.getByRole('heading', { name: '我的信用记录', exact: true }).waitFor();
  const serious = page.locator('article').filter({ hasText: '严重' }).filter({ hasText: '生效中' }).first();
  await serious.waitFor();
  await screenshot(page, 'subject-records');
  await serious.getByRole('button', { name: '提出异议' }).click();
  await serious.getByLabel('异议理由').fill('该笔发票业务真实发生，已提交合同与付款凭证');
  await serious.getByRole('button', { name: '提交异议' }).click();
  await serious.getByText(/异议已提交（编号 O[0-9a-f]{20}）/).waitFor();
  await page.getByRole('link', { name: '我的申请' }).click();
  await page.locator('article.case').first().waitFor();
  expect(await page.locator('article.case').filter({ hasText: '核查中' }).count()).toBe(2);
  await page
    .locator('article.case')
    .filter({ hasText: '核查中' })
    .first()
    .getByText(/剩 \d+ 天/)
    .waitFor();
  await screenshot(page, 'subject-cases');

  await switchAccount(page, stack.base, 'authority-tax');
  await page.getByRole('heading', { name: /异议与修复办理/ }).waitFor();
  const caseCard = page.locator('article.case').filter({ hasText: '核查中' }).first();
  await caseCard.getByLabel('结论').selectOption('rejected');
  await caseCard.getByLabel('处理理由').fill('经核查，认定事实清楚，证据确凿');
  await screenshot(page, 'authority-cases');
  const caseId = (await caseCard.locator('h2 code').textContent())!;
  await caseCard.getByRole('button', { name: '作出决定' }).click();
  // the decided case leaves the authority's open list; the subject sees the decision
  await page.waitForFunction(
    (id) =>
      ![
        ...(
          globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<{ textContent: string }> } }
        ).document.querySelectorAll('article.case h2 code'),
      ].some((c) => c.textContent === id),
    caseId,
  );
  const mine = await stack.call('GET', `/api/v1/subjects/me/cases/${caseId}`, { token: tokens['subject-demo'] });
  expect(mine.body).toMatchObject({
    status: 'rejected',
    decision: { outcome: 'rejected', reasons: '经核查，认定事实清楚，证据确凿' },
  });
});

test('office: supervision figures per department with a CSV export', async () => {
  await switchAccount(page, stack.base, 'office');
  await page.goto(`${stack.base}/#/office/supervision`);
  const taxRow = page.locator('table.figures tbody tr').filter({ hasText: '沧州市税务局' });
  await taxRow.waitFor();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出 CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^督查考核_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
  await screenshot(page, 'office-supervision');
});

test('office: imports a file through the page and watches it finish, each refused row with its reason', async () => {
  await switchAccount(page, stack.base, 'office');
  await page.goto(`${stack.base}/#/office/imports`);
  await page.getByRole('heading', { name: '批量导入名单', exact: true }).waitFor();
  const header =
    '名单类型,名单类别,失信程度,主体类型,主体名称,统一社会信用代码/身份证号,认定单位,认定依据,决定文书号,决定日期,事由,告知书送达日期,生效日期,有效期至';
  const row = (code: string, n: number) =>
    [
      '黑名单',
      '重大税收违法失信主体',
      '严重',
      '企业',
      `沧州市导入测试${n}有限公司`,
      code,
      '国家税务总局沧州市税务局',
      '《重大税收违法失信主体信息公布管理办法》第六条',
      `沧税稽罚〔2026〕IMP${n}号`,
      daysFromToday(-30),
      '虚开增值税专用发票',
      daysFromToday(-30),
      daysFromToday(-1),
      daysFromToday(365),
    ].join(',');
  const good = Array.from({ length: 30 }, (_, i) => row(newUscc(), i));
  const bad = row('91130900MA0000000X', 99); // wrong check character
  const csv = [header, ...good.slice(0, 10), bad, ...good.slice(10)].join('\n');
  await page
    .locator('#import-file')
    .setInputFiles({ name: '第一批名单.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await page.getByRole('button', { name: '开始导入' }).click();
  await page.waitForURL(/#\/office\/imports\/[^/]+$/);
  await page.getByRole('heading', { name: '导入：第一批名单.csv', exact: true }).waitFor();
  await page.getByText(/导入完成：30 行已启动名单流程（新列入 30，已存在 0），拒绝 1 行/).waitFor({ timeout: 60_000 });
  const refused = page.locator('table').filter({ hasText: '原因' }).locator('tbody tr');
  expect(await refused.count()).toBe(1);
  await expect(refused.first().locator('td').first().textContent()).resolves.toBe('12'); // header is line 1
  expect(await refused.first().textContent()).toContain('统一社会信用代码');
  await screenshot(page, 'office-import');
  expect(await ListingModel.countDocuments({ 'request.subject.name': /^沧州市导入测试/ })).toBe(30);
});

test('keyboard: the skip link and the navigation are reachable by Tab', async () => {
  await switchAccount(page, stack.base, 'office');
  await page.goto(`${stack.base}/#/office`);
  await page.reload();
  await page.getByRole('heading', { name: '工作台', exact: true }).waitFor();
  await page.keyboard.press('Tab');
  expect(await page.evaluate('document.activeElement?.textContent')).toBe('跳到主要内容');
  await page.keyboard.press('Enter'); // the skip link focuses the main region and stays on the page
  expect(await page.evaluate('document.activeElement?.id')).toBe('main');
  await page.getByRole('heading', { name: '工作台', exact: true }).waitFor();
  await page.reload();
  await page.getByRole('heading', { name: '工作台', exact: true }).waitFor();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  expect(await page.evaluate('document.activeElement?.textContent')).toBe('名单条目');
  // focus is on the main region the moment the new page is in the document, not a frame later: record it
  // from a MutationObserver, which runs right after the render (and its layout effects), before any later task
  await page.evaluate(`new MutationObserver((_, observer) => {
    if (![...document.querySelectorAll('h1')].some((h) => h.textContent === '名单条目')) return;
    window.focusWhenShown = document.activeElement?.id ?? '';
    observer.disconnect();
  }).observe(document.getElementById('main'), { childList: true, subtree: true })`);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: '名单条目', exact: true }).waitFor();
  expect(await page.evaluate('document.activeElement?.id')).toBe('main'); // focus follows the navigation
  expect(await page.evaluate('window.focusWhenShown')).toBe('main');
});
