/**
 * Browser tests of the credit service agency directory (real Chromium, real servers): the office
 * registers an agency (a 征信 agency without its filing is refused at the field), recommends it with a
 * reason and sees the change in its history; the public page, without signing in, lists it by kind.
 */
import type { Browser, Page } from 'playwright-core';
import { devAccounts } from '../../infra/dev-credentials';
import { loadCatalogue } from '../../measures/catalogue';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { freshUscc } from '../support/agencies';
import { today } from '../support/fixtures';
import { launchBrowser, newPage, screenshot, signIn, unlabelledControls } from './browser';

let stack: ApiStack;
let browser: Browser;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  stack = await startApiStack('e2e_agencies', undefined, { devAccounts: devAccounts(loadCatalogue()) });
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

test('the office registers an agency, is told at the field what is missing, and recommends it', async () => {
  const uscc = freshUscc();
  await signIn(page, stack.base, 'office');
  await page.goto(`${stack.base}/#/office/agencies`);
  await page.getByRole('heading', { name: '信用服务机构名录', exact: true }).waitFor();
  const form = page.getByRole('form', { name: '登记机构' });
  await page
    .getByRole('table', { name: /各机构报告的使用次数/ })
    .or(page.getByText('该期间没有可统计的机构'))
    .waitFor();
  expect(await unlabelledControls(page)).toEqual([]);
  await form.getByLabel('统一社会信用代码').fill(uscc);
  await form.getByLabel('机构名称').fill('沧州页面测试征信有限公司');
  await form.getByLabel('服务内容').fill('企业征信报告\n信用评估');
  await form.getByLabel('联系电话').fill('0317-2021234');
  await form.getByRole('button', { name: '登记' }).click();
  // a 征信 agency must have filed with a PBOC branch: the reason is shown at the filing field
  await form.getByText('征信机构须填写企业征信机构备案的备案机关').first().waitFor();
  await expect(form.getByLabel('备案机关').getAttribute('aria-invalid')).resolves.toBe('true');
  await form.getByLabel('备案机关').fill('中国人民银行河北省分行');
  await form.getByLabel('备案号').fill('冀0099');
  await form.getByRole('button', { name: '登记' }).click();
  await page.getByRole('status').filter({ hasText: '已登记：沧州页面测试征信有限公司（待评审）' }).waitFor();

  await page.getByRole('link', { name: '沧州页面测试征信有限公司' }).click();
  await page.getByRole('heading', { name: '沧州页面测试征信有限公司', exact: true }).waitFor();
  await page.getByText('中国人民银行河北省分行 · 备案号 冀0099').waitFor();
  const change = page.getByRole('form', { name: '变更推荐状态' });
  await change.getByLabel('新状态').selectOption('recommended');
  await change.getByLabel('理由').fill('经评审符合推荐条件');
  await change.getByRole('button', { name: '保存' }).click();
  await page.getByRole('status').filter({ hasText: '已变更为：推荐' }).waitFor();
  expect(await unlabelledControls(page)).toEqual([]);
  await screenshot(page, 'office-agency-detail');
  const history = page.getByRole('table', { name: '推荐状态变更记录' });
  await history.getByRole('row').filter({ hasText: '经评审符合推荐条件' }).waitFor();
  await expect(history.getByRole('row').nth(1).innerText()).resolves.toBe(
    `${today}\t待评审 → 推荐\t经评审符合推荐条件\t信用办（开发账号）`,
  );
  await page.getByRole('button', { name: '退出' }).click();

  // the public page, signed out: the agency is listed under its kind, and not under another
  await page.goto(`${stack.base}/agencies`);
  await page.getByRole('heading', { name: '信用服务机构推荐名录' }).waitFor();
  await page.getByLabel('机构类别').selectOption('credit_reporting');
  await page.getByRole('button', { name: '筛选' }).click();
  await page.waitForURL(/kind=credit_reporting/);
  const row = page.getByRole('row').filter({ hasText: uscc });
  await expect(row.innerText()).resolves.toContain('沧州页面测试征信有限公司');
  await expect(row.innerText()).resolves.toContain('备案号 冀0099');
  expect(await unlabelledControls(page)).toEqual([]);
  await screenshot(page, 'public-agencies');
  await page.getByLabel('机构类别').selectOption('credit_rating');
  await page.getByRole('button', { name: '筛选' }).click();
  await page.waitForURL(/kind=credit_rating/);
  expect(await page.getByRole('row').filter({ hasText: uscc }).count()).toBe(0);
});
