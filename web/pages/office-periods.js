// 期限配置 (office): the city's own periods with their sources, and a new row from an effective date.
import { api } from '../lib/api.js';
import {
  Empty,
  ErrorBox,
  Field,
  html,
  Loading,
  Notice,
  PageHeader,
  todayCst,
  useAction,
  useAsync,
  useForm,
} from '../lib/ui.js';

const UNIT = { working_days: '个工作日', months: '个月', days: '日', count: '次' };

export function OfficePeriods({ session }) {
  const rows = useAsync(() => api.get('/office/periods'));
  return html`<section>
    <${PageHeader} title="期限配置" />
    <p>
      本市自行配置的期限（国家文件未规定具体天数）。调整时新增一行并注明生效日期和决定文件：生效日起新受理的案件适用，在办案件不变。
    </p>
    <${ErrorBox} error=${rows.error} />
    ${
      !rows.data
        ? html`<${Loading} what="期限" error=${rows.error} />`
        : rows.data.length === 0
          ? html`<${Empty}>没有可配置的期限。<//>`
          : html`<table>
              <caption>
                本市配置的期限
              </caption>
              <thead>
                <tr>
                  <th scope="col">期限</th>
                  <th scope="col">数值</th>
                  <th scope="col">生效日期</th>
                  <th scope="col">依据</th>
                  <th scope="col">来源</th>
                </tr>
              </thead>
              <tbody>
                ${rows.data.map(
                  (r) =>
                    html`<tr>
                      <td>${r.label}</td>
                      <td>${r.value}${UNIT[r.unit]}</td>
                      <td>${r.effectiveFrom}${r.effectiveTo ? ` 至 ${r.effectiveTo}（不含）` : ''}</td>
                      <td>${r.source}</td>
                      <td>${r.origin === 'office' ? `信用办录入（${r.enteredBy}）` : '系统内置'}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
    }
    ${session.role === 'office' && rows.data && html`<${NewPeriod} rows=${rows.data} onSaved=${rows.reload} />`}
  </section>`;
}

function NewPeriod({ rows, onSaved }) {
  const keys = [...new Map(rows.map((r) => [r.key, r.label])).entries()];
  const [v, set] = useForm({
    key: keys[0]?.[0] ?? '',
    value: '',
    effectiveFrom: todayCst(),
    document: { number: '', title: '', date: todayCst() },
  });
  const save = useAction();
  const errorAt = (f) => save.error?.details?.find((d) => d.field === f)?.message;
  return html`<form
    class="card"
    aria-label="新增期限"
    onSubmit=${(e) => {
      e.preventDefault();
      void save.run(
        async () => {
          const r = await api.post('/office/periods', { ...v, value: Number(v.value) });
          onSaved();
          return r;
        },
        (r) => `已新增：${r.label} ${r.value}${UNIT[r.unit]}，自${r.effectiveFrom}起适用`,
      );
    }}
  >
    <h2>新增期限</h2>
    <${Field} label="期限" required error=${errorAt('body.key')}>
      ${(p) =>
        html`<select ...${p} value=${v.key} onChange=${set('key')}>
          ${keys.map(([k, label]) => html`<option value=${k}>${label}</option>`)}
        </select>`}
    <//>
    <${Field} label="新数值" required error=${errorAt('body.value')}>
      ${(p) => html`<input ...${p} type="number" step="1" value=${v.value} onInput=${set('value')} />`}
    <//>
    <${Field} label="生效日期" required hint="不早于今天" error=${errorAt('body.effectiveFrom')}>
      ${(p) => html`<input ...${p} type="date" value=${v.effectiveFrom} onInput=${set('effectiveFrom')} />`}
    <//>
    <${Field} label="决定文件名称" required error=${errorAt('body.document.title')}>
      ${(p) => html`<input ...${p} value=${v.document.title} onInput=${set('document.title')} />`}
    <//>
    <${Field} label="文号" required error=${errorAt('body.document.number')}>
      ${(p) => html`<input ...${p} value=${v.document.number} onInput=${set('document.number')} />`}
    <//>
    <${Field} label="印发日期" required error=${errorAt('body.document.date')}>
      ${(p) => html`<input ...${p} type="date" value=${v.document.date} onInput=${set('document.date')} />`}
    <//>
    <${ErrorBox} error=${save.error} />
    <button type="submit" class="button primary" disabled=${save.busy}>保存</button>
    ${save.done && html`<${Notice}>${save.done}<//>`}
  </form>`;
}
