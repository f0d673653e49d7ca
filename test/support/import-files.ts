/** List files for import tests: rows from the template's example, written as CSV (UTF-8 or GBK) or XLSX. */
import { importTemplate } from '../../domain/import-file';
import { toCsvText } from '../../domain/csv';
import { toXlsx } from '../../domain/spreadsheet';
import { benchUscc } from '../../bench/subjects';
import { today } from './fixtures';

export const TEMPLATE = importTemplate(today);
export const HEADER = TEMPLATE.header;

/** The template's example row with some columns replaced (by Chinese header). */
export function row(over: Record<string, unknown> = {}): unknown[] {
  return HEADER.map((h, i) => (h in over ? over[h] : TEMPLATE.example[i]));
}

/** A valid USCC of synthetic enterprise number `i`. */
export const uscc = benchUscc;

/** `n` valid, distinct rows (one enterprise each) with decision numbers tagged by `tag`. */
export function validRows(n: number, tag: string, from = 0): unknown[][] {
  return Array.from({ length: n }, (_, k) =>
    row({
      主体名称: `导入测试企业${from + k}有限公司`,
      '统一社会信用代码/身份证号': uscc(from + k),
      决定文书号: `导入〔${tag}〕${from + k}号`,
    }),
  );
}

export const csvFile = (rows: unknown[][], header: readonly string[] = HEADER) => Buffer.from(toCsvText(header, rows));

export const xlsxFile = (rows: unknown[][], header: readonly string[] = HEADER) =>
  toXlsx([{ name: '名单', header, rows, textColumns: TEMPLATE.textColumns }]);

let gbkTable: Map<string, number[]> | undefined;
/** Encodes text as GBK (what Excel on Chinese Windows writes), by inverting the platform's GBK decoder. */
export function encodeGbk(text: string): Buffer {
  if (!gbkTable) {
    gbkTable = new Map();
    const decoder = new TextDecoder('gbk');
    for (let a = 0x81; a <= 0xfe; a++) {
      for (let b = 0x40; b <= 0xfe; b++) {
        if (b === 0x7f) continue;
        const ch = decoder.decode(Uint8Array.of(a, b));
        if (ch.length === 1 && ch !== '\ufffd' && !gbkTable.has(ch)) gbkTable.set(ch, [a, b]);
      }
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) out.push(code);
    else if (gbkTable.has(ch)) out.push(...gbkTable.get(ch)!);
    else throw new Error(`not encodable in GBK: ${ch}`);
  }
  return Buffer.from(out);
}

/** A CSV in GBK without BOM, as Excel on Chinese Windows saves "CSV (逗号分隔)". */
export const gbkCsvFile = (rows: unknown[][]) => encodeGbk(toCsvText(HEADER, rows).replace(/^\uFEFF/, ''));
