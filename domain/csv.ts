/** Writing CSV for spreadsheet programs. No dependencies. */

const csvCell = (v: unknown) => {
  const s = Array.isArray(v) ? v.join('；') : v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** CSV with a BOM (so spreadsheet programs read Chinese as UTF-8) and CRLF line ends; arrays join with "；". */
export function toCsvText(header: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  return '\uFEFF' + [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
