/**
 * Browser tests of the office's 上级平台批次 page (real Chromium, real servers): a batch the provincial
 * platform pushes is listed, reads 已处理 once its workflow has applied it, and its refused row is shown
 * with its line and reason; a pulled batch whose receipt the upstream never took stands out as 发送失败.
 */
import type { Browser, Page } from 'playwright-core';
import { UpstreamBatchModel } from '../../db/upstream-exchange';
import { devAccounts } from '../../infra/dev-credentials';
import { loadCatalogue } from '../../measures/catalogue';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { listingBody } from '../support/fixtures';
import { launchBrowser, newPage, screenshot, signIn } from './browser';

let stack: ApiStack;
let browser: Browser;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  stack = await startApiStack('e2e_upstream', undefined, { devAccounts: devAccounts(loadCatalogue()) });
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

const SENDER = '河北省社会信用信息共享平台';

test('a pushed batch is listed, reads 已处理 once applied, and shows its refused row with the reason', async () => {
  const batchId = `E2E-PUSH-${Date.now()}`;
  const upsert = (n: number, over: Record<string, unknown> = {}) => ({
    operation: 'upsert',
    upstreamRecordId: `${batchId}-R${n}`,
    version: 1,
    ...listingBody(),
    ...over,
  });
  const platform = await stack.token({ sub: 'hebei', name: SENDER, role: 'platform' });
  const pushed = await stack.call('POST', '/api/v1/exchange/upstream/batches', {
    token: platform,
    body: {
      batchId,
      sender: SENDER,
      sentAt: new Date().toISOString(),
      entries: [upsert(1), upsert(2, { category: 'no_such_category' })],
    },
  });
  expect(pushed.status).toBe(202);

  await page.goto(`${stack.base}/#/office`);
  await page.getByRole('link', { name: '上级平台批次', exact: true }).click();
  await page.getByRole('heading', { name: '上级平台批次', exact: true }).waitFor();
  const row = page.getByRole('row').filter({ hasText: batchId });
  // the list polls while a batch is applying: the status turns without a reload
  await row.getByText('已处理', { exact: true }).waitFor({ timeout: 60_000 });
  const cells = await row.getByRole('cell').allInnerTexts();
  const time = expect.stringMatching(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/);
  expect(cells).toEqual([batchId, SENDER, '推送', time, '2', '已处理', '1 / 0 / 0 / 0 / 0 / 1', '推送方查询']);

  await row.getByRole('link', { name: batchId }).click();
  await page.getByRole('heading', { name: `批次 ${batchId}`, exact: true }).waitFor();
  const view = await stack.call('GET', `/api/v1/exchange/upstream/batches/${batchId}`, { token: platform });
  const [refusal] = view.body.receipt.refused;
  expect(refusal).toMatchObject({ index: 1, upstreamRecordId: `${batchId}-R2` });
  expect(refusal.reason).toContain('category');
  const refused = page.getByRole('table', { name: '拒收的记录（1）' });
  await expect(refused.getByRole('row').nth(1).innerText()).resolves.toBe(`2\t${batchId}-R2\t${refusal.reason}`);
  await page.getByText('部分记录拒收', { exact: true }).waitFor();
  await screenshot(page, 'office-upstream-batch');
});

test('a pulled batch whose receipt the upstream never took is flagged 发送失败 with the last error', async () => {
  const batchId = `E2E-PULL-${Date.now()}`;
  const receivedAt = new Date().toISOString();
  const lastError = 'POST /receipts 答复 HTTP 503：服务暂不可用';
  // the receipt's retries run for about a day: the batch is stored as they leave it
  await UpstreamBatchModel.create({
    _id: batchId,
    sender: SENDER,
    sentAt: receivedAt,
    mode: 'pull',
    receivedAt,
    digest: '0'.repeat(64),
    rows: 1,
    status: 'applied',
    appliedAt: receivedAt,
    receipt: {
      batchId,
      receivedAt,
      status: 'applied',
      counts: { created: 1, corrected: 0, removed: 0, unchanged: 0, stale: 0, refused: 0 },
      refused: [],
    },
    receiptDelivery: { status: 'failed', attempts: 12, lastError },
  });

  await page.goto(`${stack.base}/#/office/upstream`);
  await page.getByRole('alert').filter({ hasText: '1 个批次的回执未能送达上级平台' }).waitFor();
  const row = page.getByRole('row').filter({ hasText: batchId });
  await expect(row.getAttribute('class')).resolves.toBe('row-danger');
  await expect(row.getByRole('cell').nth(2).innerText()).resolves.toBe('拉取');
  await expect(row.getByRole('cell').last().innerText()).resolves.toBe(`发送失败 12 次\n${lastError}`);
  await screenshot(page, 'office-upstream');

  await row.getByRole('link', { name: batchId }).click();
  await page.getByRole('heading', { name: '回执回传上级平台' }).waitFor();
  await page.getByText('回执发送失败：多次重试后上级平台仍未接收本批次的回执').waitFor();
  await page.getByText(lastError, { exact: true }).waitFor();
  await screenshot(page, 'office-upstream-receipt-failed');
});

test('the office sends a period of feedback up and sees the batch with what the last attempt met', async () => {
  await page.goto(`${stack.base}/#/office/upstream`);
  await page.getByRole('heading', { name: '向上级平台报送的反馈' }).waitFor();
  const form = page.getByRole('form', { name: '报送反馈' });
  await form.getByRole('button', { name: '报送该期间' }).click();
  await form.getByText(/^已提交报送：CZ-FB-\d{8}-\d{8}/).waitFor();
  // this stack has no provincial endpoint: the batch keeps being retried, and says why it was not taken
  const row = page
    .getByRole('table', { name: /反馈批次/ })
    .getByRole('row')
    .nth(1);
  await row.getByText('未配置上级平台地址（XINLIAN_UPSTREAM_URL），反馈无法报送').waitFor({ timeout: 30_000 });
  await expect(row.getByRole('cell').nth(2).innerText()).resolves.toBe('报送中');
});
