/**
 * The columns of an import file and what every kind of import file shares: matching the header row to
 * known columns (template headers, the API's field names, variants), the data rows under it, cells as
 * text and dates, and one refusal per row naming its column. The kinds (list files in
 * domain/import-file.ts, credit-record files in domain/credit-record-file.ts) define their columns and
 * turn a row into their own zod-checked request. No I/O.
 */
import { WholeFileError, type Cell, type Table, type TableRow } from './spreadsheet';
import { SUBJECT_TYPE_LABELS } from './vocabulary';

export interface SheetColumn<K extends string> {
  key: K;
  /** The header of the template, and the column's name in every message. */
  header: string;
  /** Other headers accepted for the column: the API's field names and common variants. */
  aliases: readonly string[];
  /** The column must be in the file (a row may still leave an optional cell empty). */
  required: boolean;
  /** Several headers may feed the column (e.g. separate USCC and ID-number columns): first non-empty wins. */
  multi?: boolean;
  /** How to fill it in (the template's instructions). */
  note: string;
}

/** Columns a file may carry without being used. */
export const IGNORED_HEADERS = ['序号', '编号', '备注', 'no', 'no.', '#', 'remark', 'remarks', 'note', 'notes'];

/** A header as compared: no spaces, no required-marks, no trailing note in brackets, case-folded. */
export const normHeader = (h: string) =>
  h
    .replace(/^\uFEFF/, '')
    .replace(/[\s\u3000*＊]/g, '')
    .replace(/[（(][^（）()]*[）)]$/, '')
    .toLowerCase();

export const isBlank = (c: Cell | undefined) =>
  c === null || c === undefined || (typeof c === 'string' && c.trim() === '');

export const cellText = (c: Cell): string => (c instanceof Date ? isoDate(c) : c === null ? '' : String(c).trim());
const isoDate = (d: Date) => d.toISOString().slice(0, 10);
const pad = (n: string) => n.padStart(2, '0');

/** Excel's day 0 (the 1900 date system, with its leap-year quirk folded in). */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

/** A date cell as YYYY-MM-DD: Excel dates and serials, 2026-01-05, 2026/1/5, 2026.1.5, 2026年1月5日, 20260105. */
export function normaliseDate(cell: Cell): { date: string } | { problem: string } {
  if (cell instanceof Date) return { date: isoDate(cell) };
  if (typeof cell === 'number') {
    if (/^(19|20|21)\d{6}$/.test(String(cell))) return normaliseDate(String(cell));
    if (Number.isFinite(cell) && cell > 0 && cell < 2_958_466)
      return { date: isoDate(new Date(EXCEL_EPOCH + Math.floor(cell) * 86_400_000)) };
  }
  const s = cellText(cell).replace(/\s+\d{1,2}:\d{2}(:\d{2})?$/, '');
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return { date: `${m[1]}-${pad(m[2])}-${pad(m[3])}` };
  return { problem: `无法识别的日期“${s}”，请写成 2026-01-05 这样的格式` };
}

/** A value of a controlled vocabulary by its Chinese label, its code or a common variant. */
export function lookup<T extends string>(raw: string, table: Record<string, T>): T | undefined {
  return table[raw.replace(/\s/g, '').toLowerCase()];
}

/** Which cells feed which column, from the header row; whole-file problems are thrown. */
export function mapHeader<K extends string>(header: Cell[], columns: readonly SheetColumn<K>[]): Map<K, number[]> {
  const byKey = new Map(columns.map((c) => [c.key, c]));
  const index = new Map<string, K>(
    columns.flatMap((c) => [c.header, ...c.aliases].map((h) => [normHeader(h), c.key] as const)),
  );
  const found = new Map<K, number[]>();
  const unknown: string[] = [];
  const doubled: string[] = [];
  header.forEach((cell, i) => {
    if (isBlank(cell)) return;
    const text = String(cell).trim();
    const key = index.get(normHeader(text));
    if (!key) {
      if (!IGNORED_HEADERS.includes(normHeader(text))) unknown.push(`“${text}”`);
      return;
    }
    const seen = found.get(key);
    if (seen && !byKey.get(key)!.multi)
      doubled.push(`“${String(header[seen[0]]).trim()}”与“${text}”（都是${byKey.get(key)!.header}）`);
    found.set(key, [...(seen ?? []), i]);
  });
  const missing = columns.filter((c) => c.required && !found.has(c.key)).map((c) => c.header);
  const problems = [
    missing.length ? `缺少必需的列：${missing.join('、')}` : '',
    unknown.length ? `无法识别的列：${unknown.join('、')}` : '',
    doubled.length ? `列重复：${doubled.join('；')}` : '',
  ].filter(Boolean);
  if (problems.length)
    throw new WholeFileError(
      `表头有误：${problems.join('；')}。表头应在第1行，列名请与导入模板一致（“序号”“备注”列可保留）`,
    );
  return found;
}

/** The header and the data rows of a table (the first non-empty row is the header; empty rows are skipped). */
export function splitTable(table: Table): { header: TableRow; data: TableRow[] } {
  const nonEmpty = table.rows.filter((r) => r.cells.some((c) => !isBlank(c)));
  if (nonEmpty.length === 0) throw new WholeFileError('文件中没有内容');
  const [header, ...data] = nonEmpty;
  return { header, data };
}

/** Throws when a file has no data rows or more than `maxRows` (called once the header is known good). */
export function checkRowCount(data: TableRow[], maxRows: number): void {
  if (data.length === 0) throw new WholeFileError('文件只有表头，没有数据行');
  if (data.length > maxRows) {
    throw new WholeFileError(
      `数据行过多：共 ${data.length.toLocaleString('en-US')} 行，一次最多导入 ${maxRows.toLocaleString('en-US')} 行，请拆分后分别导入`,
    );
  }
}

export interface Problem<K extends string> {
  key?: K;
  reason: string;
}

/** One refusal per row: the first problem, with any others after it. */
export function summarise<K extends string>(
  problems: Problem<K>[],
  headerOf: (key: K) => string,
): { field?: string; reason: string } {
  const [first, ...rest] = problems;
  const others = rest.map((p) => (p.key ? `${headerOf(p.key)}：${p.reason}` : p.reason));
  return {
    ...(first.key ? { field: headerOf(first.key) } : {}),
    reason: first.reason + (others.length ? `（另有：${others.join('；')}）` : ''),
  };
}

/** Reads the cells of one row by column: the first non-empty of a column's cells, as text or as a date. */
export function rowReader<K extends string>(cells: Cell[], columns: Map<K, number[]>, isRequired: (key: K) => boolean) {
  const problems: Problem<K>[] = [];
  const cellOf = (key: K): Cell => {
    const found = (columns.get(key) ?? []).map((i) => cells[i] ?? null).find((c) => !isBlank(c));
    return found ?? null;
  };
  const value = (key: K): string | undefined => {
    const c = cellOf(key);
    if (isBlank(c)) {
      if (isRequired(key)) problems.push({ key, reason: '不能为空' });
      return undefined;
    }
    return cellText(c);
  };
  const oneOf = <T extends string>(key: K, table: Record<string, T>, allowed: string): T | undefined => {
    const raw = value(key);
    if (raw === undefined) return undefined;
    const v = lookup(raw, table);
    if (!v) problems.push({ key, reason: `“${raw}”无效，应为${allowed}` });
    return v;
  };
  const date = (key: K): string | undefined => {
    const c = cellOf(key);
    if (isBlank(c)) return value(key);
    const d = normaliseDate(c);
    if ('problem' in d) problems.push({ key, reason: d.problem });
    return 'date' in d ? d.date : undefined;
  };
  /** A USCC or ID number: refused when Excel stored it as a number (its last digits may be lost). */
  const idNumber = (key: K): string | undefined => {
    const c = cellOf(key);
    const id = value(key);
    if (typeof c === 'number' || (id !== undefined && /^\d+(\.\d+)?e\+?\d+$/i.test(id))) {
      problems.push({
        key,
        reason: '号码被 Excel 存成了数字（末尾几位可能已丢失）：请把该列设为“文本”格式后重新填写',
      });
      return undefined;
    }
    return id;
  };
  return { problems, cellOf, value, oneOf, date, idNumber };
}

/** A subject-type cell: the code, its label, or the words people write (法人, 个人, 社会组织). */
export const SUBJECT_TYPE_VALUES: Record<string, 'enterprise' | 'individual' | 'other_org'> = {
  ...Object.fromEntries(
    Object.entries(SUBJECT_TYPE_LABELS).flatMap(([code, label]) => [
      [code, code],
      [label, code],
    ]),
  ),
  法人: 'enterprise',
  个人: 'individual',
  社会组织: 'other_org',
};

/**
 * The column a schema issue belongs to, by its path in the row's request: the subject's and the decision
 * document's parts have their own columns, every other field the column of its name (when there is one).
 */
export function columnOfPath<K extends string>(path: PropertyKey[], columns: Record<K, unknown>): K | undefined {
  const [head, next] = path;
  if (head === 'subject')
    return (
      next === 'name' ? 'subjectName' : next === 'uscc' || next === 'idNumber' ? 'subjectId' : 'subjectType'
    ) as K;
  if (head === 'decisionDocument') return (next === 'date' ? 'decisionDate' : 'decisionNumber') as K;
  return head !== undefined && String(head) in columns ? (String(head) as K) : undefined;
}
