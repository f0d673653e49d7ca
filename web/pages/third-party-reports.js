// 授权查询 (third party): the authorisations subjects gave this organisation, and a report under one.
import { api } from '../lib/api.js';
import { Empty, ErrorBox, html, Loading, PageHeader } from '../lib/ui.js';
import { More, usePaged } from '../lib/paged.js';
import { ReportForm } from './credit-file.js';

export function ThirdPartyReports() {
  const list = usePaged(() => '/third-party/authorisations');
  const active = (list.data ?? []).filter((a) => a.active);
  return html`<section>
    <${PageHeader} title="授权查询" />
    <p class="lead">凭信用主体的有效授权，在授权用途和期限内查询其信用报告。</p>
    <${ErrorBox} error=${list.error} />
    ${
      !list.data
        ? html`<${Loading} error=${list.error} />`
        : active.length === 0
          ? html`<${Empty}>当前没有有效的授权。<//>`
          : active.map(
              (a) =>
                html`<article class="card" key=${a.authorisationId} aria-labelledby=${`a-${a.authorisationId}`}>
                  <h2 id=${`a-${a.authorisationId}`}>${a.subjectName}</h2>
                  <p>用途：${a.purpose}；期限：${a.validFrom} 至 ${a.validUntil}</p>
                  <${ReportForm}
                    label=${`查询${a.subjectName}的信用报告`}
                    submit=${(body) => api.post('/third-party/reports', { ...body, subjectId: a.subjectId })}
                    onIssued=${(r) => (location.hash = `/reports/${r.reportNo}`)}
                  />
                </article>`,
            )
    }
    <${More} list=${list} />
  </section>`;
}
