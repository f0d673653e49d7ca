// 信用办工作台: listings by list and category, tasks by state, overdue departments, cases due.
import { api } from '../lib/api.js';
import {
  CASE_KIND,
  ChartBox,
  Deadline,
  ErrorBox,
  html,
  Loading,
  PageHeader,
  STAGE,
  Stat,
  useAsync,
  useInterval,
} from '../lib/ui.js';

const RED = '#c0392b';
const BLUE = '#1f5fa8';

/** @param {{ departmentName: string, overdue: number, feedbackOverdue: number }} x */
const overdueText = (x) => `${x.departmentName} 未签收${x.overdue} 反馈逾期${x.feedbackOverdue}`;

/** The next year's holidays are not entered yet: a link to the calendar page. @param {{ text: string }} props */
const CalendarWarning = ({ text }) =>
  html`<div class="alert warn" role="alert">${text} <a href="#/office/calendar">去录入</a></div>`;

export function Dashboard({ session }) {
  const { data, error, reload } = useAsync(() => api.get('/office/dashboard'));
  useInterval(reload, 15_000);
  return html`<section>
    <${PageHeader} title="工作台">
      ${
        session.role === 'office' &&
        html`<a class="button primary" href="#/office/listings/new">列入名单</a>${' '}
          <a class="button" href="#/office/imports">导入名单文件</a>`
      }
    <//>
    <${ErrorBox} error=${error} />
    ${!data ? html`<${Loading} error=${error} />` : html`<${DashboardBody} d=${data} />`}
  </section>`;
}

function DashboardBody({ d }) {
  const cats = d.listings.byCategory.filter((c) => c.count > 0);
  const shown = cats.length ? cats : d.listings.byCategory;
  const calendarWarning = d.calendar?.warning;
  return html`${calendarWarning && html`<${CalendarWarning} text=${calendarWarning} />`}
    <div class="stats">
      <${Stat} label="生效中的名单条目" value=${d.listings.byStatus.active} />
      <${Stat} label="告知期中" value=${d.listings.byStatus.notice} />
      <${Stat} label="黑名单 / 红名单" value=${`${d.listings.byList.black} / ${d.listings.byList.red}`} />
      <${Stat} label="待签收任务" value=${d.tasks.pending} />
      <${Stat} label="逾期未签收" value=${d.tasks.overdue} tone=${d.tasks.overdue ? 'danger' : ''} />
      <${Stat} label="反馈逾期" value=${d.tasks.feedbackOverdue} tone=${d.tasks.feedbackOverdue ? 'warn' : ''} />
      <${Stat} label="办理中的异议 / 修复" value=${`${d.cases.objectionsOpen} / ${d.cases.repairsOpen}`} />
      <${Stat} label="异议修复逾期" value=${d.cases.overdue} tone=${d.cases.overdue ? 'danger' : ''} />
    </div>
    <div class="grid2">
      <div class="card">
        <h2>在册名单条目（按类别，含告知期）</h2>
        <${ChartBox}
          type="bar"
          label=${`按类别统计的在册名单条目：${shown.map((c) => `${c.label} ${c.count}`).join('，')}`}
          data=${{
            labels: shown.map((c) => c.label),
            datasets: [
              {
                label: '条目数',
                data: shown.map((c) => c.count),
                backgroundColor: shown.map((c) => (c.listKind === 'black' ? RED : BLUE)),
              },
            ],
          }}
          options=${{
            indexAxis: 'y',
            plugins: { legend: { display: false } },
            scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
          }}
        />
        <p class="legend"><span class="swatch black"></span>黑名单 <span class="swatch red"></span>红名单</p>
      </div>
      <div class="card">
        <h2>部门任务状态</h2>
        <${ChartBox}
          type="doughnut"
          label=${`任务状态：待签收 ${d.tasks.pending}，已签收 ${d.tasks.acknowledged}，已解除 ${d.tasks.lifted}`}
          data=${{
            labels: ['待签收', '已签收', '已解除'],
            datasets: [
              {
                data: [d.tasks.pending, d.tasks.acknowledged, d.tasks.lifted],
                backgroundColor: ['#e67e22', '#27ae60', '#95a5a6'],
              },
            ],
          }}
          options=${{ plugins: { legend: { position: 'bottom' } } }}
        />
      </div>
    </div>
    <div class="grid2">
      <div class="card">
        <h2>逾期部门</h2>
        ${
          d.overdueDepartments.length === 0
            ? html`<p class="empty">目前没有逾期的部门任务。</p>`
            : html`<${ChartBox}
                  type="bar"
                  height=${Math.max(160, d.overdueDepartments.length * 36)}
                  label=${`逾期部门：${d.overdueDepartments.map(overdueText).join('，')}`}
                  data=${{
                    labels: d.overdueDepartments.map((x) => x.departmentName),
                    datasets: [
                      { label: '逾期未签收', data: d.overdueDepartments.map((x) => x.overdue), backgroundColor: RED },
                      {
                        label: '反馈逾期',
                        data: d.overdueDepartments.map((x) => x.feedbackOverdue),
                        backgroundColor: '#e67e22',
                      },
                    ],
                  }}
                  options=${{
                    indexAxis: 'y',
                    scales: {
                      x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
                      y: { stacked: true },
                    },
                  }}
                />
                <table class="sr-only">
                  <caption>
                    逾期部门明细
                  </caption>
                  <thead>
                    <tr>
                      <th>部门</th>
                      <th>逾期未签收</th>
                      <th>反馈逾期</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${d.overdueDepartments.map(
                      (x) =>
                        html`<tr>
                          <td>${x.departmentName}</td>
                          <td>${x.overdue}</td>
                          <td>${x.feedbackOverdue}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>`
        }
      </div>
      <div class="card">
        <h2>即将到期的异议与修复</h2>
        ${
          d.cases.dueNext.length === 0
            ? html`<p class="empty">没有办理中的异议或修复申请。</p>`
            : html`<table>
                  <thead>
                    <tr>
                      <th>类型</th>
                      <th>主体</th>
                      <th>环节</th>
                      <th>期限</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${d.cases.dueNext.map(
                      (c) =>
                        html`<tr>
                          <td>${CASE_KIND[c.kind]}</td>
                          <td><code>${c.subjectId}</code></td>
                          <td>${STAGE[c.stage] ?? '—'}</td>
                          <td><${Deadline} at=${c.deadline} /></td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
                <p><a href="#/office/cases">查看全部异议与修复 →</a></p>`
        }
      </div>
    </div>`;
}
