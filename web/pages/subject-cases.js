// 我的申请: the subject's objections and repair applications, their deadlines and decisions.
import { Empty, ErrorBox, html, Loading, PageHeader, useInterval } from '../lib/ui.js';
import { More, usePaged } from '../lib/paged.js';
import { CaseCard } from './case-card.js';

export function MyCases() {
  const cases = usePaged(() => '/subjects/me/cases');
  useInterval(cases.reload, 10_000);
  return html`<section>
    <${PageHeader} title="我的申请" />
    <p class="lead">
      异议和信用修复的办理期限按工作日计算（扣除法定节假日，计入调休上班日）；逾期未办结的，信用办将督办。
    </p>
    <${ErrorBox} error=${cases.error} />
    ${
      !cases.data
        ? html`<${Loading} error=${cases.error} />`
        : cases.data.length === 0
          ? html`<${Empty}>还没有提出异议或修复申请。可在“我的信用记录”中办理。<//>`
          : cases.data.map((c) => html`<${CaseCard} key=${c.caseId} c=${c} />`)
    }
    <${More} list=${cases} />
  </section>`;
}
