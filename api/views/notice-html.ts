/**
 * A notice's content (domain/notice.ts) as a standalone HTML document for printing: the same words as
 * the PDF, escaped, with a print stylesheet inlined. The answer's Content-Security-Policy allows that
 * one stylesheet by its hash and nothing else (no script, no external resource).
 */
import { createHash } from 'node:crypto';
import type { NoticeContent } from '../../domain/notice';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", sans-serif; margin: 0; color: #000; }
article { max-width: 46rem; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.8; }
h1 { text-align: center; font-size: 1.5rem; margin-bottom: 0.2rem; }
.issuer { text-align: center; color: #555; margin-top: 0; }
dl { display: grid; grid-template-columns: 8rem 1fr; gap: 0.1rem 0.5rem; }
dl { border-bottom: 1px solid #999; padding-bottom: 0.8rem; }
dt { color: #555; }
dd { margin: 0; }
h2 { font-size: 1.05rem; margin: 1.2rem 0 0.3rem; }
p { text-indent: 2em; margin: 0.3rem 0; }
p.addressee { text-indent: 0; font-weight: bold; margin-top: 1rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { border: 1px solid #999; padding: 0.2rem 0.4rem; text-align: left; vertical-align: top; }
th { background: #eee; }
.closing { text-align: right; margin-top: 2rem; }
.closing p { text-indent: 0; }
footer { color: #555; font-size: 0.8rem; border-top: 1px solid #999; margin-top: 2rem; padding-top: 0.4rem; }
@media print { article { margin: 0; max-width: none; } @page { size: A4; margin: 20mm; } }
`;

/** The CSP of the HTML answer: its own inline stylesheet only. */
export const NOTICE_HTML_CSP =
  `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; ` +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The notice as an <article> (the body of the document). */
export function noticeArticle(c: NoticeContent, sha256: string): string {
  const fields = c.fields.map((f) => `<dt>${esc(f.label)}</dt><dd>${esc(f.value)}</dd>`).join('');
  const sections = c.sections
    .map((s) => {
      const paragraphs = s.paragraphs.map((p) => `<p>${esc(p)}</p>`).join('');
      const table = s.table
        ? `<table><thead><tr>${s.table.columns.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead>` +
          `<tbody>${s.table.rows.map((r) => `<tr>${r.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`).join('')}` +
          '</tbody></table>'
        : '';
      return `<section><h2>${esc(s.heading)}</h2>${paragraphs}${table}</section>`;
    })
    .join('');
  const closing = c.closing.map((l) => `<p>${esc(l)}</p>`).join('');
  return (
    `<article><h1>${esc(c.title)}</h1><p class="issuer">${esc(c.issuer)}</p><dl>${fields}</dl>` +
    `<p class="addressee">${esc(c.addressee)}</p>${sections}<div class="closing">${closing}</div>` +
    `<footer>告知书编号 ${esc(c.noticeNo)} · 内容 SHA-256 ${esc(sha256)}</footer></article>`
  );
}

export function noticeHtml(c: NoticeContent, sha256: string): string {
  return (
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(c.title)} ${esc(c.noticeNo)}</title>` +
    `<style>${STYLE}</style></head><body>${noticeArticle(c, sha256)}</body></html>`
  );
}
