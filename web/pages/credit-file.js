// Shared pieces of the credit pages: a credit file (public view and archive), a report's content (the
// same content as its PDF), a report list, the report request form.
import { useState } from 'preact/hooks';
import { api, download } from '../lib/api.js';
import { Empty, ErrorBox, Field, fmtTime, html, Notice, todayCst, useAction } from '../lib/ui.js';

export const REPORT_KIND = { special: '专项信用报告（无违法违规记录证明版）', public: '公共信用信息报告' };
export const REPORT_STATUS = { valid: '有效', withdrawn: '已撤销', changed: '内容已变化' };
export const ROLE_NAME = {
  subject: '本主体',
  department: '部门',
  third_party: '第三方（授权）',
  office: '信用办',
};

/** `action`, where given, renders the last column of an item's row (e.g. the subject's 提出异议). */
function ItemsTable({ items, caption, action }) {
  if (items.length === 0) return html`<${Empty}>没有${caption}。<//>`;
  return html`<table class="data">
    <caption>
      ${caption}（${items.length}）
    </caption>
    <thead>
      <tr>
        <th scope="col">类别</th>
        <th scope="col">决定文书号</th>
        <th scope="col">事项</th>
        <th scope="col">内容</th>
        <th scope="col">来源单位</th>
        <th scope="col">日期</th>
        <th scope="col">状态</th>
        ${action && html`<th scope="col">操作</th>`}
      </tr>
    </thead>
    <tbody>
      ${items.map(
        (i) =>
          html`<tr key=${i.ref}>
            <td>${i.groupLabel}</td>
            <td>${i.documentNumber}</td>
            <td>${i.title}${i.severityLabel ? `（${i.severityLabel}）` : ''}</td>
            <td>${i.details}</td>
            <td>${i.source}</td>
            <td>${i.date}</td>
            <td>
              <span class=${`badge ${i.underObjection ? 'warn' : i.inPublicView ? 'ok' : 'muted'}`}
                >${i.statusLabel}</span
              >
            </td>
            ${action && html`<td>${action(i)}</td>`}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/**
 * A credit file: who, then what is in public view and what is only in the archive. `itemAction` renders
 * an action on an item in public view.
 */
export function CreditFile({ file, itemAction = undefined }) {
  return html`<div class="credit-file">
    <dl class="facts">
      <dt>主体名称</dt>
      <dd>${file.subject.name}</dd>
      <dt>${file.subject.type === 'individual' ? '公民身份号码' : '统一社会信用代码'}</dt>
      <dd><code>${file.subject.id}</code></dd>
      <dt>信息截至</dt>
      <dd>${file.asOf}</dd>
    </dl>
    <h2>公示中的信息</h2>
    <${ItemsTable} items=${file.public} caption="公示中的信息" action=${itemAction} />
    <h2>档案（不再公示的信息）</h2>
    <p class="hint">
      超过公示期、已修复、已移出、轻微不予公示或来源单位撤回的信息，留档但不出现在公示和新出具的报告中。
    </p>
    <${ItemsTable} items=${file.archive} caption="档案信息" />
  </div>`;
}

/** A report's content, as its PDF holds it. */
export function ReportContent({ report }) {
  const c = report.content;
  return html`<div class="report-content">
    ${c.sections.map(
      (s, i) =>
        html`<section key=${s.code} aria-labelledby=${`rs-${i}`}>
          <h3 id=${`rs-${i}`}>${s.label}</h3>
          ${
            s.rows.length === 0
              ? html`<p class="no-record">${s.statement}</p>`
              : html`<table class="data">
                  <thead>
                    <tr>
                      <th scope="col">决定文书号</th>
                      <th scope="col">事项</th>
                      <th scope="col">内容</th>
                      <th scope="col">来源单位</th>
                      <th scope="col">日期</th>
                      <th scope="col">状态</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${s.rows.map(
                      (r) =>
                        html`<tr>
                          <td>${r.documentNumber}</td>
                          <td>${r.title}${r.severityLabel ? `（${r.severityLabel}）` : ''}</td>
                          <td>${r.details}</td>
                          <td>${r.source}</td>
                          <td>${r.date}</td>
                          <td>${r.statusLabel}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>`
          }
        </section>`,
    )}
  </div>`;
}

export function PdfButton({ report }) {
  const action = useAction();
  return html`<span>
    <button
      type="button"
      onClick=${() => action.run(() => download(`/reports/${report.reportNo}.pdf`, `${report.reportNo}.pdf`))}
    >
      下载 PDF
    </button>
    <${ErrorBox} error=${action.error} />
  </span>`;
}

/** Issued reports: number, kind, subject, who asked and why, when; a link to each. */
export function ReportList({ reports, showSubject = true, actions }) {
  if (reports.length === 0) return html`<${Empty}>还没有出具信用报告。<//>`;
  return html`<table class="data">
    <caption>
      信用报告（${reports.length}）
    </caption>
    <thead>
      <tr>
        <th scope="col">报告编号</th>
        <th scope="col">种类</th>
        ${showSubject && html`<th scope="col">主体</th>`}
        <th scope="col">申请人</th>
        <th scope="col">用途</th>
        <th scope="col">出具时间</th>
        <th scope="col">状态</th>
        ${actions && html`<th scope="col">操作</th>`}
      </tr>
    </thead>
    <tbody>
      ${reports.map(
        (r) =>
          html`<tr key=${r.reportNo}>
            <td>
              <a href=${`#/reports/${r.reportNo}`}><code>${r.reportNo}</code></a>
            </td>
            <td>${r.kindLabel}</td>
            ${
              showSubject &&
              html`<td>
                ${r.subjectName}<br /><small><code>${r.subjectId}</code></small>
              </td>`
            }
            <td>${r.requester.name}<br /><small>${ROLE_NAME[r.requester.role] ?? r.requester.role}</small></td>
            <td>${r.requester.purpose ?? '—'}</td>
            <td>${fmtTime(r.issuedAt)}</td>
            <td>
              ${r.withdrawal ? html`<span class="badge warn">已撤销</span>` : html`<span class="badge ok">已出具</span>`}
            </td>
            ${actions && html`<td>${actions(r)}</td>`}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/** Kind, period and (optionally) purpose of a report to issue; `submit(body)` issues it. */
export function ReportForm({ submit, withPurpose, purposeRequired, label = '出具信用报告', onIssued }) {
  const [v, setV] = useState({ kind: 'special', from: '', to: '', purpose: '' });
  const action = useAction();
  const errors = action.error?.fieldErrors?.() ?? {};
  const onSubmit = (e) => {
    e.preventDefault();
    const body = { kind: v.kind };
    if (v.from) body.from = v.from;
    if (v.to) body.to = v.to;
    if (withPurpose && v.purpose.trim()) body.purpose = v.purpose.trim();
    action
      .run(
        () => submit(body),
        (r) => `已出具：${r.reportNo ?? `${r.reports.length} 份报告`}`,
      )
      .then((r) => r && onIssued?.(r));
  };
  return html`<form class="subform" onSubmit=${onSubmit} aria-label=${label}>
    <${ErrorBox} error=${action.error} />${action.done && html`<${Notice}>${action.done}<//>`}
    <${Field} label="报告种类" required error=${errors.kind}
      >${(a) =>
        html`<select ...${a} value=${v.kind} onChange=${(e) => setV({ ...v, kind: e.target.value })}>
          <option value="special">${REPORT_KIND.special}</option>
          <option value="public">${REPORT_KIND.public}</option>
        </select>`}<//
    >
    <${Field} label="查询期间起" hint="缺省为截止日期前3年；最长5年" error=${errors.from}
      >${(a) =>
        html`<input ...${a} type="date" value=${v.from} onInput=${(e) => setV({ ...v, from: e.target.value })} />`}<//
    >
    <${Field} label="查询期间止" hint=${`缺省为今天（${todayCst()}）`} error=${errors.to}
      >${(a) =>
        html`<input ...${a} type="date" value=${v.to} onInput=${(e) => setV({ ...v, to: e.target.value })} />`}<//
    >
    ${
      withPurpose &&
      html`<${Field} label="用途" required=${purposeRequired} error=${errors.purpose}
        >${(a) =>
          html`<input
            ...${a}
            type="text"
            value=${v.purpose}
            onInput=${(e) => setV({ ...v, purpose: e.target.value })}
          />`}<//
      >`
    }
    <button type="submit" class="primary" disabled=${action.busy}>${label}</button>
  </form>`;
}

export const getReport = (reportNo) => api.get(`/reports/${reportNo}`);
