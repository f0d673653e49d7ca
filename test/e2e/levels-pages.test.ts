/**
 * Browser tests of the pages across levels (real Chromium, real servers, the dev accounts of `npm start`):
 * 泊头市信用办 lists a subject of its region and sees the county's and the city's departments' tasks and
 * only its own listings; the county tax bureau finds the task in its inbox; the city office sees both in
 * 分级考核 and changes a county in 组织机构, a refusal shown at its field.
 */
import type { Browser, Page } from 'playwright-core';
import { devAccounts } from '../../infra/dev-credentials';
import { loadCatalogue } from '../../measures/catalogue';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { daysFromToday, listingBody } from '../support/fixtures';
import { launchBrowser, newPage, switchAccount } from './browser';

let stack: ApiStack;
let browser: Browser;
let page: Page;
const errors: string[] = [];
const SUBJECT = '9144030071526726XG';

beforeAll(async () => {
  stack = await startApiStack('e2e_levels', undefined, { devAccounts: devAccounts(loadCatalogue()) });
  browser = await launchBrowser();
  page = await newPage(browser, errors);
  // a city listing the county office must not see
  const office = await stack.token({ sub: 'o', name: '市信用办', role: 'office' });
  const city = await stack.call('POST', '/api/v1/office/listings', { token: office, body: listingBody() });
  expect(city.status).toBe(201);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});
afterEach(() => {
  expect(errors).toEqual([]);
  errors.length = 0;
});

test('a county office lists a subject; its department gets the task; the city office sees both levels', async () => {
  // county office: lists a subject of its region; the county's and the city's departments get tasks
  {
    await switchAccount(page, stack.base, 'county-office-botou');
    await page.getByRole('heading', { name: '名单条目', exact: true }).waitFor();
    await page.getByRole('link', { name: '列入名单' }).click();
    await page.getByLabel('名单类别').selectOption('major_tax_violation');
    await page.getByLabel('失信程度').selectOption('serious');
    await page.getByLabel('统一社会信用代码').fill(SUBJECT);
    await page.getByLabel('名称 / 姓名').fill('泊头市端到端测试有限公司');
    // the region is the county's own, and cannot be changed
    const region = page.getByLabel('注册地');
    await expect(region.inputValue()).resolves.toBe('botou');
    await expect(region.isDisabled()).resolves.toBe(true);
    await page.getByLabel('认定单位').fill('泊头市市场监督管理局');
    await page.getByLabel('决定文书号').fill('泊市监罚〔2026〕E2E号');
    await page.getByLabel('决定日期').fill(daysFromToday(-30));
    await page.getByLabel('认定依据（文件）').fill('《重大税收违法失信主体信息公布管理办法》');
    await page.getByLabel('认定事实与理由').fill('虚开增值税专用发票，情节严重');
    await page.getByLabel('事前告知书送达日期').fill(daysFromToday(-30));
    await page.getByLabel('拟生效日期').fill(daysFromToday(-1));
    await page.getByLabel('有效期至（含）').fill(daysFromToday(365));
    await page.getByRole('button', { name: '提交并启动名单流程' }).click();
    await page.waitForURL(/#\/office\/listings\/E[0-9a-f]{20}$/);
    // 14 city departments and the county's 6
    await page.getByRole('heading', { name: '部门任务（20）' }).waitFor({ timeout: 60_000 });
    await page.getByText('国家税务总局泊头市税务局').first().waitFor();
    await page.getByText('沧州市税务局').first().waitFor();

    await page.getByRole('link', { name: '名单条目', exact: true }).click();
    const rows = page.locator('table tbody tr');
    await rows.first().waitFor();
    await expect(rows.count()).resolves.toBe(1);
    await expect(rows.first().textContent()).resolves.toContain('泊头市端到端测试有限公司');
  }

  // county department: the task is in its inbox
  {
    await switchAccount(page, stack.base, 'botou-tax');
    await page.getByRole('heading', { name: /待办任务/ }).waitFor();
    await page.locator('article.task').filter({ hasText: '泊头市端到端测试有限公司' }).waitFor();
  }

  // city office: listings by region, 分级考核 of the city and each region, 组织机构 refusing at the field
  {
    await switchAccount(page, stack.base, 'office');
    // 名单条目: both listings, and the county's alone when narrowed to it
    const rows = page.locator('table tbody tr');
    await page.goto(`${stack.base}/#/office/listings`);
    await page.getByRole('heading', { name: '名单条目', exact: true }).waitFor();
    await page.getByText('共 2 条').waitFor();
    await page.getByRole('combobox', { name: '注册地' }).selectOption('botou');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByText('共 1 条').waitFor();
    await expect(rows.first().textContent()).resolves.toContain('泊头市端到端测试有限公司');

    await page.goto(`${stack.base}/#/office/levels`);
    await page.getByRole('heading', { name: '分级督查考核', exact: true }).waitFor();
    await page.locator('canvas').first().waitFor(); // the chart draws after the figures arrive
    expect(await page.locator('canvas').count()).toBe(1);
    const regions = page.locator('.card').filter({ hasText: '各县（市、区）和园区' });
    await expect(
      regions
        .getByRole('row', { name: /^泊头市/ })
        .locator('td')
        .first()
        .textContent(),
    ).resolves.toBe('6');
    await page.getByRole('combobox', { name: '地区' }).selectOption('botou');
    await page.getByRole('heading', { name: '泊头市各单位', exact: true }).waitFor();

    await page.goto(`${stack.base}/#/office/organisations`);
    await page.getByRole('heading', { name: '组织机构', exact: true }).waitFor();
    await page.getByRole('row', { name: /孟村回族自治县/ }).waitFor();
    await page.getByRole('button', { name: '修改泊头市' }).click();
    const form = page.getByRole('form', { name: '修改泊头市' });
    await form.getByRole('button', { name: '添加部门' }).click();
    await form.getByLabel('部门 7 编号').fill('tax');
    await form.getByLabel('部门 7 名称').fill('泊头市交通运输局');
    await form.getByLabel('部门 7 措施清单').selectOption('transport');
    await form.getByRole('button', { name: '保存' }).click();
    await form.locator('.field-error', { hasText: '部门编号 tax 已被“沧州市沧州市税务局”使用' }).waitFor();

    await form.getByLabel('部门 7 编号').fill('botou-transport');
    await form.getByRole('button', { name: '保存' }).click();
    await page.getByText('已保存：泊头市（第 2 版）').waitFor();
    await page.getByRole('row', { name: /泊头市交通运输局/ }).waitFor();
  }
}, 240_000);
