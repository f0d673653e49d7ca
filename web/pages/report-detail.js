// 信用报告: one issued report — its status, the same content as the PDF, the PDF itself.
import { useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { ErrorBox, Field, fmtTime, html, Loading, Notice, PageHeader, useAction, useAsync } from '../lib/ui.js';
import { getReport, PdfButton, ReportContent } from './credit-file.js';

export function ReportDetail({ session, reportNo }) {
  const r = useAsync(() => getReport(reportNo), [reportNo]);
  if (!r.data)
    return html`<section>
      <${PageHeader} title="信用报告" /><${ErrorBox} error=${r.error} /><${Loading} error=${r.error} />
    </section>`;
  const d = r.data;
  return html`<section>
    <${PageHeader} title=${d.kindLabel} />
    <dl class="facts">
      <dt>报告编号</dt>
      <dd><code>${d.reportNo}</code></dd>
      <dt>主体</dt>
      <dd>${d.subjectName}（<code>${d.subjectId}</code>）</dd>
      <dt>查询期间</dt>
      <dd>${d.period.from} 至 ${d.period.to}</dd>
      <dt>出具时间</dt>
      <dd>${fmtTime(d.issuedAt)}</dd>
      <dt>申请人</dt>
      <dd>${d.requester.name}${d.requester.purpose ? `（用途：${d.requester.purpose}）` : ''}</dd>
      <dt>当前状态</dt>
      <dd><span class=${`badge ${d.status === 'valid' ? 'ok' : 'warn'}`}>${d.statusLabel}</span></dd>
      <dt>PDF SHA-256</dt>
      <dd><code class="digest">${d.sha256}</code></dd>
      <dt>验证页面</dt>
      <dd><a href=${d.verifyUrl}>${d.verifyUrl}</a></dd>
    </dl>
    ${
      d.withdrawal &&
      html`<div class="alert warn" role="status">
        已于 ${fmtTime(d.withdrawal.at)} 由 ${d.withdrawal.by} 撤销：${d.withdrawal.reason}
      </div>`
    }
    <div class="card-actions"><${PdfButton} report=${d} /></div>
    <h2>报告内容</h2>
    <${ReportContent} report=${d} />
    ${session.role === 'office' && !d.withdrawal && html`<${WithdrawForm} reportNo=${d.reportNo} onDone=${r.reload} />`}
  </section>`;
}

function WithdrawForm({ reportNo, onDone }) {
  const [reason, setReason] = useState('');
  const action = useAction();
  const errors = action.error?.fieldErrors?.() ?? {};
  const submit = (e) => {
    e.preventDefault();
    action
      .run(() => api.post(`/office/reports/${reportNo}/withdrawal`, { reason }), '报告已撤销，验证页面将显示“已撤销”。')
      .then((x) => x && onDone());
  };
  return html`<form class="subform" onSubmit=${submit} aria-label="撤销报告">
    <h2>撤销误出具的报告</h2>
    <${ErrorBox} error=${action.error} />${action.done && html`<${Notice}>${action.done}<//>`}
    <${Field} label="撤销理由" required error=${errors.reason}
      >${(a) =>
        html`<textarea ...${a} rows="2" value=${reason} onInput=${(e) => setReason(e.target.value)}></textarea>`}<//
    >
    <button type="submit" class="danger" disabled=${action.busy}>撤销报告</button>
  </form>`;
}
