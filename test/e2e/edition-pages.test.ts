/**
 * Browser tests of the measures list edition pages (real Chromium, real servers): the tax bureau drafts
 * an edition adding a measure (a missing legal basis refused with its field), submits it; the office
 * sees the differences, approves and publishes it with re-matching; the running listing's task in the
 * tax bureau's inbox then shows the new measure; the comparison page shows the two editions' changes; the
 * office lifts a suspension with a reason.
 */
import type { Browser, Page } from 'playwright-core';
import { devAccounts } from '../../infra/dev-credentials';
import { loadCatalogue } from '../../measures/catalogue';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { eventually } from '../support/eventually';
import { listingBody, today } from '../support/fixtures';
import { launchBrowser, newPage, signIn } from './browser';

let stack: ApiStack;
let browser: Browser;
let dept: Page;
let office: Page;
const errors: string[] = [];
let entryId: string;
const TITLE = '限制参加本系统评先评优活动';

beforeAll(async () => {
  stack = await startApiStack('e2e_editions', undefined, { devAccounts: devAccounts(loadCatalogue()) });
  browser = await launchBrowser();
  dept = await newPage(browser, errors);
  office = await newPage(browser, errors);
  await signIn(dept, stack.base, 'tax');
  await signIn(office, stack.base, 'office');
  const token = await stack.token({ sub: 'o', name: '信用办', role: 'office' });
  const r = await stack.call('POST', '/api/v1/office/listings', { token, body: listingBody() });
  expect(r.status).toBe(201);
  entryId = r.body.entryId;
  await eventually(async () => {
    const l = await stack.call('GET', `/api/v1/office/listings/${entryId}`, { token });
    expect(l.body.taskCount).toBeGreaterThan(0);
  }, 30_000);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});
afterEach(() => {
  expect(errors).toEqual([]);
  errors.length = 0;
});

test('a department drafts an edition, the office publishes it re-matching, the running task shows it', async () => {
  // the tax bureau drafts an edition adding a measure and submits it
  {
    await dept.goto(`${stack.base}/#/dept/editions`);
    await dept.getByRole('heading', { name: '措施清单', exact: true }).waitFor();
    await dept.getByRole('link', { name: '第 1 版' }).waitFor();
    await dept.getByRole('button', { name: '起草新版本' }).click();
    await dept.getByRole('heading', { name: '措施清单第 2 版' }).waitFor();

    const form = dept.getByRole('form', { name: '新增措施' });
    await form.getByLabel(/措施编号/).fill('no-honours');
    await form.getByLabel('措施内容').fill(TITLE);
    await form.getByLabel('重大税收违法失信主体').check();
    await form.getByLabel('评先评优').check();
    await form.getByRole('button', { name: '加入本版本' }).click();
    await dept.getByRole('cell', { name: TITLE }).waitFor();

    // no legal basis: refused, naming the field
    await dept.getByRole('button', { name: '保存草稿' }).click();
    await dept
      .getByRole('alert')
      .filter({ hasText: /字段 body\.measures\[\d+\]\.legalBasis 有误/ })
      .waitFor();

    await dept
      .getByRole('row', { name: new RegExp(TITLE) })
      .getByRole('button', { name: '修改' })
      .click();
    const edit = dept.getByRole('form', { name: '修改措施' });
    await edit.getByLabel('法律依据（文件名称）').fill('国务院关于建立完善守信联合激励和失信联合惩戒制度的指导意见');
    await edit.getByRole('button', { name: '确定修改' }).click();
    await dept.getByRole('button', { name: '提交审核' }).click();
    await dept.getByText('已提交信用办审核').waitFor();
    await dept.getByText('已提交待审核').first().waitFor();
  }

  // the office sees the difference, approves and publishes with re-matching
  {
    await office.goto(`${stack.base}/#/office/editions`);
    await office.getByRole('heading', { name: '措施清单审核', exact: true }).waitFor();
    await office.getByRole('combobox', { name: '状态' }).selectOption('submitted');
    await office.getByRole('link', { name: '第 2 版' }).click();
    await office.getByRole('heading', { name: /措施清单第 2 版/ }).waitFor();
    await office.getByText(/新增\s*1\s*项，修改\s*0\s*项，退出\s*0\s*项/).waitFor();
    await office.getByRole('button', { name: '审核通过' }).click();
    const publish = office.getByRole('form', { name: '发布' });
    await publish.waitFor();
    await publish.getByLabel('生效日期').fill(today);
    await publish.getByLabel(/按新版本重新匹配/).check();
    await publish.getByRole('button', { name: '发布' }).click();
    await office.getByText(`已发布，自 ${today} 起施行，正在按新版本重新匹配在办名单条目`).waitFor();
    await stack.env.client.workflow.getHandle('rematch-edition-tax-2').result();
  }

  // the running listing’s task in the inbox shows the new measure; the comparison page lists it
  {
    await dept.goto(`${stack.base}/#/dept/inbox`);
    await dept.getByRole('heading', { name: /^待办任务/ }).waitFor();
    await dept.getByText(TITLE).first().waitFor();

    await office.goto(`${stack.base}/#/editions/tax/diff/1/2`);
    await office.getByRole('table', { name: '新增的措施' }).getByRole('cell', { name: TITLE }).waitFor();
    await dept.goto(`${stack.base}/#/editions/me/diff/1/2`);
    await dept.getByRole('table', { name: '新增的措施' }).getByRole('cell', { name: TITLE }).waitFor();
  }
}, 240_000);

test('the office lifts a suspension from the review page, with a reason', async () => {
  const token = await stack.token({ sub: 'o', name: '信用办', role: 'office' });
  const measureId = loadCatalogue().measures.find((m) => m.id.startsWith('finance.'))!.id;
  const s = await stack.call('POST', '/api/v1/office/measure-suspensions', {
    token,
    body: { measureId, reason: '与失信行为无关，属不当联结' },
  });
  expect(s.status).toBe(201);
  await office.goto(`${stack.base}/#/office/editions`);
  const form = office.getByRole('form', { name: `恢复实施措施 ${measureId}` });
  await form.getByRole('button', { name: '恢复实施' }).click();
  await office
    .getByRole('alert')
    .filter({ hasText: /body\.reason/ })
    .waitFor();
  await form.getByLabel(/恢复实施的理由/).fill('经复核与失信行为直接相关，恢复实施');
  await form.getByRole('button', { name: '恢复实施' }).click();
  await office.getByText(`已恢复实施措施 ${measureId}，正在为仍符合条件的在办名单条目恢复`).waitFor();
  await office.getByText('没有暂停实施的措施。').waitFor();
  await stack.env.client.workflow.getHandle(`rematch-suspension-lifted-${measureId}-1`).result();
});
