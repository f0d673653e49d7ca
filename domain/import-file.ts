/**
 * Bulk import of list entries from a spreadsheet (名单批量导入): the columns, and every data row turned
 * into a ListingRequest through the same zod schema the API uses. A refused row names its line as the
 * user sees it in the file (the header is line 1), the column and the reason, in Chinese. A problem
 * with the file as a whole (wrong kind, empty, missing columns, too many rows) throws WholeFileError:
 * nothing of such a file is imported. No I/O.
 */
import type { z } from 'zod';
import './locale';
import { entryIdOf, ListingRequest } from './listing';
import { CATEGORIES, CATEGORY_CODES, LIST_KIND_LABELS, SEVERITIES, SEVERITY_LABELS, type ListKind } from './vocabulary';
import { readTable, type Cell, type SpreadsheetFormat, type Table } from './spreadsheet';
import {
  checkRowCount,
  columnOfPath,
  isBlank,
  lookup,
  mapHeader,
  rowReader,
  splitTable,
  summarise,
  SUBJECT_TYPE_VALUES,
  type Problem,
  type SheetColumn,
} from './sheet-columns';

export { WholeFileError } from './spreadsheet';
export { normaliseDate } from './sheet-columns';

export const MAX_IMPORT_ROWS = 100_000;

export type ColumnKey =
  | 'listKind'
  | 'category'
  | 'severity'
  | 'subjectType'
  | 'subjectName'
  | 'subjectId'
  | 'authority'
  | 'legalBasis'
  | 'decisionNumber'
  | 'decisionDate'
  | 'reason'
  | 'noticeServedOn'
  | 'effectiveDate'
  | 'validUntil';

export type ImportColumn = SheetColumn<ColumnKey>;

export const IMPORT_COLUMNS: readonly ImportColumn[] = [
  {
    key: 'listKind',
    header: '名单类型',
    aliases: ['listKind'],
    required: true,
    note: '红名单 或 黑名单（也可填 red / black）',
  },
  {
    key: 'category',
    header: '名单类别',
    aliases: ['category'],
    required: true,
    note: `名单类别名称或代码，如：${Object.values(CATEGORIES)
      .map((c) => c.label)
      .join('、')}`,
  },
  {
    key: 'severity',
    header: '失信程度',
    aliases: ['severity'],
    required: false,
    note: '黑名单必填：轻微、一般 或 严重（也可填 minor / general / serious）；红名单留空',
  },
  {
    key: 'subjectType',
    header: '主体类型',
    aliases: ['subject.type', 'subjectType'],
    required: true,
    note: '企业、自然人 或 其他组织（也可填 enterprise / individual / other_org）',
  },
  {
    key: 'subjectName',
    header: '主体名称',
    aliases: ['subject.name', 'subjectName', '名称', '姓名'],
    required: true,
    note: '企业或组织名称、自然人姓名',
  },
  {
    key: 'subjectId',
    header: '统一社会信用代码/身份证号',
    aliases: [
      '统一社会信用代码',
      '身份证号',
      '身份证号码',
      '公民身份号码',
      '统一社会信用代码或身份证号',
      '证件号码',
      'subject.uscc',
      'subject.idNumber',
      'subjectId',
      'uscc',
      'idNumber',
    ],
    required: true,
    multi: true,
    note: '企业、其他组织填18位统一社会信用代码；自然人填18位公民身份号码（请将该列设为“文本”格式）',
  },
  { key: 'authority', header: '认定单位', aliases: ['authority'], required: true, note: '作出认定的单位全称' },
  {
    key: 'legalBasis',
    header: '认定依据',
    aliases: ['legalBasis'],
    required: true,
    note: '文件名称及条款，如“《重大税收违法失信主体信息公布管理办法》第六条”；多项用“；”分隔',
  },
  {
    key: 'decisionNumber',
    header: '决定文书号',
    aliases: ['decisionDocument.number', 'decisionNumber', '决定书文号', '决定文书编号'],
    required: true,
    note: '认定决定书的文号',
  },
  {
    key: 'decisionDate',
    header: '决定日期',
    aliases: ['decisionDocument.date', 'decisionDate'],
    required: true,
    note: '日期，如 2026-01-05（也可填 2026/1/5、2026年1月5日 或 Excel 日期）',
  },
  {
    key: 'reason',
    header: '事由',
    aliases: ['reason', '认定事实与理由', '失信事由', '列入事由'],
    required: true,
    note: '认定的事实与理由',
  },
  {
    key: 'noticeServedOn',
    header: '告知书送达日期',
    aliases: ['noticeServedOn'],
    required: false,
    note: '事前告知书送达日期（随决定书“两书同达”时填）；留空表示今天送达',
  },
  {
    key: 'effectiveDate',
    header: '生效日期',
    aliases: ['effectiveDate'],
    required: true,
    note: '拟生效日期；实际生效不早于告知期届满',
  },
  {
    key: 'validUntil',
    header: '有效期至',
    aliases: ['validUntil'],
    required: true,
    note: '有效期最后一天（含），须晚于生效日期',
  },
];

const COLUMN: Record<ColumnKey, ImportColumn> = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c.key, c])) as Record<
  ColumnKey,
  ImportColumn
>;

export type ImportRow =
  | { line: number; status: 'valid'; request: ListingRequest; entryId: string }
  | { line: number; status: 'refused'; field?: string; reason: string };

export interface ParsedImport {
  format: SpreadsheetFormat;
  encoding?: string;
  rows: ImportRow[];
}

/** Reads a CSV or XLSX file and checks every row; throws WholeFileError for a file that cannot be used. */
export async function parseImportFile(
  bytes: Uint8Array,
  hint: { filename?: string; contentType?: string } = {},
): Promise<ParsedImport> {
  const table = await readTable(bytes, hint);
  return { format: table.format, encoding: table.encoding, rows: checkImportTable(table) };
}

/** Checks the rows of a table: the first non-empty row is the header; empty rows are skipped. */
export function checkImportTable(table: Table): ImportRow[] {
  const { header, data } = splitTable(table);
  const columns = mapHeader(header.cells, IMPORT_COLUMNS);
  checkRowCount(data, MAX_IMPORT_ROWS);
  const firstLineOf = new Map<string, number>();
  return data.map((row): ImportRow => {
    const checked = checkRow(row.cells, columns);
    if ('problems' in checked)
      return { line: row.line, status: 'refused', ...summarise(checked.problems, (k) => COLUMN[k].header) };
    const entryId = entryIdOf(checked.request);
    const first = firstLineOf.get(entryId);
    if (first !== undefined)
      return {
        line: row.line,
        status: 'refused',
        reason: `与第${first}行重复（名单类型、名单类别、主体和决定文书号都相同）`,
      };
    firstLineOf.set(entryId, row.line);
    return { line: row.line, status: 'valid', request: checked.request, entryId };
  });
}

/** 《document》article, or document 第X条…; several separated by ；, ; or line breaks. */
export function parseLegalBasis(s: string): Array<{ document: string; article?: string }> {
  return s
    .split(/[；;\r\n]+/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const quoted = /^《(.+?)》\s*(.*)$/.exec(part);
      if (quoted) return { document: quoted[1].trim(), ...(quoted[2].trim() ? { article: quoted[2].trim() } : {}) };
      const article = /^(.+?)\s*(第[一二三四五六七八九十百千零〇两\d]+条.*)$/.exec(part);
      if (article) return { document: article[1], article: article[2] };
      return { document: part };
    });
}

const LIST_KINDS: Record<string, ListKind> = {
  红名单: 'red',
  红: 'red',
  守信: 'red',
  red: 'red',
  黑名单: 'black',
  黑: 'black',
  失信: 'black',
  black: 'black',
};
const SEVERITY_VALUES: Record<string, (typeof SEVERITIES)[number]> = Object.fromEntries(
  SEVERITIES.flatMap((s) => [
    [s, s],
    [SEVERITY_LABELS[s], s],
    [`${SEVERITY_LABELS[s]}失信`, s],
  ]),
);
const CATEGORY_VALUES: Record<string, (typeof CATEGORY_CODES)[number]> = Object.fromEntries(
  CATEGORY_CODES.flatMap((code) => [
    [code, code],
    [CATEGORIES[code].label, code],
  ]),
);

function checkRow(
  cells: Cell[],
  columns: Map<ColumnKey, number[]>,
): { request: ListingRequest } | { problems: Problem<ColumnKey>[] } {
  const { problems, cellOf, value, oneOf, date, idNumber } = rowReader(cells, columns, (k) => COLUMN[k].required);
  const listKind = oneOf('listKind', LIST_KINDS, '红名单或黑名单');
  const categoryRaw = value('category');
  const category = categoryRaw === undefined ? undefined : lookup(categoryRaw, CATEGORY_VALUES);
  if (categoryRaw !== undefined && !category) {
    const choices = CATEGORY_CODES.filter((c) => !listKind || CATEGORIES[c].kind === listKind).map(
      (c) => CATEGORIES[c].label,
    );
    problems.push({
      key: 'category',
      reason: `“${categoryRaw}”不是已知的${listKind ? LIST_KIND_LABELS[listKind] : ''}名单类别，可填：${choices.join('、')}`,
    });
  }
  const severity = oneOf('severity', SEVERITY_VALUES, '轻微、一般或严重');
  if (listKind === 'black' && !severity && isBlank(cellOf('severity')))
    problems.push({ key: 'severity', reason: '黑名单必须填写失信程度（轻微、一般或严重）' });
  const subjectType = oneOf('subjectType', SUBJECT_TYPE_VALUES, '企业、自然人或其他组织');
  const name = value('subjectName');
  const id = idNumber('subjectId');
  const legalBasisText = value('legalBasis');
  const request = {
    subject:
      subjectType === 'individual' ? { type: subjectType, idNumber: id, name } : { type: subjectType, uscc: id, name },
    listKind,
    category,
    ...(severity ? { severity } : {}),
    authority: value('authority'),
    legalBasis: legalBasisText === undefined ? undefined : parseLegalBasis(legalBasisText),
    decisionDocument: { number: value('decisionNumber'), date: date('decisionDate') },
    reason: value('reason'),
    ...(isBlank(cellOf('noticeServedOn')) ? {} : { noticeServedOn: date('noticeServedOn') }),
    effectiveDate: date('effectiveDate'),
    validUntil: date('validUntil'),
  };
  // the schema speaks to what the checks above left alone
  const parsed = ListingRequest.safeParse(request);
  if (parsed.success && problems.length === 0) return { request: parsed.data };
  const reported = new Set(problems.map((p) => p.key));
  for (const issue of parsed.success ? [] : (parsed.error as z.ZodError).issues) {
    const key = columnOfPath(issue.path, COLUMN);
    if (key && reported.has(key)) continue;
    if (key) reported.add(key);
    const item =
      issue.path[0] === 'legalBasis' && typeof issue.path[1] === 'number' ? `第${issue.path[1] + 1}项：` : '';
    problems.push({ key, reason: item + issue.message });
  }
  return { problems };
}

/** Header and one valid example row (dates around `today`, a CST date): importing it unchanged works. */
export function importTemplate(today: string): {
  header: string[];
  example: string[];
  notes: string[][];
  textColumns: number[];
} {
  const day = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  const example: Record<ColumnKey, string> = {
    listKind: '黑名单',
    category: CATEGORIES.major_tax_violation.label,
    severity: '严重',
    subjectType: '企业',
    subjectName: '示例科技有限公司',
    subjectId: '914403001922038216',
    authority: '国家税务总局沧州市税务局',
    legalBasis: '《重大税收违法失信主体信息公布管理办法》第六条；《中华人民共和国税收征收管理法》第六十三条',
    decisionNumber: `沧税稽罚〔${today.slice(0, 4)}〕示例1号`,
    decisionDate: day(-20),
    reason: '虚开增值税专用发票，情节严重',
    noticeServedOn: day(-20),
    effectiveDate: today,
    validUntil: day(364),
  };
  return {
    header: IMPORT_COLUMNS.map((c) => c.header),
    example: IMPORT_COLUMNS.map((c) => example[c.key]),
    notes: IMPORT_COLUMNS.map((c) => [
      c.header,
      c.required ? '是' : c.key === 'severity' ? '黑名单必填' : '否',
      c.note,
      [c.header, ...c.aliases].join('、'),
    ]),
    // long digit strings Excel would otherwise turn into (rounded) numbers
    textColumns: IMPORT_COLUMNS.flatMap((c, i) => (c.key === 'subjectId' || c.key === 'decisionNumber' ? [i] : [])),
  };
}
