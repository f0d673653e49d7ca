// 信用服务机构 (office, auditor): the directory of credit service agencies — filters, the list, a new
// agency; one agency's details, its credit file summary, its recommendation history and a status change;
// how often departments used each agency's reports in a period (CSV).
import { useState } from 'preact/hooks';
import { api, download, qs } from '../lib/api.js';
import { More, usePaged } from '../lib/paged.js';
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
import { usePeriod } from './office-supervision.js';

export const AGENCY_KIND = {
  credit_reporting: '征信',
  credit_rating: '信用评级',
  credit_consulting: '信用咨询',
  credit_management: '信用管理',
  other: '其他',
};
export const AGENCY_STATUS = {
  pending: '待评审',
  recommended: '推荐',
  not_recommended: '不予推荐',
  withdrawn: '撤销推荐',
};

/** The field error the last action answered for `field`, if any. @param {any} error @param {string} field */
const errorAt = (error, field) =>
  error?.details?.find((/** @type {{ field: string }} */ d) => d.field === field)?.message;

/** @param {{ session: { role: string } }} props */
export function OfficeAgencies({ session }) {
  const [filter, setFilter] = useState({ kind: '', status: '' });
  const list = usePaged(() => `/office/agencies${qs(filter)}`, [filter.kind, filter.status]);
  return html`<section>
    <${PageHeader} title="信用服务机构名录" />
    <p>推荐中的机构在公开页面 <a href="/agencies">信用服务机构推荐名录</a> 中公布。</p>
    <form class="filters" aria-label="筛选机构" onSubmit=${(/** @type {Event} */ e) => e.preventDefault()}>
      <${Field} label="机构类别">
        ${(p) =>
          html`<select
            ...${p}
            value=${filter.kind}
            onChange=${(/** @type {any} */ e) => setFilter({ ...filter, kind: e.target.value })}
          >
            <option value="">全部</option>
            ${Object.entries(AGENCY_KIND).map(([k, v]) => html`<option value=${k}>${v}</option>`)}
          </select>`}
      <//>
      <${Field} label="推荐状态">
        ${(p) =>
          html`<select
            ...${p}
            value=${filter.status}
            onChange=${(/** @type {any} */ e) => setFilter({ ...filter, status: e.target.value })}
          >
            <option value="">全部</option>
            ${Object.entries(AGENCY_STATUS).map(([k, v]) => html`<option value=${k}>${v}</option>`)}
          </select>`}
      <//>
    </form>
    <${ErrorBox} error=${list.error} />
    ${
      !list.data
        ? html`<${Loading} what="机构" error=${list.error} />`
        : list.data.length === 0
          ? html`<${Empty}>没有符合条件的机构。<//>`
          : html`<table>
                <caption>
                  信用服务机构${list.total === undefined ? '' : `（共 ${list.total} 家）`}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">机构名称</th>
                    <th scope="col">统一社会信用代码</th>
                    <th scope="col">类别</th>
                    <th scope="col">推荐状态</th>
                  </tr>
                </thead>
                <tbody>
                  ${list.data.map(
                    (/** @type {any} */ a) =>
                      html`<tr>
                        <td><a href=${`#/office/agencies/${a.uscc}`}>${a.name}</a></td>
                        <td>${a.uscc}</td>
                        <td>${a.kindLabel}</td>
                        <td>${a.statusLabel}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
              <${More} list=${list} />`
    }
    ${session.role === 'office' && html`<${NewAgency} onSaved=${list.reload} />`}
    <${AgencyUses} />
  </section>`;
}

/** @param {{ onSaved: () => void }} props */
function NewAgency({ onSaved }) {
  const blank = {
    uscc: '',
    name: '',
    kind: 'credit_reporting',
    filing: { authority: '', number: '' },
    services: '',
    contact: { person: '', phone: '', address: '' },
  };
  const [v, set, setAll] = useForm(blank);
  const save = useAction();
  const at = (/** @type {string} */ f) => errorAt(save.error, f);
  const body = () => ({
    uscc: v.uscc,
    name: v.name,
    kind: v.kind,
    ...(v.filing.authority || v.filing.number ? { filing: v.filing } : {}),
    services: v.services
      .split(/[\n；;]/)
      .map((/** @type {string} */ s) => s.trim())
      .filter(Boolean),
    contact: {
      phone: v.contact.phone,
      ...(v.contact.person ? { person: v.contact.person } : {}),
      ...(v.contact.address ? { address: v.contact.address } : {}),
    },
  });
  return html`<form
    class="card"
    aria-label="登记机构"
    onSubmit=${(/** @type {Event} */ e) => {
      e.preventDefault();
      void save.run(
        async () => {
          const r = await api.post('/office/agencies', body());
          setAll(blank);
          onSaved();
          return r;
        },
        (/** @type {any} */ r) => (r.created ? `已登记：${r.agency.name}（待评审）` : `该机构已登记：${r.agency.name}`),
      );
    }}
  >
    <h2>登记机构</h2>
    <${Field} label="统一社会信用代码" required error=${at('body.uscc')}>
      ${(p) => html`<input ...${p} value=${v.uscc} onInput=${set('uscc')} />`}
    <//>
    <${Field} label="机构名称" required error=${at('body.name')}>
      ${(p) => html`<input ...${p} value=${v.name} onInput=${set('name')} />`}
    <//>
    <${Field} label="机构类别" required error=${at('body.kind')}>
      ${(p) =>
        html`<select ...${p} value=${v.kind} onChange=${set('kind')}>
          ${Object.entries(AGENCY_KIND).map(([k, l]) => html`<option value=${k}>${l}</option>`)}
        </select>`}
    <//>
    <${Field}
      label="备案机关"
      hint="征信机构必填，如“中国人民银行河北省分行”"
      error=${at('body.filing.authority') ?? at('body.filing')}
    >
      ${(p) => html`<input ...${p} value=${v.filing.authority} onInput=${set('filing.authority')} />`}
    <//>
    <${Field} label="备案号" error=${at('body.filing.number')}>
      ${(p) => html`<input ...${p} value=${v.filing.number} onInput=${set('filing.number')} />`}
    <//>
    <${Field} label="服务内容" required hint="每行一项" error=${at('body.services')}>
      ${(p) => html`<textarea ...${p} rows="3" value=${v.services} onInput=${set('services')}></textarea>`}
    <//>
    <${Field} label="联系人" error=${at('body.contact.person')}>
      ${(p) => html`<input ...${p} value=${v.contact.person} onInput=${set('contact.person')} />`}
    <//>
    <${Field} label="联系电话" required error=${at('body.contact.phone')}>
      ${(p) => html`<input ...${p} value=${v.contact.phone} onInput=${set('contact.phone')} />`}
    <//>
    <${Field} label="地址" error=${at('body.contact.address')}>
      ${(p) => html`<input ...${p} value=${v.contact.address} onInput=${set('contact.address')} />`}
    <//>
    <${ErrorBox} error=${save.error} />
    <button type="submit" class="button primary" disabled=${save.busy}>登记</button>
    ${save.done && html`<${Notice}>${save.done}<//>`}
  </form>`;
}

/** How often each agency's reports were used in a period. */
function AgencyUses() {
  const [period, form] = usePeriod();
  const r = useAsync(() => api.get(`/office/supervision/agencies${qs(period)}`), [period.from, period.to]);
  const exportCsv = () =>
    download(
      `/office/supervision/agencies${qs({ ...period, format: 'csv' })}`,
      `信用服务机构使用情况_${period.from}_${period.to}.csv`,
    ).catch((e) => alert(e.message));
  return html`<div class="card">
    <h2>报告使用情况</h2>
    ${form}
    <button type="button" onClick=${exportCsv}>导出 CSV</button>
    <${ErrorBox} error=${r.error} />
    ${
      !r.data
        ? html`<${Loading} error=${r.error} />`
        : r.data.agencies.length === 0
          ? html`<${Empty}>该期间没有可统计的机构。<//>`
          : html`<table>
              <caption>
                各机构报告的使用次数（${r.data.from} 至 ${r.data.to}）
              </caption>
              <thead>
                <tr>
                  <th scope="col">机构名称</th>
                  <th scope="col">推荐状态</th>
                  <th scope="col">使用次数</th>
                  <th scope="col">使用部门数</th>
                  <th scope="col">事项数</th>
                </tr>
              </thead>
              <tbody>
                ${r.data.agencies.map(
                  (/** @type {any} */ a) =>
                    html`<tr>
                      <td>${a.name}</td>
                      <td>${a.statusLabel}</td>
                      <td>${a.uses}</td>
                      <td>${a.departments}</td>
                      <td>${a.matters}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
    }
  </div>`;
}

/** @param {string | undefined} s */
const previousLabel = (s) => AGENCY_STATUS[/** @type {keyof typeof AGENCY_STATUS} */ (s)] ?? '';

/** @param {{ uscc: string, session: { role: string } }} props */
export function OfficeAgencyDetail({ uscc, session }) {
  const a = useAsync(() => api.get(`/office/agencies/${encodeURIComponent(uscc)}`), [uscc]);
  const d = a.data;
  return html`<section>
    <${PageHeader} title=${d ? d.name : '信用服务机构'}><a href="#/office/agencies">返回名录</a><//>
    <${ErrorBox} error=${a.error} />
    ${
      !d
        ? html`<${Loading} what="机构" error=${a.error} />`
        : html`<dl class="card">
              <dt>统一社会信用代码</dt>
              <dd>${d.uscc}</dd>
              <dt>类别</dt>
              <dd>${d.kindLabel}</dd>
              <dt>备案</dt>
              <dd>${d.filing ? `${d.filing.authority} · 备案号 ${d.filing.number}` : '—'}</dd>
              <dt>服务内容</dt>
              <dd>${d.services.join('；')}</dd>
              <dt>联系方式</dt>
              <dd>${[d.contact.person, d.contact.phone, d.contact.address].filter(Boolean).join(' · ')}</dd>
              <dt>推荐状态</dt>
              <dd>${d.statusLabel}</dd>
              <dt>信用档案</dt>
              <dd>
                ${d.creditFile.items} 条${d.creditFile.blackListed ? '（在严重失信主体名单中，不能推荐）' : ''} ·
                <a href="#/office/credit">在“信用档案”中按代码查看</a>
              </dd>
            </dl>
            <table>
              <caption>
                推荐状态变更记录
              </caption>
              <thead>
                <tr>
                  <th scope="col">决定日期</th>
                  <th scope="col">变更</th>
                  <th scope="col">理由</th>
                  <th scope="col">经办人</th>
                </tr>
              </thead>
              <tbody>
                ${
                  d.history.length === 0
                    ? html`<tr>
                        <td colspan="4">尚无变更</td>
                      </tr>`
                    : d.history.map(
                        (/** @type {any} */ h) =>
                          html`<tr>
                            <td>${h.decidedOn}</td>
                            <td>${`${previousLabel(h.previous)} → ${h.statusLabel}`}</td>
                            <td>${h.reason}</td>
                            <td>${h.by}</td>
                          </tr>`,
                      )
                }
              </tbody>
            </table>
            ${session.role === 'office' && html`<${StatusChange} agency=${d} onSaved=${a.reload} />`}`
    }
  </section>`;
}

/** @param {{ agency: any, onSaved: () => void }} props */
function StatusChange({ agency, onSaved }) {
  const [v, set] = useForm({
    status: agency.status === 'recommended' ? 'withdrawn' : 'recommended',
    reason: '',
    decidedOn: todayCst(),
  });
  const save = useAction();
  const at = (/** @type {string} */ f) => errorAt(save.error, f);
  return html`<form
    class="card"
    aria-label="变更推荐状态"
    onSubmit=${(/** @type {Event} */ e) => {
      e.preventDefault();
      void save.run(
        async () => {
          const r = await api.post(`/office/agencies/${agency.uscc}/recommendation`, v);
          onSaved();
          return r;
        },
        (/** @type {any} */ r) => `已变更为：${r.statusLabel}`,
      );
    }}
  >
    <h2>变更推荐状态</h2>
    <${Field} label="新状态" required error=${at('body.status')}>
      ${(p) =>
        html`<select ...${p} value=${v.status} onChange=${set('status')}>
          <option value="recommended">推荐</option>
          <option value="not_recommended">不予推荐</option>
          <option value="withdrawn">撤销推荐</option>
        </select>`}
    <//>
    <${Field} label="理由" required error=${at('body.reason')}>
      ${(p) => html`<textarea ...${p} rows="2" value=${v.reason} onInput=${set('reason')}></textarea>`}
    <//>
    <${Field} label="决定日期" required hint="不晚于今天" error=${at('body.decidedOn')}>
      ${(p) => html`<input ...${p} type="date" value=${v.decidedOn} onInput=${set('decidedOn')} />`}
    <//>
    <${ErrorBox} error=${save.error} />
    <button type="submit" class="button primary" disabled=${save.busy}>保存</button>
    ${save.done && html`<${Notice}>${save.done}<//>`}
  </form>`;
}
