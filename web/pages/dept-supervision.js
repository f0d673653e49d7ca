// 本部门考核: the department's own supervision figures for a period.
import { api, download, qs } from '../lib/api.js';
import { ErrorBox, html, Loading, PageHeader, pct, Stat, useAsync } from '../lib/ui.js';
import { usePeriod } from './office-supervision.js';

export function DeptSupervision({ session }) {
  const [period, form] = usePeriod();
  const r = useAsync(() => api.get(`/departments/me/supervision${qs(period)}`), [period.from, period.to]);
  const d = r.data;
  return html`<section>
    <${PageHeader} title=${`本部门考核 · ${session.departmentName ?? ''}`}>
      <button
        type="button"
        onClick=${() =>
          download(
            `/departments/me/supervision${qs({ ...period, format: 'csv' })}`,
            `本部门考核_${period.from}_${period.to}.csv`,
          ).catch((e) => alert(e.message))}
      >
        导出 CSV
      </button>
    <//>
    ${form}
    <${ErrorBox} error=${r.error} />
    ${
      !d
        ? html`<${Loading} error=${r.error} />`
        : html` ${d.flags.length > 0 && html`<div class="alert warn" role="status">需改进：${d.flags.join('；')}</div>`}
            <div class="stats">
              <${Stat} label="收到任务" value=${d.tasksReceived} />
              <${Stat} label="按时签收率" value=${pct(d.onTimeAckRate)} />
              <${Stat} label="当前逾期" value=${d.currentlyOverdue} tone=${d.currentlyOverdue ? 'danger' : ''} />
              <${Stat} label="督办次数" value=${d.escalated} />
              <${Stat} label="反馈率" value=${pct(d.feedbackRate)} />
              <${Stat} label="核查次数" value=${d.checks} />
              <${Stat} label="核查命中" value=${d.checkHits} />
              <${Stat} label="命中后填报率" value=${pct(d.decisionRate)} />
            </div>`
    }
  </section>`;
}
