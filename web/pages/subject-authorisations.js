// 授权管理: the subject authorises a third party (bank, tendering agent…) to obtain its credit reports for
// a purpose and a period, and revokes an authorisation at any time.
import { useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { Empty, ErrorBox, Field, html, Loading, Notice, PageHeader, todayCst, useAction } from '../lib/ui.js';
import { More, usePaged } from '../lib/paged.js';

export function MyAuthorisations() {
  const list = usePaged(() => '/subjects/me/authorisations');
  return html`<section>
    <${PageHeader} title="授权管理" />
    <p class="lead">授权第三方在约定期限内查询本主体的信用报告；可随时撤销，撤销后立即失效。</p>
    <${GrantForm} onDone=${list.reload} />
    <h2>我的授权</h2>
    <${ErrorBox} error=${list.error} />
    ${
      !list.data
        ? html`<${Loading} error=${list.error} />`
        : html`<${AuthTable} items=${list.data} onChanged=${list.reload} /><${More} list=${list} />`
    }
  </section>`;
}

function AuthTable({ items, onChanged }) {
  const action = useAction();
  if (items.length === 0) return html`<${Empty}>尚未授权任何第三方。<//>`;
  const revoke = (a) =>
    action
      .run(
        () => api.post(`/subjects/me/authorisations/${a.authorisationId}/revocation`),
        `已撤销对“${a.grantee.name}”的授权。`,
      )
      .then((x) => x && onChanged());
  return html`<div>
    <${ErrorBox} error=${action.error} />${action.done && html`<${Notice}>${action.done}<//>`}
    <table class="data">
      <caption>
        授权（${items.length}）
      </caption>
      <thead>
        <tr>
          <th scope="col">被授权单位</th>
          <th scope="col">用途</th>
          <th scope="col">期限</th>
          <th scope="col">报告种类</th>
          <th scope="col">状态</th>
          <th scope="col">操作</th>
        </tr>
      </thead>
      <tbody>
        ${items.map(
          (a) =>
            html`<tr key=${a.authorisationId}>
              <td>
                ${a.grantee.name}<br /><small><code>${a.grantee.uscc}</code></small>
              </td>
              <td>${a.purpose}</td>
              <td>${a.validFrom} 至 ${a.validUntil}</td>
              <td>${a.kinds.map((k) => (k === 'special' ? '专项' : '公共信用信息')).join('、')}</td>
              <td>
                ${
                  a.revokedAt
                    ? html`<span class="badge muted">已撤销</span>`
                    : a.active
                      ? html`<span class="badge ok">有效</span>`
                      : html`<span class="badge muted">未生效或已过期</span>`
                }
              </td>
              <td>
                ${
                  !a.revokedAt &&
                  html`<button
                    type="button"
                    class="danger"
                    onClick=${() => revoke(a)}
                    aria-label=${`撤销对${a.grantee.name}的授权`}
                  >
                    撤销
                  </button>`
                }
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function GrantForm({ onDone }) {
  const [v, setV] = useState({ uscc: '', name: '', purpose: '', validFrom: todayCst(), validUntil: '' });
  const action = useAction();
  const errors = action.error?.fieldErrors?.() ?? {};
  const submit = (e) => {
    e.preventDefault();
    const body = {
      grantee: { uscc: v.uscc, name: v.name },
      purpose: v.purpose,
      validFrom: v.validFrom,
      validUntil: v.validUntil,
    };
    action
      .run(
        () => api.post('/subjects/me/authorisations', body),
        (a) => `已授权“${a.grantee.name}”，有效期至 ${a.validUntil}。`,
      )
      .then((x) => x && onDone());
  };
  const set = (k) => (e) => setV({ ...v, [k]: e.target.value });
  return html`<form class="subform" onSubmit=${submit} aria-label="新增授权">
    <h2>新增授权</h2>
    <${ErrorBox} error=${action.error} />${action.done && html`<${Notice}>${action.done}<//>`}
    <${Field} label="被授权单位统一社会信用代码" required error=${errors['grantee.uscc']}
      >${(a) => html`<input ...${a} type="text" value=${v.uscc} onInput=${set('uscc')} />`}<//
    >
    <${Field} label="被授权单位名称" required error=${errors['grantee.name']}
      >${(a) => html`<input ...${a} type="text" value=${v.name} onInput=${set('name')} />`}<//
    >
    <${Field} label="授权用途" required error=${errors.purpose}
      >${(a) => html`<input ...${a} type="text" value=${v.purpose} onInput=${set('purpose')} />`}<//
    >
    <${Field} label="授权起始日期" error=${errors.validFrom}
      >${(a) => html`<input ...${a} type="date" value=${v.validFrom} onInput=${set('validFrom')} />`}<//
    >
    <${Field} label="授权截止日期" required hint="每次授权最长1年" error=${errors.validUntil}
      >${(a) => html`<input ...${a} type="date" value=${v.validUntil} onInput=${set('validUntil')} />`}<//
    >
    <button type="submit" class="primary" disabled=${action.busy}>授权</button>
  </form>`;
}
