import ExcelJS from 'exceljs';
import {
  checkImportTable,
  IMPORT_COLUMNS,
  MAX_IMPORT_ROWS,
  normaliseDate,
  parseImportFile,
  parseLegalBasis,
  WholeFileError,
  type ImportRow,
} from '../../domain/import-file';
import { entryIdOf } from '../../domain/listing';
import { toXlsx } from '../../domain/spreadsheet';
import { daysFromToday, today } from '../support/fixtures';
import { csvFile, gbkCsvFile, HEADER, row, TEMPLATE, uscc, validRows, xlsxFile } from '../support/import-files';

const refusals = (rows: ImportRow[]) =>
  rows
    .filter((r) => r.status === 'refused')
    .map((r) => ({ line: r.line, field: (r as { field?: string }).field, reason: (r as { reason: string }).reason }));

async function wholeFileError(bytes: Uint8Array, hint = {}): Promise<string> {
  try {
    await parseImportFile(bytes, hint);
  } catch (e) {
    expect(e).toBeInstanceOf(WholeFileError);
    return (e as Error).message;
  }
  throw new Error('expected a whole-file error');
}

describe('import file: the template', () => {
  it('has a Chinese header for every field of a listing request and an example row valid as it stands', async () => {
    expect(HEADER).toEqual([
      '名单类型',
      '名单类别',
      '失信程度',
      '主体类型',
      '主体名称',
      '统一社会信用代码/身份证号',
      '认定单位',
      '认定依据',
      '决定文书号',
      '决定日期',
      '事由',
      '告知书送达日期',
      '生效日期',
      '有效期至',
    ]);
    const parsed = await parseImportFile(csvFile([TEMPLATE.example]));
    expect(parsed.format).toBe('csv');
    expect(parsed.rows).toEqual([
      { line: 2, status: 'valid', request: expect.anything(), entryId: expect.stringMatching(/^E[0-9a-f]{20}$/) },
    ]);
    const valid = parsed.rows[0] as Extract<ImportRow, { status: 'valid' }>;
    expect(valid.request).toEqual({
      subject: { type: 'enterprise', uscc: '914403001922038216', name: '示例科技有限公司' },
      listKind: 'black',
      category: 'major_tax_violation',
      severity: 'serious',
      authority: '国家税务总局沧州市税务局',
      legalBasis: [
        { document: '重大税收违法失信主体信息公布管理办法', article: '第六条' },
        { document: '中华人民共和国税收征收管理法', article: '第六十三条' },
      ],
      decisionDocument: { number: `沧税稽罚〔${today.slice(0, 4)}〕示例1号`, date: daysFromToday(-20) },
      reason: '虚开增值税专用发票，情节严重',
      noticeServedOn: daysFromToday(-20),
      effectiveDate: today,
      validUntil: daysFromToday(364),
    });
    expect(valid.entryId).toBe(entryIdOf(valid.request));
  });

  it('accepts the API field names as headers and ignores a 序号 column', async () => {
    const english = [
      'listKind',
      'category',
      'severity',
      'subject.type',
      'subject.name',
      'subject.uscc',
      'authority',
      'legalBasis',
      'decisionDocument.number',
      'decisionDocument.date',
      'reason',
      'noticeServedOn',
      'effectiveDate',
      'validUntil',
    ];
    const parsed = await parseImportFile(
      csvFile(
        [
          [
            '1',
            ...row({ 名单类型: 'black', 名单类别: 'major_tax_violation', 失信程度: 'serious', 主体类型: 'enterprise' }),
          ],
        ],
        ['序号', ...english],
      ),
    );
    expect(parsed.rows.map((r) => r.status)).toEqual(['valid']);
  });
});

describe('import file: encodings and formats', () => {
  it('reads UTF-8 with and without BOM and GBK (Excel on Chinese Windows) alike', async () => {
    const rows = validRows(3, 'enc');
    const withBom = await parseImportFile(csvFile(rows));
    const noBom = await parseImportFile(csvFile(rows).subarray(3));
    const gbk = await parseImportFile(gbkCsvFile(rows));
    expect(csvFile(rows).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(gbk.encoding).toBe('gb18030');
    expect(withBom.encoding).toBe('utf-8');
    for (const p of [withBom, noBom, gbk]) {
      expect(p.rows.map((r) => r.status)).toEqual(['valid', 'valid', 'valid']);
      expect((p.rows[1] as Extract<ImportRow, { status: 'valid' }>).request.subject.name).toBe('导入测试企业1有限公司');
    }
    expect(gbk.rows).toEqual(withBom.rows);
  });

  it('reads the first worksheet of an XLSX file: Excel dates, rich text, empty rows keep line numbers', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('名单');
    sheet.addRow(HEADER);
    const [a, b] = validRows(2, 'xlsx');
    sheet.addRow(
      a.map((v, i) =>
        HEADER[i] === '决定日期'
          ? new Date(`${daysFromToday(-20)}T00:00:00Z`)
          : HEADER[i] === '主体名称'
            ? { richText: [{ text: '导入测试' }, { text: '企业0有限公司', font: { bold: true } }] }
            : v,
      ),
    );
    sheet.addRow([]);
    sheet.addRow(b.map((v, i) => (HEADER[i] === '生效日期' ? `${today.replace(/-0?/g, '/')}` : v)));
    sheet.addRow(
      row({
        '统一社会信用代码/身份证号': 110105194912310020,
        主体类型: '自然人',
        主体名称: '张三',
        决定文书号: '数字〔1〕号',
      }),
    );
    wb.addWorksheet('说明').addRow(['这张表不会被读取']);
    const parsed = await parseImportFile(Buffer.from(await wb.xlsx.writeBuffer()), { filename: '名单.xlsx' });
    expect(parsed.format).toBe('xlsx');
    expect(parsed.rows.map((r) => [r.line, r.status])).toEqual([
      [2, 'valid'],
      [4, 'valid'],
      [5, 'refused'],
    ]);
    const first = parsed.rows[0] as Extract<ImportRow, { status: 'valid' }>;
    expect(first.request.decisionDocument.date).toBe(daysFromToday(-20));
    expect(first.request.subject.name).toBe('导入测试企业0有限公司');
    expect((parsed.rows[1] as Extract<ImportRow, { status: 'valid' }>).request.effectiveDate).toBe(today);
    expect(refusals(parsed.rows)).toEqual([
      { line: 5, field: '统一社会信用代码/身份证号', reason: expect.stringContaining('被 Excel 存成了数字') },
    ]);
  });

  it('decides the format by the bytes, not the name', async () => {
    const xlsx = await xlsxFile(validRows(1, 'magic'));
    expect((await parseImportFile(xlsx, { filename: 'list.csv', contentType: 'text/csv' })).format).toBe('xlsx');
    expect(
      (
        await parseImportFile(csvFile(validRows(1, 'magic')), {
          filename: 'data.bin',
          contentType: 'application/octet-stream',
        })
      ).format,
    ).toBe('csv');
  });

  it('reads tab-separated text and multi-line cells', async () => {
    const tsv = Buffer.from([HEADER.join('\t'), validRows(1, 'tab')[0].join('\t')].join('\n'));
    expect((await parseImportFile(tsv)).rows.map((r) => r.status)).toEqual(['valid']);
    const multi = await parseImportFile(
      csvFile([row({ 事由: '第一行\n第二行', 决定文书号: '多行〔1〕号' }), ...validRows(1, 'multi')]),
    );
    expect(multi.rows.map((r) => [r.line, r.status])).toEqual([
      [2, 'valid'],
      [3, 'valid'],
    ]);
    expect((multi.rows[0] as Extract<ImportRow, { status: 'valid' }>).request.reason).toBe('第一行\n第二行');
  });
});

describe('import file: refused rows name line, column and reason', () => {
  it('refuses each bad row with its line as the user sees it (header = line 1)', async () => {
    const rows = [
      ...validRows(1, 'bad'), // line 2: valid
      row({ '统一社会信用代码/身份证号': '914403001922038217', 决定文书号: 'b〔1〕号' }), // 3
      row({ 主体名称: '', 决定文书号: 'b〔2〕号' }), // 4
      row({ 名单类别: '不存在的名单', 决定文书号: 'b〔3〕号' }), // 5
      row({ 决定日期: '明天', 决定文书号: 'b〔4〕号' }), // 6
      row({ 失信程度: '', 决定文书号: 'b〔5〕号' }), // 7
      row({ 有效期至: daysFromToday(-5), 决定文书号: 'b〔6〕号' }), // 8
      row({ 名单类型: '红名单', 决定文书号: 'b〔7〕号' }), // 9: a black-list category on the red list
      row({ 生效日期: '2026-02-30', 决定文书号: 'b〔8〕号' }), // 10
      row({ 主体类型: '个体户', 决定文书号: 'b〔9〕号' }), // 11
      validRows(1, 'bad')[0], // 12: the same entry as line 2
      row({ 主体名称: '', 认定单位: '', 决定文书号: 'b〔10〕号' }), // 13: two problems in one row
      row({ 认定依据: '《法》第一条', 决定文书号: 'b〔11〕号' }), // 14
    ];
    const parsed = await parseImportFile(csvFile(rows));
    expect(parsed.rows.filter((r) => r.status === 'valid').map((r) => r.line)).toEqual([2]);
    expect(refusals(parsed.rows)).toEqual([
      { line: 3, field: '统一社会信用代码/身份证号', reason: '统一社会信用代码校验位错误：应为“6”，实际为“7”' },
      { line: 4, field: '主体名称', reason: '不能为空' },
      {
        line: 5,
        field: '名单类别',
        reason: expect.stringMatching(/^“不存在的名单”不是已知的黑名单名单类别，可填：失信被执行人、/),
      },
      { line: 6, field: '决定日期', reason: '无法识别的日期“明天”，请写成 2026-01-05 这样的格式' },
      { line: 7, field: '失信程度', reason: '黑名单必须填写失信程度（轻微、一般或严重）' },
      { line: 8, field: '有效期至', reason: '有效期至必须晚于生效日期' },
      { line: 9, field: '名单类别', reason: expect.stringContaining('属于黑名单') },
      { line: 10, field: '生效日期', reason: '日期不存在' },
      { line: 11, field: '主体类型', reason: '“个体户”无效，应为企业、自然人或其他组织' },
      { line: 12, reason: '与第2行重复（名单类型、名单类别、主体和决定文书号都相同）' },
      { line: 13, field: '主体名称', reason: '不能为空（另有：认定单位：不能为空）' },
      { line: 14, field: '认定依据', reason: '第1项：至少需要 2 个字' },
    ]);
    for (const r of refusals(parsed.rows)) expect(r.reason).toMatch(/[\u4e00-\u9fff]/);
  });

  it('takes an individual by ID number and accepts the common ways of writing dates', async () => {
    const parsed = await parseImportFile(
      csvFile([
        row({
          主体类型: '自然人',
          主体名称: '张三',
          '统一社会信用代码/身份证号': '11010519491231002x',
          决定文书号: '个人〔1〕号',
          决定日期: daysFromToday(-20).replace(/-/g, '/'),
          告知书送达日期:
            `${daysFromToday(-20).slice(0, 4)}年` +
            `${Number(daysFromToday(-20).slice(5, 7))}月${Number(daysFromToday(-20).slice(8))}日`,
        }),
      ]),
    );
    expect(parsed.rows[0]).toMatchObject({
      status: 'valid',
      request: {
        subject: { type: 'individual', idNumber: '11010519491231002X', name: '张三' },
        decisionDocument: { date: daysFromToday(-20) },
        noticeServedOn: daysFromToday(-20),
      },
    });
  });

  it('normalises dates and legal bases', () => {
    expect(normaliseDate('2026/1/5')).toEqual({ date: '2026-01-05' });
    expect(normaliseDate('2026.01.05')).toEqual({ date: '2026-01-05' });
    expect(normaliseDate('2026年1月5日')).toEqual({ date: '2026-01-05' });
    expect(normaliseDate('20260105')).toEqual({ date: '2026-01-05' });
    expect(normaliseDate(20260105)).toEqual({ date: '2026-01-05' });
    expect(normaliseDate('2026/1/5 0:00')).toEqual({ date: '2026-01-05' });
    expect(normaliseDate(46027)).toEqual({ date: '2026-01-05' }); // an Excel serial
    expect(normaliseDate(new Date('2026-01-05T00:00:00Z'))).toEqual({ date: '2026-01-05' });
    expect(normaliseDate('1/5/2026')).toEqual({ problem: expect.stringContaining('无法识别的日期') });
    expect(
      parseLegalBasis(
        '《中华人民共和国政府采购法》第二十二条；《信用修复管理办法》; 国家税务总局令第54号第六条\n某某规定',
      ),
    ).toEqual([
      { document: '中华人民共和国政府采购法', article: '第二十二条' },
      { document: '信用修复管理办法' },
      { document: '国家税务总局令第54号', article: '第六条' },
      { document: '某某规定' },
    ]);
  });

  it('refuses every row when the template example is repeated, except the first', () => {
    const rows = checkImportTable({
      format: 'csv',
      rows: [{ line: 1, cells: HEADER }, ...[2, 3, 4].map((line) => ({ line, cells: TEMPLATE.example }))],
    });
    expect(refusals(rows).map((r) => r.reason)).toEqual([
      '与第2行重复（名单类型、名单类别、主体和决定文书号都相同）',
      '与第2行重复（名单类型、名单类别、主体和决定文书号都相同）',
    ]);
  });
});

describe('import file: whole-file problems', () => {
  it('refuses an empty file, a header without rows and a file of blank lines', async () => {
    expect(await wholeFileError(Buffer.alloc(0))).toBe('文件为空');
    expect(await wholeFileError(csvFile([]))).toBe('文件只有表头，没有数据行');
    expect(await wholeFileError(Buffer.from('\r\n,,\r\n'))).toBe('文件中没有内容');
  });

  it('names the missing and the unknown columns', async () => {
    const header = HEADER.filter((h) => h !== '主体名称' && h !== '决定日期').concat('联系电话');
    const message = await wholeFileError(csvFile([header.map(() => 'x')], header));
    expect(message).toContain('缺少必需的列：主体名称、决定日期');
    expect(message).toContain('无法识别的列：“联系电话”');
    expect(
      await wholeFileError(csvFile([row()], [...HEADER.slice(0, 4), 'subjectName', ...HEADER.slice(4)])),
    ).toContain('列重复');
    // optional columns may be left out
    const without = HEADER.filter((h) => h !== '告知书送达日期');
    expect(
      (await parseImportFile(csvFile([row().filter((_, i) => HEADER[i] !== '告知书送达日期')], without))).rows[0]
        .status,
    ).toBe('valid');
  });

  it(`refuses more than ${MAX_IMPORT_ROWS.toLocaleString()} rows`, () => {
    const cells = TEMPLATE.example;
    const table = {
      format: 'csv' as const,
      rows: [
        { line: 1, cells: HEADER },
        ...Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => ({ line: i + 2, cells })),
      ],
    };
    expect(() => checkImportTable(table)).toThrow(
      new WholeFileError('数据行过多：共 100,001 行，一次最多导入 100,000 行，请拆分后分别导入'),
    );
  });

  it('refuses what is not CSV or XLSX, old .xls files and damaged XLSX files', async () => {
    expect(await wholeFileError(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]))).toContain(
      '旧版 Excel（.xls）',
    );
    expect(await wholeFileError(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]))).toContain('不是 CSV 或 XLSX 文件');
    expect(await wholeFileError(Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)]))).toContain(
      '无法读取 XLSX 文件',
    );
    expect(await wholeFileError(Buffer.from('名单类型,名单类别'), { filename: '名单.xlsx' })).toContain(
      '不是有效的 XLSX 文件',
    );
    expect(await wholeFileError(Buffer.from([0x41, 0xff, 0xff, 0x0a]))).toContain('无法识别文件的文字编码');
    expect(await wholeFileError(Buffer.from(`${HEADER.join(',')}\n"unclosed,1\n`))).toContain('引号没有闭合');
    const noSheets = await toXlsx([]);
    expect(await wholeFileError(noSheets)).toContain('没有工作表');
  });

  it('writes the XLSX template readable by itself', async () => {
    const parsed = await parseImportFile(
      await xlsxFile([TEMPLATE.example, row({ '统一社会信用代码/身份证号': uscc(7), 决定文书号: '模板〔2〕号' })]),
    );
    expect(parsed.rows.map((r) => r.status)).toEqual(['valid', 'valid']);
    expect(IMPORT_COLUMNS.every((c) => c.note.length > 0)).toBe(true);
  });
});
