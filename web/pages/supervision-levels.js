// 分级考核: the city office sees its departments and each county's and zone's totals (and one region's
// departments when it picks one); a county office sees its own units. Chart, tables and CSV of the same view.
import { useState } from 'preact/hooks';
import { api, download, qs } from '../lib/api.js';
import { ChartBox, ErrorBox, html, Loading, PageHeader, useAsync } from '../lib/ui.js';
import { FiguresTable, usePeriod } from './office-supervision.js';

/**
 * @typedef {{ departmentId: string, departmentName: string, onTimeAckRate: number | null,
 *   feedbackRate: number | null, flags: string[] }} Figures
 * @typedef {{ orgId: string, name: string, level: string, departments: Figures[], totals: Figures }} Level
 */

const PERCENT_AXIS = { scales: { y: { min: 0, max: 100, ticks: { callback: (/** @type {number} */ v) => `${v}%` } } } };

/** @param {number | null} r */
const percent = (r) => (r === null ? null : r * 100);

export function SupervisionLevels({ session }) {
  const [period, form] = usePeriod();
  const county = session.role === 'county_office';
  const [region, setRegion] = useState('');
  const tree = useAsync(() => (county ? Promise.resolve({ nodes: [] }) : api.get('/organisations')));
  const query = { ...period, ...(region ? { region } : {}) };
  const r = useAsync(() => api.get(`/office/supervision/levels${qs(query)}`), [period.from, period.to, region]);
  const exportCsv = () =>
    download(
      `/office/supervision/levels${qs({ ...query, format: 'csv' })}`,
      `分级督查考核_${region || (county ? session.orgId : '全市')}_${period.from}_${period.to}.csv`,
    ).catch((e) => alert(e.message));
  /** @type {Level[]} */
  const levels = r.data?.levels ?? [];
  const whole = levels.length > 1;
  // the whole tree: one bar per level (its totals); one level: one bar per department
  const bars = whole
    ? levels.map((l) => ({ name: l.name, f: l.totals }))
    : (levels[0]?.departments ?? []).map((f) => ({ name: f.departmentName, f }));
  return html`<section>
    <${PageHeader} title=${county ? '本地区督查考核' : '分级督查考核'}>
      <button type="button" onClick=${exportCsv}>导出 CSV</button>
    <//>
    ${form}
    ${
      !county &&
      html`<form class="filters" onSubmit=${(/** @type {Event} */ e) => e.preventDefault()} aria-label="地区">
        <label
          >地区
          <select value=${region} onChange=${(/** @type {any} */ e) => setRegion(e.target.value)}>
            <option value="">全市（市本级与各地区）</option>
            ${(tree.data?.nodes ?? [])
              .filter((/** @type {{ level: string }} */ n) => n.level !== 'city')
              .map((/** @type {{ id: string, name: string }} */ n) => html`<option value=${n.id}>${n.name}</option>`)}
          </select></label
        >
      </form>`
    }
    <${ErrorBox} error=${r.error} />
    ${
      !r.data
        ? html`<${Loading} error=${r.error} />`
        : html`<div class="card">
              <h2>${whole ? '各地区按时签收率与反馈率' : `${levels[0]?.name ?? ''}各单位按时签收率与反馈率`}</h2>
              <${ChartBox}
                type="bar"
                height=${320}
                label=${whole ? '各地区按时签收率与反馈率' : '各单位按时签收率与反馈率'}
                data=${{
                  labels: bars.map((b) => b.name),
                  datasets: [
                    {
                      label: '按时签收率',
                      data: bars.map((b) => percent(b.f.onTimeAckRate)),
                      backgroundColor: '#1f5fa8',
                    },
                    { label: '反馈率', data: bars.map((b) => percent(b.f.feedbackRate)), backgroundColor: '#27ae60' },
                  ],
                }}
                options=${PERCENT_AXIS}
              />
            </div>
            ${
              whole
                ? html`<div class="card">
                      <h2>${levels[0].name}（市本级）各部门</h2>
                      <${FiguresTable} rows=${levels[0].departments} totals=${levels[0].totals} />
                    </div>
                    <div class="card">
                      <h2>各县（市、区）和园区</h2>
                      <${FiguresTable} rows=${levels.slice(1).map((l) => ({ ...l.totals, departmentName: l.name }))} />
                    </div>`
                : levels.map(
                    (l) =>
                      html`<div class="card">
                        <h2>${l.name}各单位</h2>
                        <${FiguresTable} rows=${l.departments} totals=${l.totals} />
                      </div>`,
                  )
            }`
    }
  </section>`;
}
