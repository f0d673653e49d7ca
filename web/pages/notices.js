// 告知书: a subject's notices on its records page, a listing's notices for the office, and the office's
// print view of one notice (the same words as the PDF and the HTML document).
import { api, download } from '../lib/api.js';
import { ErrorBox, fmtDate, fmtTime, html, Loading, Notice, PageHeader, useAction, useAsync } from '../lib/ui.js';

/**
 * A notice as the API lists it (api/views/notice-views.ts NoticeView).
 * @typedef {object} NoticeItem
 * @property {string} noticeNo
 * @property {'prior' | 'repair'} kind
 * @property {string} kindLabel
 * @property {string} title
 * @property {string} entryId
 * @property {string} servedOn
 * @property {string} sha256
 * @property {string} [pdfSha256]
 * @property {string} [objectionDeadline]
 * @property {string} [earliestRepairDate]
 */

/**
 * A notice's text (domain/notice.ts NoticeContent).
 * @typedef {object} NoticeContent
 * @property {string} title
 * @property {string} issuer
 * @property {string} addressee
 * @property {{ label: string, value: string }[]} fields
 * @property {{ heading: string, paragraphs: string[], table?: { columns: string[], rows: string[][] } }[]} sections
 * @property {string[]} closing
 */

/**
 * One line per notice: its title, number, serving date, key date, and its downloads.
 * @param {{ notices: NoticeItem[], base: string, printable?: boolean }} props `base`: the API path the
 *   notice files are under (`/subjects/me/notices` or `/office/notices`); `printable` links the print view.
 */
export function NoticeLines({ notices, base, printable }) {
  const action = useAction();
  /** @param {NoticeItem} n @param {'pdf' | 'html'} ext */
  const get = (n, ext) => action.run(() => download(`${base}/${n.noticeNo}.${ext}`, `${n.noticeNo}.${ext}`));
  return html`<div class="notices">
    <${ErrorBox} error=${action.error} />
    <ul class="notice-list">
      ${notices.map(
        (n) =>
          html`<li key=${n.noticeNo}>
            <strong>${n.title}</strong> <code>${n.noticeNo}</code> · 送达 ${fmtDate(n.servedOn)}
            ${n.objectionDeadline && html` · 异议截止 ${fmtDate(n.objectionDeadline)} 24时`}
            ${n.earliestRepairDate && html` · 最早可申请修复 ${fmtDate(n.earliestRepairDate)}`}
            <span class="card-actions">
              ${printable && html`<a class="button" href=${`#/office/notices/${n.noticeNo}`}>打印</a>`}
              <button type="button" onClick=${() => get(n, 'pdf')} aria-label=${`下载${n.title} PDF`}>下载 PDF</button>
              <button type="button" onClick=${() => get(n, 'html')} aria-label=${`下载${n.title}网页版`}>
                下载网页版
              </button>
            </span>
          </li>`,
      )}
    </ul>
  </div>`;
}

/**
 * The office's card on a listing: the serving record (date, each notice with its digest), or a button
 * that generates the notices of a listing made before notices existed.
 * @param {{ entryId: string, session: { role: string } }} props
 */
export function ListingNotices({ entryId, session }) {
  const serving = useAsync(() => api.get(`/office/listings/${entryId}/notices`), [entryId]);
  const action = useAction();
  const missing = serving.error?.status === 404;
  const generate = () =>
    action
      .run(() => api.post(`/office/listings/${entryId}/notices`), '告知书已生成。')
      .then((r) => r && serving.reload());
  const s = serving.data;
  return html`<div class="card">
    <h2>告知书</h2>
    ${!missing && html`<${ErrorBox} error=${serving.error} />`}
    ${action.done && html`<${Notice}>${action.done}<//>`}<${ErrorBox} error=${action.error} />
    ${
      missing
        ? html`<p class="empty">该条目列入时尚未生成告知书（早于告知书功能）。</p>
            ${
              session.role === 'office' &&
              html`<button type="button" onClick=${generate} disabled=${action.busy}>生成告知书</button>`
            }`
        : !s
          ? html`<${Loading} what="告知书" error=${serving.error} />`
          : html`<p>
                送达日期 ${fmtDate(s.servedOn)}（生成于
                ${fmtTime(s.generatedAt)}，${s.generatedBy}）；所送达文书的内容摘要（SHA-256）：
              </p>
              <ul class="digests">
                ${s.notices.map(
                  (/** @type {NoticeItem} */ n) =>
                    html`<li>${n.kindLabel} <code>${n.noticeNo}</code> <code class="digest">${n.sha256}</code></li>`,
                )}
              </ul>
              <${NoticeLines} notices=${s.notices} base="/office/notices" printable=${true} />`
    }
  </div>`;
}

/**
 * The print view of one notice (office): its text as the PDF has it; the browser's print prints only it.
 * @param {{ noticeNo: string }} props
 */
export function NoticePrint({ noticeNo }) {
  const notice = useAsync(() => api.get(`/office/notices/${noticeNo}`), [noticeNo]);
  const d = notice.data;
  if (!d)
    return html`<section>
      <${PageHeader} title="告知书" /><${ErrorBox} error=${notice.error} /><${Loading} error=${notice.error} />
    </section>`;
  /** @type {NoticeContent} */
  const c = d.content;
  return html`<section class="notice-print">
    <div class="card-actions no-print">
      <a class="button" href=${`#/office/listings/${d.entryId}`}>返回名单条目</a>
      <button type="button" class="primary" onClick=${() => window.print()}>打印</button>
    </div>
    <article class="notice-doc" aria-labelledby="notice-title">
      <h1 id="notice-title">${c.title}</h1>
      <p class="issuer">${c.issuer}</p>
      <dl class="facts">
        ${c.fields.map(
          (f) =>
            html`<dt>${f.label}</dt>
              <dd>${f.value}</dd>`,
        )}
      </dl>
      <p class="addressee">${c.addressee}</p>
      ${c.sections.map(
        (s) =>
          html`<section>
            <h2>${s.heading}</h2>
            ${s.paragraphs.map((p) => html`<p class="indent">${p}</p>`)}
            ${
              s.table &&
              html`<table>
                <thead>
                  <tr>
                    ${s.table.columns.map((h) => html`<th scope="col">${h}</th>`)}
                  </tr>
                </thead>
                <tbody>
                  ${s.table.rows.map(
                    (r) =>
                      html`<tr>
                        ${r.map((v) => html`<td>${v}</td>`)}
                      </tr>`,
                  )}
                </tbody>
              </table>`
            }
          </section>`,
      )}
      <div class="closing">${c.closing.map((l) => html`<p>${l}</p>`)}</div>
      <footer class="notice-footer">告知书编号 ${d.noticeNo} · 内容 SHA-256 <code>${d.sha256}</code></footer>
    </article>
  </section>`;
}
