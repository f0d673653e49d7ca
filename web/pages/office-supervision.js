// 督查考核: per-department figures for a period, flags below thresholds, CSV export.
import { useState } from 'preact/hooks';
import { api, download, qs } from '../lib/api.js';
import { ChartBox, ErrorBox, html, Loading, PageHeader, pct, todayCst, useAsync } from '../lib/ui.js';

/**
 * A period chosen in a small form, this month so far by default.
 * @returns {[{ from: string, to: string }, import('preact').VNode]}
 */
export function usePeriod() {
  const today = todayCst();
  const [period, setPeriod] = useState({ from: `${today.slice(0, 8)}01`, to: today });
  const form = html`<form class="filters" onSubmit=${(e) => e.preventDefault()} aria-label="考核期间">
    <label
      >起始日期
      <input type="date" value=${period.from} onInput=${(e) => setPeriod({ ...period, from: e.target.value })}
    /></label>
    <label
      >截止日期 <input type="date" value=${period.to} onInput=${(e) => setPeriod({ ...period, to: e.target.value })}
    /></label>
  </form>`;
  return [period, /** @type {import('preact').VNode} */ (form)];
}

export function Supervision() {
  const [period, form] = usePeriod();
  const r = useAsync(() => api.get(`/office/supervision${qs(period)}`), [period.from, period.to]);
  const exportCsv = () =>
    download(
      `/office/supervision${qs({ ...period, format: 'csv' })}`,
      `督查考核_${period.from}_${period.to}.csv`,
    ).catch((e) => alert(e.message));
  return html`<section>
    <${PageHeader} title="督查考核"><button type="button" onClick=${exportCsv}>导出 CSV</button><//>
    ${form}
    <${ErrorBox} error=${r.error} />
    ${
      !r.data
        ? html`<${Loading} error=${r.error} />`
        : html` ${
              r.data.flagged.length > 0 &&
              html`<div class="alert warn" role="status">
                <strong>需关注的部门：</strong>
                <ul>
                  ${r.data.flagged.map((f) => html`<li>${f.departmentName}：${f.flags.join('；')}</li>`)}
                </ul>
              </div>`
            }
            <div class="card">
              <h2>按时签收率与反馈率</h2>
              <${ChartBox}
                type="bar"
                height=${320}
                label="各部门按时签收率与反馈率"
                data=${{
                  labels: r.data.departments.map((d) => d.departmentName),
                  datasets: [
                    {
                      label: '按时签收率',
                      data: r.data.departments.map((d) => (d.onTimeAckRate === null ? null : d.onTimeAckRate * 100)),
                      backgroundColor: '#1f5fa8',
                    },
                    {
                      label: '反馈率',
                      data: r.data.departments.map((d) => (d.feedbackRate === null ? null : d.feedbackRate * 100)),
                      backgroundColor: '#27ae60',
                    },
                  ],
                }}
                options=${{ scales: { y: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` } } } }}
              />
            </div>
            <div class="card">
              <${FiguresTable} rows=${r.data.departments} totals=${r.data.totals} />
              <p class="hint">
                数据计算于 ${new Date(r.data.computedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })}；每日
                01:00 自动生成本月累计报告。
              </p>
            </div>`
    }
  </section>`;
}

export function FiguresTable({ rows, totals }) {
  const row = (d, total) =>
    html`<tr class=${d.flags?.length ? 'row-warn' : ''}>
      <th scope="row">${total ? '合计' : d.departmentName}</th>
      <td>${d.tasksReceived}</td>
      <td>${d.acknowledgedOnTime}</td>
      <td>${pct(d.onTimeAckRate)}</td>
      <td>${d.escalated}</td>
      <td>${d.currentlyOverdue}</td>
      <td>${pct(d.feedbackRate)}</td>
      <td>${d.checks}</td>
      <td>${d.checkHits}</td>
      <td>${d.hitsWithDecision}</td>
      <td>${pct(d.decisionRate)}</td>
      <td>${(d.flags ?? []).join('；') || '—'}</td>
    </tr>`;
  return html`<table class="figures">
    <caption>
      各部门考核指标
    </caption>
    <thead>
      <tr>
        <th scope="col">部门</th>
        <th scope="col">收到任务</th>
        <th scope="col">按时签收</th>
        <th scope="col">按时签收率</th>
        <th scope="col">督办</th>
        <th scope="col">当前逾期</th>
        <th scope="col">反馈率</th>
        <th scope="col">核查次数</th>
        <th scope="col">核查命中</th>
        <th scope="col">命中后填报</th>
        <th scope="col">填报率</th>
        <th scope="col">提示</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map((d) => row(d))}${totals && row(totals, true)}
    </tbody>
  </table>`;
}
