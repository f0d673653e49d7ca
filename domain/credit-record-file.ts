/**
 * Credit-record files (信用记录批量报送): a department's CSV or XLSX file of records, every data row turned
 * into a CreditRecordInput through the same zod schema as `POST /departments/me/credit-records`. The file
 * is delivered as the uploading department: a 来源单位 column, where present, must name that department.
 * A refused row names its line (the header is line 1), its column and the reason, in Chinese; a row
 * repeating an earlier record id is refused with the earlier line. Whole-file problems throw
 * WholeFileError (domain/spreadsheet.ts): nothing of such a file is imported. No I/O.
 */
import type { z } from 'zod';
import './locale';
import {
  COMMITMENT_FULFILMENT,
  COMMITMENT_TYPES,
  creditRecordIdOf,
  CreditRecordInput,
  EVALUATION_GRADES,
  RECORD_CLASSES,
  RECORD_CLASS_CODES,
  recordDigest,
  type RecordClass,
} from './credit-record';
import { SEVERITIES, SEVERITY_LABELS } from './vocabulary';
import { readTable, type Cell, type SpreadsheetFormat, type Table } from './spreadsheet';
import {
  checkRowCount,
  columnOfPath,
  isBlank,
  mapHeader,
  rowReader,
  splitTable,
  summarise,
  SUBJECT_TYPE_VALUES,
  type Problem,
  type SheetColumn,
} from './sheet-columns';

export const MAX_RECORD_ROWS = 100_000;

export type RecordColumnKey =
  | 'recordClass'
  | 'sourceRecordId'
  | 'source'
  | 'subjectType'
  | 'subjectName'
  | 'subjectId'
  | 'decisionNumber'
  | 'decisionDate'
  | 'title'
  | 'content'
  | 'legalBasis'
  | 'validFrom'
  | 'validUntil'
  | 'repairedOn'
  | 'severity'
  | 'simpleProcedure'
  | 'penalty'
  | 'measure'
  | 'licenseCategory'
  | 'commitmentType'
  | 'fulfilment'
  | 'scheme'
  | 'grade'
  | 'court'
  | 'grantor'
  | 'publicityUntil';

const col = (
  key: RecordColumnKey,
  header: string,
  note: string,
  aliases: string[] = [],
  required = false,
): SheetColumn<RecordColumnKey> => ({ key, header, note, aliases: [key, ...aliases], required });

export const RECORD_COLUMNS: readonly SheetColumn<RecordColumnKey>[] = [
  col(
    'recordClass',
    '信息类别',
    `${Object.values(RECORD_CLASSES)
      .map((c) => c.label)
      .join('、')}（也可填代码，如 administrative_penalty）`,
    ['信用信息类别', '类别'],
    true,
  ),
  col('sourceRecordId', '记录编号', '本部门自己的记录编号：同一编号再次报送视为同一条记录', ['本单位记录编号'], true),
  col('source', '来源单位', '可不填；填写时须为本部门（只能以本部门名义报送）', [
    '报送部门',
    '报送单位',
    'departmentId',
  ]),
  col(
    'subjectType',
    '主体类型',
    '企业、自然人 或 其他组织（也可填 enterprise / individual / other_org）',
    ['subject.type'],
    true,
  ),
  col('subjectName', '主体名称', '企业或组织名称、自然人姓名', ['subject.name', '名称', '姓名'], true),
  {
    ...col(
      'subjectId',
      '统一社会信用代码/身份证号',
      '18位统一社会信用代码或公民身份号码（请将该列设为“文本”格式）',
      [
        '统一社会信用代码',
        '身份证号',
        '身份证号码',
        '公民身份号码',
        '证件号码',
        'subject.uscc',
        'subject.idNumber',
        'uscc',
        'idNumber',
      ],
      true,
    ),
    multi: true,
  },
  col('decisionNumber', '决定文书号', '决定文书号或证书编号', ['decisionDocument.number', '决定书文号'], true),
  col(
    'decisionDate',
    '决定日期',
    '日期，如 2026-01-05（也可填 2026/1/5、2026年1月5日 或 Excel 日期）',
    ['decisionDocument.date'],
    true,
  ),
  col('title', '事项名称', '事项名称或事由', ['事由', '名称或事由'], true),
  col('content', '内容摘要', '可不填', ['内容']),
  col('legalBasis', '依据', '可不填', ['法律依据']),
  col('validFrom', '有效期自', '可不填'),
  col('validUntil', '有效期至', '可不填（经营异常：移出日期）'),
  col('repairedOn', '信用修复日期', '已修复时填写（“谁认定、谁修复”）', ['修复日期']),
  col('severity', '失信程度', '行政处罚必填：轻微、一般 或 严重（也可填 minor / general / serious）'),
  col('simpleProcedure', '简易程序', '行政处罚：是 或 否（缺省为否）'),
  col('penalty', '处罚内容', '行政处罚：处罚种类和内容', ['处罚种类和内容']),
  col('measure', '强制措施', '行政强制：强制措施或强制执行方式'),
  col('licenseCategory', '许可类别', '行政许可：许可类别'),
  col(
    'commitmentType',
    '承诺类型',
    `信用承诺必填：${Object.values(COMMITMENT_TYPES).join('、')}（也可填代码，如 approval_substitute）`,
  ),
  col('fulfilment', '履约情况', `信用承诺必填：${Object.values(COMMITMENT_FULFILMENT).join('、')}`),
  col('scheme', '评价体系', '信用评价必填，如“纳税信用等级评价”'),
  col('grade', '评价等级', '信用评价必填：A、B、C 或 D'),
  col('court', '审判机关', '刑事裁判必填'),
  col('grantor', '授予单位', '诚实守信（表彰荣誉）必填'),
  col('publicityUntil', '公示截止日期', '可不填（缺省为规则允许的最长期限）'),
];

const COLUMN = Object.fromEntries(RECORD_COLUMNS.map((c) => [c.key, c])) as Record<
  RecordColumnKey,
  SheetColumn<RecordColumnKey>
>;
const headerOf = (k: RecordColumnKey) => COLUMN[k].header;

/** The columns only some classes have: a value in another class's row is refused, not silently dropped. */
const CLASS_FIELDS: Record<RecordClass, RecordColumnKey[]> = {
  administrative_license: ['licenseCategory'],
  administrative_penalty: ['severity', 'simpleProcedure', 'penalty', 'publicityUntil'],
  administrative_coercion: ['measure', 'publicityUntil'],
  credit_commitment: ['commitmentType', 'fulfilment', 'publicityUntil'],
  credit_evaluation: ['scheme', 'grade'],
  business_abnormal: ['publicityUntil'],
  criminal_judgment: ['court', 'publicityUntil'],
  honour: ['grantor'],
};
const CLASS_SPECIFIC = new Set(Object.values(CLASS_FIELDS).flat());
/** Columns that hold a date. */
const DATE_COLUMNS = new Set<RecordColumnKey>([
  'decisionDate',
  'validFrom',
  'validUntil',
  'repairedOn',
  'publicityUntil',
]);

const byLabel = <T extends string>(entries: Array<[T, string]>, extra: Record<string, T> = {}): Record<string, T> => ({
  ...Object.fromEntries(
    entries.flatMap(([code, label]) => [
      [code.toLowerCase(), code],
      [label.replace(/\s/g, '').toLowerCase(), code],
    ]),
  ),
  ...extra,
});

const CLASS_VALUES = byLabel(
  RECORD_CLASS_CODES.map((c) => [c, RECORD_CLASSES[c].label]),
  { 经营异常: 'business_abnormal', 诚实守信: 'honour', 表彰荣誉: 'honour' },
);
const SEVERITY_VALUES = byLabel(
  SEVERITIES.map((s) => [s, SEVERITY_LABELS[s]]),
  Object.fromEntries(SEVERITIES.map((s) => [`${SEVERITY_LABELS[s]}失信`, s])),
);
const COMMITMENT_TYPE_VALUES = byLabel(
  Object.entries(COMMITMENT_TYPES) as Array<[keyof typeof COMMITMENT_TYPES, string]>,
);
const FULFILMENT_VALUES = byLabel(
  Object.entries(COMMITMENT_FULFILMENT) as Array<[keyof typeof COMMITMENT_FULFILMENT, string]>,
  { 履约: 'kept', 未履约: 'violated' },
);
const YES_NO: Record<string, 'yes' | 'no'> = { 是: 'yes', 否: 'no', yes: 'yes', no: 'no', true: 'yes', false: 'no' };
const GRADES = Object.fromEntries(EVALUATION_GRADES.flatMap((g) => [[g.toLowerCase(), g]])) as Record<
  string,
  (typeof EVALUATION_GRADES)[number]
>;

/** The uploading department: rows are delivered as it, and only as it. */
export interface RecordFileContext {
  departmentId: string;
  departmentName: string;
}

export type RecordImportRow =
  | { line: number; status: 'valid'; record: CreditRecordInput; recordId: string }
  | { line: number; status: 'refused'; field?: string; reason: string };

export interface ParsedRecordFile {
  format: SpreadsheetFormat;
  encoding?: string;
  rows: RecordImportRow[];
}

/** Reads a CSV or XLSX file of credit records and checks every row; throws WholeFileError for an unusable file. */
export async function parseCreditRecordFile(
  bytes: Uint8Array,
  hint: { filename?: string; contentType?: string },
  context: RecordFileContext,
): Promise<ParsedRecordFile> {
  const table = await readTable(bytes, hint);
  return { format: table.format, encoding: table.encoding, rows: checkRecordTable(table, context) };
}

export function checkRecordTable(table: Table, context: RecordFileContext): RecordImportRow[] {
  const { header, data } = splitTable(table);
  const columns = mapHeader(header.cells, RECORD_COLUMNS);
  checkRowCount(data, MAX_RECORD_ROWS);
  const first = new Map<string, { line: number; digest: string }>();
  return data.map((row): RecordImportRow => {
    const checked = checkRecordRow(row.cells, columns, context);
    if ('problems' in checked) return { line: row.line, status: 'refused', ...summarise(checked.problems, headerOf) };
    const { record } = checked;
    const digest = recordDigest(record);
    const earlier = first.get(record.sourceRecordId);
    if (earlier)
      return {
        line: row.line,
        status: 'refused',
        field: headerOf('sourceRecordId'),
        reason:
          earlier.digest === digest
            ? `与第${earlier.line}行重复（记录编号与内容都相同）`
            : `记录编号“${record.sourceRecordId}”与第${earlier.line}行相同而内容不同：同一记录编号只能对应一条记录`,
      };
    first.set(record.sourceRecordId, { line: row.line, digest });
    return {
      line: row.line,
      status: 'valid',
      record,
      recordId: creditRecordIdOf(context.departmentId, record.sourceRecordId),
    };
  });
}

function checkRecordRow(
  cells: Cell[],
  columns: Map<RecordColumnKey, number[]>,
  context: RecordFileContext,
): { record: CreditRecordInput } | { problems: Problem<RecordColumnKey>[] } {
  const { problems, cellOf, value, oneOf, date, idNumber } = rowReader(cells, columns, (k) => COLUMN[k].required);
  const recordClass = oneOf(
    'recordClass',
    CLASS_VALUES,
    `以下之一：${Object.values(RECORD_CLASSES)
      .map((c) => c.label)
      .join('、')}`,
  );
  const source = value('source');
  if (source !== undefined && source !== context.departmentName && source !== context.departmentId)
    problems.push({
      key: 'source',
      reason: `只能以本部门（${context.departmentName}）名义报送，本行来源单位为“${source}”：其他单位的记录请由该单位报送`,
    });
  const subjectType = oneOf('subjectType', SUBJECT_TYPE_VALUES, '企业、自然人或其他组织');
  const name = value('subjectName');
  const id = idNumber('subjectId');
  const optionalDate = (k: RecordColumnKey) => (isBlank(cellOf(k)) ? undefined : date(k));

  const specific: Record<string, unknown> = {};
  if (recordClass) {
    const own = new Set(CLASS_FIELDS[recordClass]);
    for (const k of CLASS_SPECIFIC) {
      if (own.has(k) || isBlank(cellOf(k))) continue;
      problems.push({ key: k, reason: `不适用于“${RECORD_CLASSES[recordClass].label}”信息，请留空` });
    }
    for (const k of own) {
      if (isBlank(cellOf(k))) continue;
      if (k === 'severity') specific.severity = oneOf(k, SEVERITY_VALUES, '轻微、一般或严重');
      else if (k === 'simpleProcedure') specific.simpleProcedure = oneOf(k, YES_NO, '是或否') === 'yes';
      else if (k === 'commitmentType')
        specific.commitmentType = oneOf(k, COMMITMENT_TYPE_VALUES, Object.values(COMMITMENT_TYPES).join('、'));
      else if (k === 'fulfilment')
        specific.fulfilment = oneOf(k, FULFILMENT_VALUES, Object.values(COMMITMENT_FULFILMENT).join('、'));
      else if (k === 'grade') specific.grade = oneOf(k, GRADES, 'A、B、C 或 D');
      else if (DATE_COLUMNS.has(k)) specific[k] = date(k);
      else specific[k] = value(k);
    }
    if (recordClass === 'administrative_penalty' && isBlank(cellOf('severity')))
      problems.push({ key: 'severity', reason: '行政处罚必须填写失信程度（轻微、一般或严重）' });
  }
  const input = {
    recordClass,
    sourceRecordId: value('sourceRecordId'),
    subject:
      subjectType === 'individual' ? { type: subjectType, idNumber: id, name } : { type: subjectType, uscc: id, name },
    decisionDocument: { number: value('decisionNumber'), date: date('decisionDate') },
    title: value('title'),
    ...Object.fromEntries(
      (['content', 'legalBasis'] as const).flatMap((k) => (isBlank(cellOf(k)) ? [] : [[k, value(k)]])),
    ),
    ...Object.fromEntries(
      (['validFrom', 'validUntil', 'repairedOn'] as const).flatMap((k) => {
        const d = optionalDate(k);
        return d === undefined ? [] : [[k, d]];
      }),
    ),
    ...specific,
  };
  if (problems.length > 0) return { problems };
  const parsed = CreditRecordInput.safeParse(input);
  if (parsed.success) return { record: parsed.data };
  const reported = new Set<RecordColumnKey | undefined>();
  for (const issue of (parsed.error as z.ZodError).issues) {
    const key = columnOfPath(issue.path, COLUMN);
    if (key && reported.has(key)) continue;
    reported.add(key);
    problems.push({ key, reason: issue.message });
  }
  return { problems };
}

/** Header and one valid example row (a general penalty decided 20 days before `today`): it imports as it stands. */
export function recordTemplate(
  today: string,
  departmentName: string,
): { header: string[]; example: string[]; notes: string[][]; textColumns: number[] } {
  const day = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  const example: Partial<Record<RecordColumnKey, string>> = {
    recordClass: RECORD_CLASSES.administrative_penalty.label,
    sourceRecordId: `示例-${today.replace(/-/g, '')}-0001`,
    source: departmentName,
    subjectType: '企业',
    subjectName: '示例科技有限公司',
    subjectId: '914403001922038216',
    decisionNumber: `示例罚〔${today.slice(0, 4)}〕1号`,
    decisionDate: day(-20),
    title: '未按规定期限办理纳税申报',
    legalBasis: '《中华人民共和国税收征收管理法》第六十二条',
    severity: '一般',
    simpleProcedure: '否',
    penalty: '罚款人民币二千元',
  };
  return {
    header: RECORD_COLUMNS.map((c) => c.header),
    example: RECORD_COLUMNS.map((c) => example[c.key] ?? ''),
    notes: RECORD_COLUMNS.map((c) => [
      c.header,
      c.required ? '是' : CLASS_SPECIFIC.has(c.key) && /必填/.test(c.note) ? '按类别' : '否',
      c.note,
      [c.header, ...c.aliases].join('、'),
    ]),
    textColumns: RECORD_COLUMNS.flatMap((c, i) =>
      ['subjectId', 'decisionNumber', 'sourceRecordId'].includes(c.key) ? [i] : [],
    ),
  };
}
