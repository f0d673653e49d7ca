/** Bulk import over HTTP on real servers: CSV (UTF-8, GBK) and XLSX files, refusals, re-upload, whole-file errors. */
import { HttpError } from '../../api/errors';
import { ImportService } from '../../api/services/import-service';
import { ImportModel, ImportRowModel, ListingModel } from '../../db/models';
import { parseImportFile } from '../../domain/import-file';
import { XLSX_TYPE } from '../../domain/spreadsheet';
import { eventually } from '../support/eventually';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { csvFile, gbkCsvFile, HEADER, row, validRows, xlsxFile } from '../support/import-files';

let stack: ApiStack;
let office: string;
let auditor: string;

beforeAll(async () => {
  stack = await startApiStack('imports');
  office = await stack.token({ sub: 'o1', name: '信用办张科长', role: 'office' });
  auditor = await stack.token({ sub: 'u1', name: '审计员', role: 'auditor' });
});
afterAll(() => stack.stop());

const upload = (bytes: Buffer, type: string, filename?: string) =>
  stack.call('POST', `/api/v1/office/imports${filename ? `?filename=${encodeURIComponent(filename)}` : ''}`, {
    token: office,
    raw: bytes,
    type,
  });

/** Waits until the import is no longer running and returns its view. */
async function finished(importId: string) {
  return eventually(async () => {
    const r = await stack.call('GET', `/api/v1/office/imports/${importId}`, { token: auditor });
    expect(r.status).toBe(200);
    expect(r.body.status).not.toBe('running');
    return r.body;
  }, 60_000);
}

async function entryIdsOf(bytes: Buffer): Promise<string[]> {
  return (await parseImportFile(bytes)).rows.flatMap((r) => (r.status === 'valid' ? [r.entryId] : []));
}

/** 6 valid rows, a bad USCC at line 5, an empty name at line 7, line 9 repeating line 2. */
function mixedRows(tag: string, from: number): unknown[][] {
  const good = validRows(6, tag, from);
  return [
    good[0],
    good[1],
    good[2], // lines 2-4
    row({ '统一社会信用代码/身份证号': '914403001922038217', 决定文书号: `${tag}〔坏〕1号` }), // 5
    good[3], // 6
    row({ 主体名称: '', 决定文书号: `${tag}〔坏〕2号` }), // 7
    good[4], // 8
    good[0], // 9
    good[5], // 10
  ];
}

const EXPECTED_REFUSED = [
  { line: 5, field: '统一社会信用代码/身份证号', reason: '统一社会信用代码校验位错误：应为“6”，实际为“7”' },
  { line: 7, field: '主体名称', reason: '不能为空' },
  { line: 9, reason: '与第2行重复（名单类型、名单类别、主体和决定文书号都相同）' },
];

describe('bulk import through the API', () => {
  it('imports a UTF-8 CSV: valid rows listed, refused ones with line, column, reason; re-upload: nothing', async () => {
    const file = csvFile(mixedRows('UTF8', 1000));
    const r = await upload(file, 'text/csv', '十二月名单.csv');
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({
      filename: '十二月名单.csv',
      format: 'csv',
      status: 'running',
      by: '信用办张科长',
      total: 9,
      valid: 6,
      refused: 3,
      refusedRows: EXPECTED_REFUSED,
      refusedRowsTruncated: false,
    });
    expect(r.body.importId).toMatch(/^I[0-9a-f]{20}$/);

    const done = await finished(r.body.importId);
    expect(done).toMatchObject({
      status: 'completed',
      total: 9,
      valid: 6,
      refused: 3,
      processed: 6,
      created: 6,
      existing: 0,
    });
    expect(done.finishedAt).toBeDefined();
    expect(Object.keys(done).sort()).toEqual([
      'by',
      'created',
      'createdAt',
      'existing',
      'filename',
      'finishedAt',
      'format',
      'importId',
      'kind',
      'processed',
      'refused',
      'refusedRows',
      'refusedRowsTruncated',
      'status',
      'total',
      'valid',
    ]);
    const ids = await entryIdsOf(file);
    expect(ids).toHaveLength(6);
    for (const id of ids)
      expect((await stack.call('GET', `/api/v1/office/listings/${id}`, { token: office })).status).toBe(200);
    const listings = await ListingModel.countDocuments();

    const again = await upload(file, 'text/csv', '十二月名单.csv');
    expect(again.status).toBe(202);
    expect(again.body.importId).not.toBe(r.body.importId);
    expect(await finished(again.body.importId)).toMatchObject({
      status: 'completed',
      processed: 6,
      created: 0,
      existing: 6,
      refused: 3,
    });
    expect(await ListingModel.countDocuments()).toBe(listings);

    // all refused rows as CSV (UTF-8 with BOM), and the audit trail of upload and completion
    const csv = await fetch(`${stack.base}/api/v1/office/imports/${r.body.importId}/refused.csv`, {
      headers: { authorization: `Bearer ${auditor}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(bytes.toString('utf8').slice(1).split('\r\n')).toEqual([
      '行号,字段,原因',
      '5,统一社会信用代码/身份证号,统一社会信用代码校验位错误：应为“6”，实际为“7”',
      '7,主体名称,不能为空',
      '9,,与第2行重复（名单类型、名单类别、主体和决定文书号都相同）',
      '',
    ]);
    const audit = await stack.call('GET', `/api/v1/audit/log?targetId=${r.body.importId}`, { token: auditor });
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['import.create', 'import.completed']);
    expect(audit.body.items[0].actor).toMatchObject({ name: '信用办张科长', role: 'office' });

    const list = await stack.call('GET', '/api/v1/office/imports', { token: auditor });
    expect(list.body.items.slice(0, 2).map((i: { importId: string }) => i.importId)).toEqual([
      again.body.importId,
      r.body.importId,
    ]);
  });

  it('imports a GBK CSV sent as application/octet-stream (decided by its bytes)', async () => {
    const rows = validRows(3, 'GBK', 2000);
    const r = await upload(gbkCsvFile(rows), 'application/octet-stream', '名单（GBK）.csv');
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ format: 'csv', total: 3, valid: 3, refused: 0, refusedRows: [] });
    expect(await finished(r.body.importId)).toMatchObject({ status: 'completed', created: 3, existing: 0 });
    const listing = await ListingModel.findOne({ 'request.subject.name': '导入测试企业2001有限公司' }).lean();
    expect(listing?.request.decisionDocument.number).toBe('导入〔GBK〕2001号');
  });

  it('imports an XLSX file with refused rows', async () => {
    const file = await xlsxFile(mixedRows('XLSX', 3000));
    const r = await upload(file, XLSX_TYPE, '名单.xlsx');
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ format: 'xlsx', total: 9, valid: 6, refused: 3, refusedRows: EXPECTED_REFUSED });
    expect(await finished(r.body.importId)).toMatchObject({
      status: 'completed',
      processed: 6,
      created: 6,
      existing: 0,
    });
    for (const id of await entryIdsOf(file)) expect(await ListingModel.exists({ _id: id })).toBeTruthy();
  });

  it('imports each template unchanged', async () => {
    for (const [format, type] of [
      ['csv', 'text/csv'],
      ['xlsx', XLSX_TYPE],
    ] as const) {
      const t = await fetch(`${stack.base}/api/v1/office/imports/template.${format}`, {
        headers: { authorization: `Bearer ${office}` },
      });
      expect(t.status).toBe(200);
      expect(t.headers.get('content-type')).toContain(type);
      expect(t.headers.get('content-disposition')).toContain('attachment');
      const r = await upload(Buffer.from(await t.arrayBuffer()), type);
      expect(r.status).toBe(202);
      expect(r.body).toMatchObject({ filename: `导入文件.${format}`, format, valid: 1, refused: 0 });
      expect(await finished(r.body.importId)).toMatchObject({ status: 'completed', processed: 1 });
    }
  });
});

describe('files that cannot be imported', () => {
  const stored = async () => [await ImportModel.countDocuments(), await ImportRowModel.countDocuments()];

  it('answers 422 with one clear message and stores nothing', async () => {
    const before = await stored();
    const header = HEADER.filter((h) => h !== '决定文书号');
    const cases: Array<[Buffer, string, string]> = [
      [
        csvFile(
          [row()].map((r) => r.filter((_, i) => HEADER[i] !== '决定文书号')),
          header,
        ),
        'text/csv',
        '缺少必需的列：决定文书号',
      ],
      [Buffer.alloc(0), 'text/csv', '文件为空'],
      [csvFile([]), 'text/csv', '文件只有表头，没有数据行'],
      [Buffer.from('PK\x03\x04broken'), XLSX_TYPE, '无法读取 XLSX 文件'],
      [Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 'application/vnd.ms-excel', '旧版 Excel'],
    ];
    for (const [bytes, type, message] of cases) {
      const r = await upload(bytes, type);
      expect(r.status).toBe(422); // a file of an accepted media type whose content cannot be imported
      expect(r.body.error.code).toBe('invalid_file');
      expect(r.body.error.message).toContain(message);
    }
    expect(await stored()).toEqual(before);
  });

  it('refuses other content types (415), a CSV over 64 MiB or XLSX over 20 MiB (413), an auditor (403)', async () => {
    const before = await stored();
    const json = await upload(Buffer.from('{"a":1}'), 'application/json');
    expect(json.status).toBe(415);
    expect(json.body.error.message).toContain('不支持的内容类型');
    const big = await upload(Buffer.alloc(64 * 2 ** 20 + 1, 0x41), 'text/csv');
    expect(big.status).toBe(413);
    expect(big.body.error.message).toBe('文件过大：不能超过 64 MiB');
    // an XLSX (a ZIP by its first bytes) expands when read: its limit is lower
    const xlsx = Buffer.alloc(20 * 2 ** 20 + 1, 0x41);
    xlsx.set([0x50, 0x4b, 0x03, 0x04]);
    const bigXlsx = await upload(xlsx, XLSX_TYPE);
    expect(bigXlsx.status).toBe(413);
    expect(bigXlsx.body.error.message).toBe(
      'XLSX 文件过大：不能超过 20 MiB；请拆分后分别导入，或另存为 CSV（最大 64 MiB）',
    );
    const asAuditor = await stack.call('POST', '/api/v1/office/imports', {
      token: auditor,
      raw: csvFile(validRows(1, 'role')),
      type: 'text/csv',
    });
    expect(asAuditor.status).toBe(403);
    expect(await stored()).toEqual(before);
  });

  it('refuses an upload past the limit of files being read (429), storing nothing; a read frees its slot', async () => {
    const svc = new ImportService(stack.env.client, stack.taskQueue, stack.taskQueue, 1);
    const by = { sub: 'o1', name: '信用办张科长' };
    const before = await stored();
    const first = svc.upload({ bytes: csvFile(validRows(2, 'slot', 4000)), contentType: 'text/csv', by });
    const busy = await svc
      .upload({ bytes: csvFile(validRows(2, 'busy', 4100)), contentType: 'text/csv', by })
      .catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(HttpError);
    expect(busy).toMatchObject({ status: 429, code: 'too_many_imports' });
    expect((busy as Error).message).toContain('本次上传未保存任何内容');
    expect((await finished((await first).importId)).created).toBe(2);
    // a file that fails its read gives its slot back too
    await expect(svc.upload({ bytes: Buffer.alloc(0), contentType: 'text/csv', by })).rejects.toMatchObject({
      status: 422,
      code: 'invalid_file',
    });
    const next = await svc.upload({ bytes: csvFile(validRows(1, 'after', 4200)), contentType: 'text/csv', by });
    expect((await finished(next.importId)).created).toBe(1);
    // nothing of the refused upload was stored: only the two accepted imports and their 2 + 1 rows are new
    const after = await stored();
    expect([after[0] - before[0], after[1] - before[1]]).toEqual([2, 3]);
  });

  it('answers 404 for an unknown import and 400 for a malformed id', async () => {
    expect((await stack.call('GET', '/api/v1/office/imports/I00000000000000000000', { token: office })).status).toBe(
      404,
    );
    expect(
      (await stack.call('GET', '/api/v1/office/imports/I00000000000000000000/refused.csv', { token: office })).status,
    ).toBe(404);
    expect((await stack.call('GET', '/api/v1/office/imports/nope', { token: office })).status).toBe(400);
  });
});

it('documents the upload as a binary body in OpenAPI; the rest of the API takes 1 MiB of JSON at most', async () => {
  const doc = (await stack.call('GET', '/openapi.json')).body;
  const post = doc.paths['/api/v1/office/imports'].post;
  expect(Object.keys(post.requestBody.content)).toEqual(
    expect.arrayContaining(['text/csv', XLSX_TYPE, 'application/octet-stream']),
  );
  expect(post.requestBody.content[XLSX_TYPE].schema).toEqual({ type: 'string', format: 'binary' });
  expect(Object.keys(doc.paths['/api/v1/office/imports/template.xlsx'].get.responses['200'].content)).toEqual([
    XLSX_TYPE,
  ]);
  const big = await stack.call('POST', '/api/v1/office/listings', {
    token: office,
    raw: JSON.stringify({ reason: 'x'.repeat(1.1 * 2 ** 20) }),
  });
  expect(big.status).toBe(413);
});
