/**
 * Credit-record files over HTTP on real servers (mongod, Temporal dev server, worker): a department's CSV
 * or XLSX file through the import workflow the list files use — refused rows with line, column and
 * reason, the rest applied and visible in the credit files; the same file again changes nothing; a
 * changed row is a correction version; a department imports only as itself and sees only its imports.
 */
import { toCsvText } from '../../domain/csv';
import { recordTemplate } from '../../domain/credit-record-file';
import { toXlsx } from '../../domain/spreadsheet';
import { eventually } from '../support/eventually';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { daysFromToday, today } from '../support/fixtures';
import { uscc } from '../support/import-files';

let stack: ApiStack;
let tax: string;
let market: string;
let office: string;
let auditor: string;

const TAX_NAME = '沧州市税务局';
const TEMPLATE = recordTemplate(today, TAX_NAME);
const HEADER = TEMPLATE.header;

beforeAll(async () => {
  stack = await startApiStack('record_imports');
  tax = await stack.token({ sub: 't1', name: '税务局李四', role: 'department', departmentId: 'tax' });
  market = await stack.token({
    sub: 'm1',
    name: '市场监管局赵六',
    role: 'department',
    departmentId: 'market-regulation',
  });
  office = await stack.token({ sub: 'o1', name: '信用办张科长', role: 'office' });
  auditor = await stack.token({ sub: 'u1', name: '审计员', role: 'auditor' });
});
afterAll(() => stack.stop());

/** The template's example row with some columns replaced (by Chinese header). */
const row = (over: Record<string, unknown>) => HEADER.map((h, i) => (h in over ? over[h] : TEMPLATE.example[i]));

const penaltyRow = (tag: string, n: number, over: Record<string, unknown> = {}) =>
  row({
    记录编号: `${tag}-${n}`,
    主体名称: `档案导入企业${n}有限公司`,
    '统一社会信用代码/身份证号': uscc(700_000 + n),
    决定文书号: `沧税罚〔${tag}〕${n}号`,
    决定日期: daysFromToday(-30),
    ...over,
  });

const csv = (rows: unknown[][]) => Buffer.from(toCsvText(HEADER, rows));
const xlsx = (rows: unknown[][]) =>
  toXlsx([{ name: '信用记录', header: HEADER, rows, textColumns: TEMPLATE.textColumns }]);

const upload = (token: string, bytes: Buffer, type: string, filename: string) =>
  stack.call('POST', `/api/v1/departments/me/credit-records/imports?filename=${encodeURIComponent(filename)}`, {
    token,
    raw: bytes,
    type,
  });

async function finished(importId: string, token = tax) {
  return eventually(async () => {
    const r = await stack.call('GET', `/api/v1/departments/me/credit-records/imports/${importId}`, { token });
    expect(r.status).toBe(200);
    expect(r.body.status).not.toBe('running');
    return r.body;
  }, 60_000);
}

/** Every item of a subject's credit file (public view, then archive), as the office sees it. */
async function fileOf(n: number) {
  const body = (await stack.call('GET', `/api/v1/office/credit-files/${uscc(700_000 + n)}`, { token: office })).body;
  return { items: [...body.public, ...body.archive] };
}

/**
 * 4 valid rows of 3 classes, and 7 refused: bad USCC, unknown class, another department, a column of
 * another class, a repeat, the same id with other content, a publicity period beyond the rules.
 */
function mixedRows(tag: string): unknown[][] {
  return [
    penaltyRow(tag, 1), // line 2
    penaltyRow(tag, 2, { 失信程度: '轻微', 简易程序: '是', 处罚内容: '警告' }), // 3
    penaltyRow(tag, 3, { '统一社会信用代码/身份证号': '914403001922038217' }), // 4: check character
    row({
      ...Object.fromEntries(HEADER.map((h) => [h, ''])),
      信息类别: '行政许可',
      记录编号: `${tag}-4`,
      主体类型: '企业',
      主体名称: '档案导入企业4有限公司',
      '统一社会信用代码/身份证号': uscc(700_004),
      决定文书号: `沧税许〔${tag}〕4号`,
      决定日期: daysFromToday(-90),
      事项名称: '涉税专业服务备案',
      有效期至: daysFromToday(600),
    }), // 5
    penaltyRow(tag, 5, { 信息类别: '荣誉证书' }), // 6: unknown class
    penaltyRow(tag, 6, { 来源单位: '沧州市市场监督管理局' }), // 7: another department
    penaltyRow(tag, 7, { 审判机关: '沧州市中级人民法院' }), // 8: a criminal judgment's column
    penaltyRow(tag, 1), // 9: repeats line 2
    penaltyRow(tag, 2, { 处罚内容: '罚款人民币一百元' }), // 10: line 3's id, other content
    row({
      ...Object.fromEntries(HEADER.map((h) => [h, ''])),
      信息类别: 'credit_evaluation',
      记录编号: `${tag}-11`,
      主体类型: '企业',
      主体名称: '档案导入企业11有限公司',
      '统一社会信用代码/身份证号': uscc(700_011),
      决定文书号: `沧税评〔${tag}〕11号`,
      决定日期: daysFromToday(-10),
      事项名称: '2026年度纳税信用等级评价',
      评价体系: '纳税信用等级评价',
      评价等级: 'b',
    }), // 11
    penaltyRow(tag, 12, { 失信程度: '严重', 公示截止日期: daysFromToday(-30 + 365 * 4) }), // 12: beyond 3 years
  ];
}

const EXPECTED_REFUSED = [
  { line: 4, field: '统一社会信用代码/身份证号', reason: '统一社会信用代码校验位错误：应为“6”，实际为“7”' },
  {
    line: 6,
    field: '信息类别',
    reason:
      '“荣誉证书”无效，应为以下之一：行政许可、行政处罚、行政强制、信用承诺、信用评价、经营异常名录、刑事裁判、诚实守信（表彰荣誉）',
  },
  {
    line: 7,
    field: '来源单位',
    reason: `只能以本部门（${TAX_NAME}）名义报送，本行来源单位为“沧州市市场监督管理局”：其他单位的记录请由该单位报送`,
  },
  { line: 8, field: '审判机关', reason: '不适用于“行政处罚”信息，请留空' },
  { line: 9, field: '记录编号', reason: '与第2行重复（记录编号与内容都相同）' },
  {
    line: 10,
    field: '记录编号',
    reason: '记录编号“REC-2”与第3行相同而内容不同：同一记录编号只能对应一条记录',
  },
];

describe('credit-record files through the import path', () => {
  it('applies the valid rows, refuses the others with line and reason; the same file again: nothing', async () => {
    const rows = mixedRows('REC');
    const r = await upload(tax, csv(rows), 'text/csv', '十二月处罚信息.csv');
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({
      kind: 'credit_records',
      departmentId: 'tax',
      departmentName: TAX_NAME,
      filename: '十二月处罚信息.csv',
      format: 'csv',
      status: 'running',
      by: '税务局李四',
      total: 11,
      refused: 7,
      valid: 4,
    });
    const serious = r.body.refusedRows.find((x: { line: number }) => x.line === 12);
    expect(serious).toMatchObject({ field: '公示截止日期' });
    expect(serious.reason).toMatch(/^严重行政处罚信息公示期最长36个月，公示截止日期不得晚于 \d{4}-\d{2}-\d{2}$/);
    expect(r.body.refusedRows.filter((x: { line: number }) => x.line !== 12)).toEqual(EXPECTED_REFUSED);

    const done = await finished(r.body.importId);
    expect(done).toMatchObject({ status: 'completed', processed: 4, created: 4, corrected: 0, existing: 0 });
    // every applied row is in its subject's credit file, delivered by the tax bureau
    const one = await fileOf(1);
    const item = one.items.find((i: { documentNumber: string }) => i.documentNumber === '沧税罚〔REC〕1号');
    expect(item).toMatchObject({ source: TAX_NAME, statusLabel: '公示中', version: 1 });
    const minor = (await fileOf(2)).items.find(
      (i: { documentNumber: string }) => i.documentNumber === '沧税罚〔REC〕2号',
    );
    expect(minor).toMatchObject({ statusLabel: '不予公示（轻微）', details: '警告；简易程序' });
    expect((await fileOf(4)).items.map((i: { title: string }) => i.title)).toEqual(['涉税专业服务备案']);
    expect((await fileOf(11)).items[0]).toMatchObject({ details: '纳税信用等级评价：B级' });
    expect((await fileOf(3)).items).toEqual([]);

    const again = await upload(tax, csv(rows), 'text/csv', '十二月处罚信息.csv');
    expect(await finished(again.body.importId)).toMatchObject({
      status: 'completed',
      processed: 4,
      created: 0,
      corrected: 0,
      existing: 4,
    });
    const versions = await stack.call('GET', `/api/v1/office/credit-records/${item.ref}/versions`, { token: auditor });
    expect(versions.body.map((v: { version: number; action: string }) => [v.version, v.action])).toEqual([
      [1, 'create'],
    ]);

    const audit = await stack.call('GET', `/api/v1/audit/log?targetId=${r.body.importId}`, { token: auditor });
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual([
      'credit_record.import',
      'import.completed',
    ]);

    const refusedCsv = await fetch(
      `${stack.base}/api/v1/departments/me/credit-records/imports/${r.body.importId}/refused.csv`,
      { headers: { authorization: `Bearer ${tax}` } },
    );
    expect((await refusedCsv.text()).split('\r\n').slice(1, 3)).toEqual([
      '4,统一社会信用代码/身份证号,统一社会信用代码校验位错误：应为“6”，实际为“7”',
      expect.stringMatching(/^6,信息类别,“荣誉证书”无效/),
    ]);
  });

  it('takes an XLSX file; a changed row is a correction version, the others unchanged', async () => {
    const rows = [penaltyRow('XL', 21), penaltyRow('XL', 22)];
    const first = await upload(tax, await xlsx(rows), 'application/octet-stream', '处罚.xlsx');
    expect(first.body).toMatchObject({ format: 'xlsx', total: 2, valid: 2, refused: 0 });
    expect(await finished(first.body.importId)).toMatchObject({ status: 'completed', created: 2 });
    const changed = [penaltyRow('XL', 21), penaltyRow('XL', 22, { 处罚内容: '罚款人民币五千元' })];
    const second = await upload(tax, await xlsx(changed), 'application/octet-stream', '处罚（更正）.xlsx');
    expect(await finished(second.body.importId)).toMatchObject({
      status: 'completed',
      processed: 2,
      created: 0,
      corrected: 1,
      existing: 1,
    });
    const item = (await fileOf(22)).items[0];
    expect(item).toMatchObject({ version: 2, details: '罚款人民币五千元' });
    const versions = await stack.call('GET', `/api/v1/office/credit-records/${item.ref}/versions`, { token: office });
    expect(versions.body.map((v: { action: string }) => v.action)).toEqual(['create', 'correct']);
  });

  it('refuses while applying a row whose record id was delivered for another subject; applies the rest', async () => {
    const api = await stack.call('POST', '/api/v1/departments/me/credit-records', {
      token: tax,
      body: {
        recordClass: 'administrative_penalty',
        sourceRecordId: 'APPLY-31',
        subject: { type: 'enterprise', uscc: uscc(700_099), name: '另一企业有限公司' },
        decisionDocument: { number: '沧税罚〔另〕1号', date: daysFromToday(-30) },
        title: '未按规定期限办理纳税申报',
        severity: 'general',
      },
    });
    expect(api.status).toBe(201);
    const r = await upload(tax, csv([penaltyRow('APPLY', 31), penaltyRow('APPLY', 32)]), 'text/csv', 'a.csv');
    expect(r.body).toMatchObject({ valid: 2, refused: 0 });
    expect(await finished(r.body.importId)).toMatchObject({
      status: 'completed',
      valid: 1,
      refused: 1,
      processed: 1,
      created: 1,
      refusedRows: [
        {
          line: 2,
          field: '记录编号',
          reason: '记录“APPLY-31”已作为另一主体或另一类别报送，不能更正为本主体/类别：请先撤回原记录，再以新编号报送',
        },
      ],
    });
    expect((await fileOf(31)).items).toEqual([]);
    expect((await fileOf(32)).items).toHaveLength(1);
  });

  it('shows a department only its own imports; a file it cannot use stores nothing', async () => {
    const mine = await upload(tax, csv([penaltyRow('OWN', 41)]), 'text/csv', 'own.csv');
    await finished(mine.body.importId);
    const theirs = await stack.call('GET', `/api/v1/departments/me/credit-records/imports/${mine.body.importId}`, {
      token: market,
    });
    expect(theirs.status).toBe(404);
    const list = await stack.call('GET', '/api/v1/departments/me/credit-records/imports', { token: market });
    expect(list.body.items.map((i: { importId: string }) => i.importId)).not.toContain(mine.body.importId);
    const taxList = await stack.call('GET', '/api/v1/departments/me/credit-records/imports', { token: tax });
    expect(taxList.body.items[0]).toMatchObject({ importId: mine.body.importId, kind: 'credit_records' });
    // the office's list is of list files only
    const officeList = await stack.call('GET', '/api/v1/office/imports', { token: office });
    expect(officeList.body.items.map((i: { importId: string }) => i.importId)).not.toContain(mine.body.importId);

    const bad = await upload(tax, Buffer.from('信息类别,记录编号\n行政处罚,X-1\n'), 'text/csv', 'bad.csv');
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toBe(
      '表头有误：缺少必需的列：主体类型、主体名称、统一社会信用代码/身份证号、决定文书号、决定日期、事项名称。' +
        '表头应在第1行，列名请与导入模板一致（“序号”“备注”列可保留）',
    );
  });

  it('serves a template whose example row imports as it stands', async () => {
    const res = await fetch(`${stack.base}/api/v1/departments/me/credit-records/imports/template.xlsx`, {
      headers: { authorization: `Bearer ${tax}` },
    });
    expect(res.status).toBe(200);
    const r = await upload(tax, Buffer.from(await res.arrayBuffer()), 'application/octet-stream', '模板.xlsx');
    expect(r.body).toMatchObject({ total: 1, valid: 1, refused: 0 });
    expect(await finished(r.body.importId)).toMatchObject({ status: 'completed', processed: 1 });
  });
});
