/**
 * Credit reports (信用报告): what a report holds, built from a credit file at one moment. Two kinds:
 * - 公共信用信息报告 (public): every group of the file, public view only;
 * - 专项信用报告（无违法违规记录证明版） (special): the minimum domains of 发改财金〔2025〕565号 —
 *   行政处罚 (simple procedure included), 行政强制, 严重失信主体名单, 刑事裁判 — each with its records
 *   or the statement that the period holds none.
 * The content is deterministic for a file, a period and a day, so "would a report issued now for the
 * same period hold the same?" is a digest comparison. Pure functions.
 */
import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import { z } from 'zod';
import { CivilDate } from './dates';
import { FILE_GROUPS, type FileGroup, type FileItem } from './credit-file';

export const REPORT_KINDS = {
  public: '公共信用信息报告',
  special: '专项信用报告（无违法违规记录证明版）',
} as const;
export type ReportKind = keyof typeof REPORT_KINDS;
export const ReportKind = z.enum(['public', 'special']);

export const ReportRequest = z
  .object({
    kind: ReportKind.describe('special 专项信用报告（无违法违规记录证明版） / public 公共信用信息报告'),
    from: CivilDate.optional().describe('查询期间起（缺省为截止日期前3年）'),
    to: CivilDate.optional().describe('查询期间止（缺省为今天）'),
  })
  .strict();
export type ReportRequest = z.infer<typeof ReportRequest>;

/** The 565号 minimum domains of the special report, in order. */
export const SPECIAL_DOMAINS: Array<{ code: FileGroup; label: string }> = [
  { code: 'administrative_penalty', label: '行政处罚（含简易程序处罚）' },
  { code: 'administrative_coercion', label: '行政强制' },
  { code: 'black_list', label: '严重失信主体名单' },
  { code: 'criminal_judgment', label: '刑事裁判' },
];

export const noRecordStatement = (label: string) => `查询期间内，未发现该主体在“${label}”领域的违法违规记录。`;
const noInformation = (label: string) => `查询期间内，无${label}信息。`;

export interface ReportRow {
  ref: string;
  version?: number;
  documentNumber: string;
  date: string;
  title: string;
  details: string;
  source: string;
  severityLabel?: string;
  statusLabel: string;
}

export interface ReportSection {
  code: FileGroup;
  label: string;
  rows: ReportRow[];
  /** set when rows is empty */
  statement?: string;
}

export interface ReportContent {
  kind: ReportKind;
  kindLabel: string;
  subject: { type: string; id: string; name: string };
  period: { from: string; to: string };
  sections: ReportSection[];
}

const toRow = (i: FileItem): ReportRow => ({
  ref: i.ref,
  version: i.version,
  documentNumber: i.documentNumber,
  date: i.date,
  title: i.title,
  details: i.details,
  source: i.source,
  severityLabel: i.severityLabel,
  statusLabel: i.statusLabel,
});

/** The report of `kind` over `period` from the file's items as placed today. */
export function buildReportContent(
  kind: ReportKind,
  subject: ReportContent['subject'],
  period: { from: string; to: string },
  items: FileItem[],
): ReportContent {
  const inPeriod = items.filter((i) => i.date >= period.from && i.date <= period.to);
  const shown = inPeriod.filter((i) => (kind === 'special' ? i.inSpecialReport : i.inPublicView));
  const domains = kind === 'special' ? SPECIAL_DOMAINS : FILE_GROUPS;
  const sections = domains.map(({ code, label }): ReportSection => {
    const rows = shown
      .filter((i) => i.group === code)
      .sort((a, b) => a.date.localeCompare(b.date) || a.ref.localeCompare(b.ref))
      .map(toRow);
    if (rows.length > 0) return { code, label, rows };
    return { code, label, rows, statement: kind === 'special' ? noRecordStatement(label) : noInformation(label) };
  });
  return { kind, kindLabel: REPORT_KINDS[kind], subject, period, sections };
}

/** The digest of a report's content: equal digests, equal content. */
export function contentDigest(c: ReportContent): string {
  return createHash('sha256').update(stringify(c)).digest('hex');
}

/** Crockford's base32 without I, L, O, U: unambiguous when read out or typed from paper. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A report number: `XL` + issue date + 80 random bits in four groups (XL20261201-7KQ2-M9ZD-4HXC-1TNB).
 * Not guessable: the verification page answers only for numbers actually issued.
 */
export function reportNumber(issueDate: string, random: Buffer): string {
  if (random.length < 10) throw new Error('a report number needs 80 random bits');
  let bits = 0n;
  for (const b of random.subarray(0, 10)) bits = (bits << 8n) | BigInt(b);
  let s = '';
  for (let i = 0; i < 16; i++) {
    s = ALPHABET[Number(bits & 31n)] + s;
    bits >>= 5n;
  }
  return `XL${issueDate.replaceAll('-', '')}-${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}-${s.slice(12)}`;
}

export const REPORT_NO =
  /^XL\d{8}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;
export const ReportNoParam = z.string().regex(REPORT_NO, '报告编号格式不正确');
