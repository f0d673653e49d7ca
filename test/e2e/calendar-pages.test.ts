/**
 * Browser tests of the office's 工作日历 and 期限配置 pages (real Chromium, real servers): a refused
 * arrangement shows the reason at its field, the preview shows the months beside the package, saving
 * covers the year; a zero period is refused at its field, a valid one is listed.
 */
import type { Browser, Page } from 'playwright-core';
import { devAccounts } from '../../infra/dev-credentials';
import { loadCatalogue } from '../../measures/catalogue';
import mongoose from 'mongoose';
import { ARRANGEMENTS, calendarSync } from '../../db/calendar-store';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { daysFromToday, today } from '../support/fixtures';
import { launchBrowser, newPage, signIn } from './browser';

let stack: ApiStack;
let browser: Browser;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  stack = await startApiStack('e2e_calendar', undefined, { devAccounts: devAccounts(loadCatalogue()) });
  browser = await launchBrowser();
  page = await newPage(browser, errors);
  await signIn(page, stack.base, 'office');
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});
afterEach(() => {
  expect(errors).toEqual([]);
  errors.length = 0;
});

// each case starts with no arrangement entered by the office, whatever ran before it
beforeEach(async () => {
  await mongoose.connection.db!.collection(ARRANGEMENTS).deleteMany({});
  await calendarSync().reload();
});

test('the dashboard warns from 1 November while next year is not covered', async () => {
  await page.goto(`${stack.base}/#/office`);
  await page.getByRole('heading', { name: '工作台', exact: true }).waitFor();
  const dashboard = await stack.call('GET', '/api/v1/office/dashboard', {
    token: await stack.token({ sub: 'o', name: '信用办', role: 'office' }),
  });
  const warning = dashboard.body.calendar?.warning as string | undefined;
  // the package (chinese-days) holds no 2027: in November and December 2026 the warning must be there
  if (today >= '2026-11-01' && today <= '2026-12-31') expect(warning).toContain('2027年');
  const alert = page.getByRole('alert').filter({ hasText: '节假日安排尚未录入' });
  if (warning) await expect(alert.textContent()).resolves.toContain(warning);
  else expect(await alert.count()).toBe(0);
});

test('the office enters the 2027 arrangement: refusal at the field, preview, save', async () => {
  await page.goto(`${stack.base}/#/office/calendar`);
  await page.getByRole('heading', { name: '工作日历', exact: true }).waitFor();
  await page.getByRole('combobox', { name: /年份/ }).selectOption('2027');
  await page.getByText('2027年：未覆盖（期限为临时期限）').waitFor();
  await page.getByLabel('通知文号').fill('国办发明电〔2026〕99号');
  await page.getByLabel('印发日期').first().fill('2026-11-05');
  await page.getByLabel('第1段 节日').fill('春节');
  await page.getByLabel('第1段 首日').fill('2027-02-06');
  await page.getByLabel('第1段 末日').fill('2027-02-14');
  await page.getByLabel(/调休上班日/).fill('2027-02-22');
  await page.getByRole('button', { name: '预览各月工作日' }).click();
  await page.getByText('调休上班日应为周六或周日，2027-02-22 是星期一').first().waitFor();

  await page.getByLabel(/调休上班日/).fill('2027-02-20');
  await page.getByRole('button', { name: '预览各月工作日' }).click();
  const preview = page.getByRole('table', { name: '预览：按本次录入计算的各月工作日数' });
  await preview.waitFor();
  // February 2027: 20 weekdays, 5 in the Spring Festival, Sat 20 Feb worked; the package has no 2027
  await expect(preview.getByRole('row', { name: /^2月/ }).textContent()).resolves.toBe('2月16无数据');

  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存为第1版，正在重新计算受影响的在办期限').waitFor();
  await page.getByText(/2027年：已覆盖/).waitFor();
  const r = await stack.call('GET', '/api/v1/calendar/2027', {
    token: await stack.token({ sub: 'x', name: 'x', role: 'auditor' }),
  });
  expect(r.body).toMatchObject({ covered: true, source: 'office', version: 1, workdays: ['2027-02-20'] });
});

test('the office adds a period: zero refused at the field, a valid row listed', async () => {
  await page.goto(`${stack.base}/#/office/periods`);
  await page.getByRole('heading', { name: '期限配置', exact: true }).waitFor();
  await page.getByRole('combobox', { name: '期限', exact: true }).selectOption('objection.verifyPeriod');
  await page.getByLabel('新数值').fill('0');
  await page.getByLabel('生效日期').fill(daysFromToday(30));
  await page.getByLabel('决定文件名称').fill('关于调整异议核查时限的通知');
  await page.getByLabel('文号').fill('沧信用办〔2026〕9号');
  await page.getByRole('button', { name: '保存' }).click();
  await page.locator('.field-error', { hasText: '期限须为正数' }).waitFor();

  await page.getByLabel('新数值').fill('9');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText(`已新增：异议核查时限（工作日） 9个工作日，自${daysFromToday(30)}起适用`).waitFor();
  await page.getByRole('cell', { name: '信用办录入（信用办（开发账号））' }).waitFor();
});
