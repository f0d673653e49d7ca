// 异议与修复 (office): every objection and repair with its stage and deadline; repairs are accepted here.
import { useState } from 'preact/hooks';
import { qs } from '../lib/api.js';
import { CASE_KIND, Empty, ErrorBox, html, Loading, PageHeader } from '../lib/ui.js';
import { More, usePaged } from '../lib/paged.js';
import { CaseCard } from './case-card.js';

export function OfficeCases({ session }) {
  const [filter, setFilter] = useState({ kind: '', open: 'true' });
  const cases = usePaged(() => `/office/cases${qs(filter)}`, [filter.kind, filter.open]);
  return html`<section>
    <${PageHeader} title="异议与信用修复" />
    <form class="filters" onSubmit=${(e) => e.preventDefault()} aria-label="筛选">
      <label
        >类型
        <select value=${filter.kind} onChange=${(e) => setFilter({ ...filter, kind: e.target.value })}>
          <option value="">全部</option>
          ${Object.entries(CASE_KIND).map(([k, v]) => html`<option value=${k}>${v}</option>`)}
        </select></label
      >
      <label
        >范围
        <select value=${filter.open} onChange=${(e) => setFilter({ ...filter, open: e.target.value })}>
          <option value="true">办理中</option>
          <option value="">全部</option>
        </select></label
      >
    </form>
    <${ErrorBox} error=${cases.error} />
    ${
      !cases.data
        ? html`<${Loading} error=${cases.error} />`
        : cases.data.length === 0
          ? html`<${Empty}>没有符合条件的异议或修复申请。<//>`
          : cases.data.map(
              (c) =>
                html`<${CaseCard}
                  key=${c.caseId}
                  c=${c}
                  actor=${session.role === 'office' ? 'office' : undefined}
                  onChanged=${cases.reload}
                />`,
            )
    }
    <${More} list=${cases} />
  </section>`;
}
