/**
 * Browser tests of the notices (real Chromium, real servers): the subject sees the two notices of its
 * listing on 我的信用记录 with the objection deadline and downloads the PDF, whose text names it; the
 * office sees the serving record on the listing, opens the print view of the prior notice (the same
 * words as the PDF) and downloads the PDF.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { devAccounts } from '../../infra/dev-credentials';
import { loadCatalogue } from '../../measures/catalogue';
import { cnDate } from '../../domain/notice';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { listingBody, today } from '../support/fixtures';
import { pdfText } from '../support/pdf-tools';
import { launchBrowser, newPage, switchAccount } from './browser';

const USCC = '914403001922038216';
const NAME = '示例科技有限公司';

let stack: ApiStack;
let browser: Browser;
let page: Page;
const errors: string[] = [];
let entryId: string;
let deadline: string;

beforeAll(async () => {
  stack = await startApiStack('e2e_notices', undefined, { devAccounts: devAccounts(loadCatalogue()) });
  const office = await stack.token({ sub: 'o', name: '信用办张科长', role: 'office' });
  const { noticeServedOn: _n, ...body } = listingBody({
    subject: { type: 'enterprise', uscc: USCC, name: NAME },
    effectiveDate: today,
  });
  const r = await stack.call('POST', '/api/v1/office/listings', { token: office, body });
  expect(r.status).toBe(201);
  entryId = r.body.entryId;
  const s = await stack.call('GET', `/api/v1/office/listings/${entryId}/notices`, { token: office });
  deadline = s.body.notices[0].objectionDeadline;
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

test('the subject sees its notices on its records page and downloads the PDF', async () => {
  await switchAccount(page, stack.base, 'subject-demo');
  await page.goto(`${stack.base}/#/me/records`);
  await page.getByRole('heading', { name: '我的信用记录', exact: true }).waitFor();
  const card = page.locator('article.card').filter({ hasText: entryId });
  await card.getByRole('heading', { name: '告知书', exact: true }).waitFor();
  const prior = card.locator('li').filter({ hasText: '黑名单列入事前告知书' });
  await expect(prior.textContent()).resolves.toContain(`异议截止 ${deadline.replaceAll('-', '/')} 24时`);
  await card
    .locator('li')
    .filter({ hasText: '信用修复告知书' })
    .getByText(/最早可申请修复/)
    .waitFor();

  const download = page.waitForEvent('download');
  await prior.getByRole('button', { name: '下载黑名单列入事前告知书 PDF' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(new RegExp(`^GZ${today.replaceAll('-', '')}-.{4}-.{4}\\.pdf$`));
  const text = (await pdfText(await readFile((await file.path())!))).replace(/\s+/g, '');
  expect(text).toContain(NAME);
  expect(text).toContain(`即${cnDate(deadline)}24时前提出异议`);
}, 60_000);

test('the office sees the serving on the listing and prints the prior notice', async () => {
  await switchAccount(page, stack.base, 'office');
  await page.goto(`${stack.base}/#/office/listings/${entryId}`);
  const card = page.locator('.card').filter({ has: page.getByRole('heading', { name: '告知书', exact: true }) });
  await card.getByText(`送达日期 ${today.replaceAll('-', '/')}`).waitFor();
  await expect(card.locator('ul.digests li').count()).resolves.toBe(2);

  await card.locator('li').filter({ hasText: '黑名单列入事前告知书' }).getByRole('link', { name: '打印' }).click();
  await page.waitForURL(/#\/office\/notices\/GZ\d{8}-/);
  const doc = page.getByRole('article');
  await doc.getByRole('heading', { name: '黑名单列入事前告知书', exact: true }).waitFor();
  await doc.getByText(`${NAME}（统一社会信用代码：${USCC}）：`).waitFor();
  await doc.getByRole('heading', { name: '四、陈述、申辩和异议的权利' }).waitFor();
  await doc.getByText(`即${cnDate(deadline)}24时前提出异议`, { exact: false }).waitFor();
  await doc.getByRole('columnheader', { name: '实施部门' }).waitFor();
  await page.getByRole('button', { name: '打印', exact: true }).waitFor();

  await page.getByRole('link', { name: '返回名单条目' }).click();
  const download = page.waitForEvent('download');
  await page
    .locator('li')
    .filter({ hasText: '信用修复告知书' })
    .getByRole('button', { name: '下载信用修复告知书 PDF' })
    .click();
  expect((await download).suggestedFilename()).toMatch(/^XF\d{8}-.{4}-.{4}\.pdf$/);
}, 60_000);
