// 我的信用档案 and 信用报告: the subject's file, a report request, and every report issued on it — who asked
// and why (the subject itself, departments handling it, third parties it authorised).
import { useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { ErrorBox, html, Loading, PageHeader, useAsync } from '../lib/ui.js';
import { More, usePaged } from '../lib/paged.js';
import { CreditFile, ReportForm, ReportList } from './credit-file.js';
import { ObjectionForm } from './subject-records.js';

/** The subject's file; a credit record in public view can be objected to here (a listing on 我的信用记录). */
export function MyCreditFile() {
  const file = useAsync(() => api.get('/subjects/me/credit-file'));
  const [objecting, setObjecting] = useState(/** @type {string | null} */ (null));
  const objectTo = (i) =>
    i.kind === 'record' &&
    !i.underObjection &&
    html`<button type="button" aria-label=${`对 ${i.documentNumber} 提出异议`} onClick=${() => setObjecting(i.ref)}>
      提出异议
    </button>`;
  return html`<section>
    <${PageHeader} title="我的信用档案" />
    <${ErrorBox} error=${file.error} />
    ${
      file.data
        ? html`<${CreditFile} file=${file.data} itemAction=${objectTo} />`
        : html`<${Loading} error=${file.error} />`
    }
    ${
      objecting &&
      html`<${ObjectionForm} key=${objecting} target=${{ recordId: objecting }} onDone=${() => file.reload()} />`
    }
  </section>`;
}

export function MyReports() {
  const reports = usePaged(() => '/subjects/me/reports');
  return html`<section>
    <${PageHeader} title="信用报告" />
    <p class="lead">
      专项信用报告（无违法违规记录证明版）可替代行政处罚、行政强制、严重失信主体名单、刑事裁判等领域的无违法违规记录证明。
    </p>
    <h2>申请信用报告</h2>
    <${ReportForm}
      withPurpose=${true}
      label="申请信用报告"
      submit=${(body) => api.post('/subjects/me/reports', body)}
      onIssued=${(r) => {
        reports.reload();
        location.hash = `/reports/${r.reportNo}`;
      }}
    />
    <h2>就本主体出具的报告（谁申请、用途）</h2>
    <${ErrorBox} error=${reports.error} />
    ${
      reports.data
        ? html`<${ReportList} reports=${reports.data} showSubject=${false} /><${More} list=${reports} />`
        : html`<${Loading} error=${reports.error} />`
    }
  </section>`;
}
