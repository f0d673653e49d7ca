// 认定单位: objections to verify and repairs to review, with their deadlines; decisions are made here.
import { useState } from 'preact/hooks';
import { qs } from '../lib/api.js';
import { CASE_KIND, Empty, ErrorBox, html, Loading, PageHeader } from '../lib/ui.js';
import { More, usePaged } from '../lib/paged.js';
import { CaseCard } from './case-card.js';

export function AuthorityCases({ session }) {
  const [filter, setFilter] = useState({ kind: '', open: 'true' });
  const cases = usePaged(() => `/authority/cases${qs(filter)}`, [filter.kind, filter.open]);
  return html`<section>
    <${PageHeader} title=${`异议与修复办理 · ${session.authority ?? ''}`} />
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
          <option value="true">待办</option>
          <option value="">全部</option>
        </select></label
      >
    </form>
    <${ErrorBox} error=${cases.error} />
    ${
      !cases.data
        ? html`<${Loading} error=${cases.error} />`
        : cases.data.length === 0
          ? html`<${Empty}>没有待办的异议或修复申请。<//>`
          : cases.data.map(
              (c) => html`<${CaseCard} key=${c.caseId} c=${c} actor="authority" onChanged=${cases.reload} />`,
            )
    }
    <${More} list=${cases} />
  </section>`;
}
