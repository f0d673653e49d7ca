// 逢办必查: before handling a matter, check the subject; then record per measure applied or not (with reason).
import { useState } from 'preact/hooks';
import { api, getVocabulary } from '../lib/api.js';
import {
  Empty,
  ErrorBox,
  Field,
  fmtDate,
  fmtDeadline,
  fmtTime,
  html,
  LIST_KIND,
  matterLabel,
  MEASURE_KIND,
  Notice,
  PageHeader,
  SEVERITY,
  useAction,
  useAsync,
} from '../lib/ui.js';
import { More, usePaged } from '../lib/paged.js';

export function CheckPage({ session }) {
  const vocab = useAsync(getVocabulary);
  const history = usePaged(() => '/departments/me/checks');
  const [v, setV] = useState({ subjectId: '', area: '', detail: '' });
  const [answer, setAnswer] = useState(/** @type {any} */ (undefined));
  const action = useAction();
  const errors = action.error?.fieldErrors?.() ?? {};
  const submit = (e) => {
    e.preventDefault();
    const matter = v.detail.trim() ? `${v.area}.${v.detail.trim()}` : v.area;
    setAnswer(undefined);
    action
      .run(() => api.post('/departments/me/checks', { subjectId: v.subjectId.trim(), matter }))
      .then((r) => {
        if (r) setAnswer(r);
        history.reload();
      });
  };
  return html`<section>
    <${PageHeader} title=${`逢办必查 · ${session.departmentName ?? ''}`} />
    <p class="lead">
      办理行政事项前核查主体：系统列出本部门在该事项上应执行的奖惩措施及依据。每次核查都会留痕，命中后请逐项填报是否执行。
    </p>
    <form class="card" onSubmit=${submit} aria-label="核查主体">
      <${ErrorBox} error=${action.error} />
      <div class="row">
        <${Field} label="统一社会信用代码 / 身份证号" required error=${errors.subjectId}
          >${(a) =>
            html`<input
              ...${a}
              value=${v.subjectId}
              onInput=${(e) => setV({ ...v, subjectId: e.target.value })}
              maxlength="18"
              autocomplete="off"
            />`}<//
        >
        <${Field} label="办理事项（领域）" required error=${errors.matter}
          >${(a) =>
            html`<select ...${a} value=${v.area} onChange=${(e) => setV({ ...v, area: e.target.value })}>
              <option value="">请选择</option>
              ${(vocab.data?.areas ?? []).map((o) => html`<option value=${o.code}>${o.label}</option>`)}
            </select>`}<//
        >
        <${Field} label="细分事项编码" hint="可选，如 bid_award"
          >${(a) =>
            html`<input ...${a} value=${v.detail} onInput=${(e) => setV({ ...v, detail: e.target.value })} />`}<//
        >
      </div>
      <button type="submit" class="primary" disabled=${action.busy || !v.subjectId || !v.area}>核查</button>
    </form>
    ${answer && html`<${CheckResult} a=${answer} vocab=${vocab.data} onDecided=${history.reload} />`}
    <${BatchCheck} vocab=${vocab.data} onChecked=${history.reload} />
    <div class="card">
      <h2>最近核查记录</h2>
      ${
        history.data &&
        (history.data.length === 0
          ? html`<${Empty}>还没有核查记录。<//>`
          : html` <table>
              <thead>
                <tr>
                  <th>时间</th>
                  <th>主体</th>
                  <th>事项</th>
                  <th>结果</th>
                  <th>措施填报</th>
                </tr>
              </thead>
              <tbody>
                ${history.data.map(
                  (c) =>
                    html`<tr>
                      <td>${fmtTime(c.at)}</td>
                      <td><code>${c.subjectId}</code></td>
                      <td>${matterLabel(vocab.data, c.matter)}</td>
                      <td>
                        ${
                          c.result === 'hit'
                            ? html`<span class="badge danger">命中</span>`
                            : html`<span class="badge ok">未命中</span>`
                        }
                      </td>
                      <td>
                        ${
                          c.result === 'hit'
                            ? c.decisions
                              ? `已填报（${c.decisions.filter((d) => d.applied).length}/${c.decisions.length} 项执行）`
                              : html`<span class="badge warn">未填报</span>`
                            : '—'
                        }
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>`)
      }
      <${More} list=${history} />
    </div>
  </section>`;
}

/** Marks a subject with an objection being handled (a space before it, as it follows other text). */
const ObjectionBadge = () => html` <span class="badge warn">异议中</span>`;
/** @param {{ n: number }} props */
const HitBadge = ({ n }) => html`<span class="badge danger">命中 ${n} 条名单记录</span>`;

function CheckResult({ a, vocab, onDecided }) {
  const cat = (code) => vocab?.categories.find((c) => c.code === code)?.label ?? code;
  return html`<div class="card" aria-live="polite">
    <h2>
      核查结果：${a.result === 'hit' ? html`<${HitBadge} n=${a.entries.length} />` : html`<span class="badge ok">未命中</span>`}
      ${a.underObjection ? html` <span class="badge warn">异议处理中</span>` : ''}
    </h2>
    <p class="hint">
      核查编号 <code>${a.checkId}</code> · ${fmtTime(a.checkedAt)} · 主体 <code>${a.subjectId}</code> · 事项
      ${matterLabel(vocab, a.matter)}
    </p>
    <p><a href=${`#/dept/credit/${a.subjectId}`}>查看该主体的信用档案、出具信用报告 →</a></p>
    ${a.underObjection && html`<${Notice} tone="warn">该主体有记录正在异议处理中，请审慎执行相关措施。<//>`}
    ${
      a.entries.length > 0 &&
      html`<table>
        <caption>
          名单记录
        </caption>
        <thead>
          <tr>
            <th>名单</th>
            <th>类别</th>
            <th>认定单位</th>
            <th>生效</th>
            <th>有效期至</th>
          </tr>
        </thead>
        <tbody>
          ${a.entries.map(
            (e) =>
              html`<tr>
                <td><span class=${`badge ${e.listKind}`}>${LIST_KIND[e.listKind]}</span></td>
                <td>
                  ${cat(e.category)}${e.severity ? `（${SEVERITY[e.severity]}）` : ''}
                  ${e.underObjection && html`<${ObjectionBadge} />`}
                </td>
                <td>${e.authority}</td>
                <td>${fmtDate(e.effectiveAt)}</td>
                <td>${fmtDeadline(e.expiresAt)}</td>
              </tr>`,
          )}
        </tbody>
      </table>`
    }
    ${
      a.measures.length > 0
        ? html`<${Decisions} a=${a} onDecided=${onDecided} />`
        : a.result === 'hit'
          ? html`<p>本部门在该事项上没有需执行的措施。</p>`
          : html`<p>该主体没有本部门相关的红黑名单记录，可正常办理。</p>`
    }
  </div>`;
}

function Decisions({ a, onDecided }) {
  const [rows, setRows] = useState(a.measures.map((m) => ({ measureId: m.measureId, applied: true, reason: '' })));
  const action = useAction();
  const set = (i, patch) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const submit = (e) => {
    e.preventDefault();
    const decisions = rows.map((r) => ({
      measureId: r.measureId,
      applied: r.applied,
      ...(r.reason.trim() ? { reason: r.reason.trim() } : {}),
    }));
    action
      .run(() => api.post(`/departments/me/checks/${a.checkId}/decisions`, { decisions }), '执行情况已记录。')
      .then(onDecided);
  };
  return html`<form onSubmit=${submit} aria-label="措施执行填报">
    <h3>应执行的措施（逐项填报）</h3>
    <${ErrorBox} error=${action.error} />
    ${action.done && html`<${Notice}>${action.done}<//>`}
    <table>
      <thead>
        <tr>
          <th>措施</th>
          <th>依据</th>
          <th>是否执行</th>
          <th>未执行理由</th>
        </tr>
      </thead>
      <tbody>
        ${a.measures.map(
          (m, i) =>
            html`<tr>
              <td>
                <span class=${`badge ${m.kind}`}>${MEASURE_KIND[m.kind]}</span>
                ${m.title}${m.mandatory ? html` <span class="badge muted">必须执行</span>` : ''}
              </td>
              <td><small>${m.legalBasis.map((b) => `${b.document}${b.article ?? ''}`).join('；')}</small></td>
              <td>
                <label class="check"
                  ><input
                    type="checkbox"
                    checked=${rows[i].applied}
                    onChange=${(e) => set(i, { applied: e.target.checked })}
                    aria-label=${`执行：${m.title}`}
                  />
                  已执行</label
                >
              </td>
              <td>
                <input
                  value=${rows[i].reason}
                  onInput=${(e) => set(i, { reason: e.target.value })}
                  disabled=${rows[i].applied}
                  aria-label=${`未执行理由：${m.title}`}
                />
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
    <button type="submit" class="primary" disabled=${action.busy || !!action.done}>提交执行情况</button>
  </form>`;
}

/** 批量核查: a list of subjects (e.g. every bidder of a procurement) against one matter, up to 1,000. */
function BatchCheck({ vocab, onChecked }) {
  const [v, setV] = useState({ ids: '', area: '' });
  const [result, setResult] = useState(/** @type {any} */ (undefined));
  const [opened, setOpened] = useState(/** @type {any} */ (undefined));
  const action = useAction();
  const ids = v.ids
    .split(/[\s,，;；]+/)
    .map((x) => x.trim())
    .filter(Boolean);
  const submit = (e) => {
    e.preventDefault();
    setResult(undefined);
    setOpened(undefined);
    action
      .run(() => api.post('/departments/me/checks/batch', { matter: v.area, subjectIds: ids }))
      .then((r) => {
        if (r) setResult(r);
        onChecked();
      });
  };
  return html`<details class="card">
    <summary>
      <h2 class="inline">批量核查</h2>
      （如招标项目的全部投标人，一次最多1000个主体）
    </summary>
    <form onSubmit=${submit} aria-label="批量核查">
      <${ErrorBox} error=${action.error} />
      <div class="row">
        <${Field} label="主体代码（每行一个，或用逗号分隔）" required
          >${(a) =>
            html`<textarea
              ...${a}
              rows="4"
              value=${v.ids}
              onInput=${(e) => setV({ ...v, ids: e.target.value })}
            ></textarea>`}<//
        >
        <${Field} label="批量核查事项（领域）" required
          >${(a) =>
            html`<select ...${a} value=${v.area} onChange=${(e) => setV({ ...v, area: e.target.value })}>
              <option value="">请选择</option>
              ${(vocab?.areas ?? []).map((o) => html`<option value=${o.code}>${o.label}</option>`)}
            </select>`}<//
        >
      </div>
      <button type="submit" class="primary" disabled=${action.busy || ids.length === 0 || !v.area}>
        核查 ${ids.length} 个主体
      </button>
    </form>
    ${
      result &&
      html`<div aria-live="polite">
        <p>
          共核查 ${result.count} 个主体，命中 <strong>${result.hits}</strong> 个（批次
          <code>${result.batchId}</code>）。命中的主体请逐一点“填报”记录措施执行情况。
        </p>
        <table>
          <thead>
            <tr>
              <th>主体</th>
              <th>结果</th>
              <th>名单记录</th>
              <th>应执行措施</th>
              <th>操作</th>
            </tr>
          </thead>
          <tbody>
            ${result.results.map(
              (r) =>
                html`<tr class=${r.result === 'hit' ? 'row-danger' : ''}>
                  <td><code>${r.subjectId}</code></td>
                  <td>
                    ${
                      r.result === 'hit'
                        ? html`<span class="badge danger">命中</span>`
                        : html`<span class="badge ok">未命中</span>`
                    }${r.underObjection && html`<${ObjectionBadge} />`}
                  </td>
                  <td>${r.entries.map((e) => LIST_KIND[e.listKind]).join('、') || '—'}</td>
                  <td>${r.measures.map((m) => m.title).join('；') || '—'}</td>
                  <td>
                    ${
                      r.measures.length > 0 &&
                      html`<button type="button" onClick=${() => setOpened(r)} aria-label=${`填报 ${r.subjectId}`}>
                        填报
                      </button>`
                    }
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
        ${opened && html`<${CheckResult} key=${opened.checkId} a=${opened} vocab=${vocab} onDecided=${onChecked} />`}
      </div>`
    }
  </details>`;
}
