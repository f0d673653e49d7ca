/**
 * Spreadsheet files as tables of cells, and back: CSV (UTF-8 with or without BOM, UTF-16 with BOM, or
 * GB18030/GBK as Excel on Chinese Windows saves it) and XLSX (the first worksheet). Pure: bytes in,
 * cells out. A problem with the file as a whole throws WholeFileError with a message for people.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';

export type SpreadsheetFormat = 'csv' | 'xlsx';
export type Cell = string | number | boolean | Date | null;
/** One row as the user sees it: `line` is the spreadsheet's row number (the first row is 1). */
export interface TableRow {
  line: number;
  cells: Cell[];
}
export interface Table {
  format: SpreadsheetFormat;
  /** The text encoding a CSV file was read in. */
  encoding?: string;
  rows: TableRow[];
}

/** The file cannot be read as a whole (wrong kind, empty, corrupt): nothing in it is used. */
export class WholeFileError extends Error {}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE2_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

/**
 * The largest upload of each format. 100,000 rows (the row limit of both file kinds) of a list or record
 * file are 30–40 MiB of CSV, which reads in about twice its size; an XLSX is compressed and expands many
 * times when read (a 100,000-row one is well under 20 MiB and takes up to 1.2 GB to read).
 */
export const MAX_FILE_MIB = { csv: 64, xlsx: 20 } as const;

/** Why a file is over its format's size limit (the format by its first bytes), or undefined. */
export function oversizeProblem(bytes: Uint8Array): string | undefined {
  if (startsWith(bytes, ZIP_MAGIC) && bytes.length > MAX_FILE_MIB.xlsx * 2 ** 20)
    return `XLSX 文件过大：不能超过 ${MAX_FILE_MIB.xlsx} MiB；请拆分后分别导入，或另存为 CSV（最大 ${MAX_FILE_MIB.csv} MiB）`;
  return undefined;
}

/** Decides CSV or XLSX by the file's first bytes; the name and declared type only sharpen the message. */
export function detectFormat(
  bytes: Uint8Array,
  hint: { filename?: string; contentType?: string } = {},
): SpreadsheetFormat {
  if (bytes.length === 0) throw new WholeFileError('文件为空');
  if (startsWith(bytes, ZIP_MAGIC)) return 'xlsx';
  if (startsWith(bytes, OLE2_MAGIC))
    throw new WholeFileError('这是旧版 Excel（.xls）文件，只能导入 .xlsx 或 CSV：请在 Excel 中“另存为” .xlsx 后再上传');
  const saysXlsx = /\.xlsx$/i.test(hint.filename ?? '') || (hint.contentType ?? '').startsWith(XLSX_TYPE);
  if (saysXlsx) throw new WholeFileError('文件标明为 XLSX，但内容不是有效的 XLSX 文件（可能已损坏或并非 Excel 文件）');
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (!utf16 && bytes.subarray(0, 8192).includes(0))
    throw new WholeFileError('不是 CSV 或 XLSX 文件（内容为二进制数据）');
  return 'csv';
}

/** Text of a CSV file: UTF-8 (BOM optional), UTF-16 with BOM, else GB18030 (a superset of GBK). */
export function decodeText(bytes: Uint8Array): { text: string; encoding: string } {
  const tryDecode = (encoding: string, from = 0) => {
    try {
      return {
        text: new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes.subarray(from)),
        encoding,
      };
    } catch {
      return undefined;
    }
  };
  const fail = () => new WholeFileError('无法识别文件的文字编码：请将 CSV 保存为 UTF-8 或 GBK 编码');
  if (startsWith(bytes, [0xef, 0xbb, 0xbf]))
    return (
      tryDecode('utf-8', 3) ??
      (() => {
        throw fail();
      })()
    );
  if (startsWith(bytes, [0xff, 0xfe]))
    return (
      tryDecode('utf-16le', 2) ??
      (() => {
        throw fail();
      })()
    );
  if (startsWith(bytes, [0xfe, 0xff]))
    return (
      tryDecode('utf-16be', 2) ??
      (() => {
        throw fail();
      })()
    );
  const decoded = tryDecode('utf-8') ?? tryDecode('gb18030');
  if (!decoded) throw fail();
  return decoded;
}

/** The delimiter of the first line: comma unless the line has more tabs or semicolons. */
function delimiterOf(text: string): string {
  const first = text.slice(0, text.search(/\r?\n|$/));
  const count = (d: string) => first.split(d).length - 1;
  return [',', '\t', ';'].reduce((best, d) => (count(d) > count(best) ? d : best), ',');
}

const CSV_ERRORS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: '引号没有闭合',
  CSV_INVALID_CLOSING_QUOTE: '引号后有多余的字符',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: '引号后有多余的字符',
};

export function readCsv(bytes: Uint8Array): Table {
  const { text, encoding } = decodeText(bytes);
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: delimiterOf(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
    });
  } catch (e) {
    const err = e as { code?: string; lines?: number };
    throw new WholeFileError(
      `CSV 格式有误${err.lines ? `（第${err.lines}行附近）` : ''}：${CSV_ERRORS[err.code ?? ''] ?? '无法解析'}。` +
        `请用 Excel 另存为 CSV 或 XLSX 后重试`,
    );
  }
  // a row of the spreadsheet per record (an empty line is an empty row, as Excel shows it)
  return { format: 'csv', encoding, rows: records.map((cells, i) => ({ line: i + 1, cells })) };
}

type XlsxValue = ExcelJS.CellValue | undefined;

/** A cell's value as a plain cell: rich text joined, formulas by their result, hyperlinks by their text. */
function plainCell(v: XlsxValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('formula' in v || 'sharedFormula' in v) return plainCell((v as { result?: XlsxValue }).result);
  if ('hyperlink' in v) return plainCell((v as { text?: XlsxValue }).text);
  if ('error' in v) return String(v.error);
  return null;
}

export async function readXlsx(bytes: Uint8Array): Promise<Table> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as never);
  } catch {
    throw new WholeFileError('无法读取 XLSX 文件：文件已损坏或不是 Excel 工作簿，请在 Excel 中重新保存后再上传');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new WholeFileError('XLSX 文件中没有工作表');
  const rows: TableRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const values = row.values as XlsxValue[]; // 1-based, sparse
    rows.push({
      line,
      cells: Array.from({ length: Math.max(values.length - 1, 0) }, (_, i) => plainCell(values[i + 1])),
    });
  });
  return { format: 'xlsx', rows };
}

/** Reads a CSV or XLSX file (decided by its bytes) into rows of cells. */
export async function readTable(
  bytes: Uint8Array,
  hint: { filename?: string; contentType?: string } = {},
): Promise<Table> {
  return detectFormat(bytes, hint) === 'xlsx' ? readXlsx(bytes) : readCsv(bytes);
}

export interface SheetSpec {
  name: string;
  header: readonly string[];
  rows: ReadonlyArray<readonly unknown[]>;
  /** Column widths in characters. */
  widths?: readonly number[];
  /** 0-based columns formatted as text, so Excel keeps long digit strings (ID numbers) intact. */
  textColumns?: readonly number[];
}

export async function toXlsx(sheets: readonly SheetSpec[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  for (const s of sheets) {
    const sheet = workbook.addWorksheet(s.name);
    sheet.columns = s.header.map((h, i) => ({
      header: h,
      width: s.widths?.[i] ?? Math.max(10, h.length * 2 + 2),
      style: s.textColumns?.includes(i) ? { numFmt: '@' } : {},
    }));
    sheet.getRow(1).font = { bold: true };
    for (const r of s.rows) sheet.addRow(r.map((v) => (v === undefined ? null : v)));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
