// 措施清单审核 (office): every department's list editions, reviewing one (approve, or return with a
// comment per measure), publishing it with an effective date and the choice for running listings, and
// suspending a measure city-wide as over-reaching (不当联结).
import { useState } from 'preact/hooks';
import { api, qs } from '../lib/api.js';
import {
  Empty,
  ErrorBox,
  Field,
  fmtTime,
  html,
  Loading,
  Notice,
  PageHeader,
  todayCst,
  useAction,
  useAsync,
} from '../lib/ui.js';
import { DiffView, EDITION_STATUS, EditionBadge, MeasureTable } from './edition-parts.js';

/** @typedef {import('./edition-parts.js').Edition} Edition */

/** @param {{ session: { role: string } }} props */
export function OfficeEditions({ session }) {
  const [status, setStatus] = useState('');
  const list = useAsync(() => api.get(`/office/editions${qs({ status })}`), [status]);
  /** @type {Array<Edition & { measureCount?: number }> | undefined} */
  const rows = list.data;
  return html`<section>
    <${PageHeader} title="措施清单审核" />
    <p>各部门起草的措施清单版本：审核通过后发布，并确定生效日期和在办名单条目是否按新版本重新匹配。</p>
    <${Field} label="状态">
      ${(/** @type {object} */ p) =>
        html`<select ...${p} value=${status} onChange=${(/** @type {any} */ ev) => setStatus(ev.target.value)}>
          <option value="">全部</option>
          ${Object.entries(EDITION_STATUS).map(([k, label]) => html`<option value=${k}>${label}</option>`)}
        </select>`}
    <//>
    <${ErrorBox} error=${list.error} />
    ${
      !rows
        ? html`<${Loading} what="清单版本" error=${list.error} />`
        : rows.length === 0
          ? html`<${Empty}>没有该状态的清单版本。<//>`
          : html`<table>
              <caption>
                各部门的清单版本
              </caption>
              <thead>
                <tr>
                  <th scope="col">部门</th>
                  <th scope="col">版本</th>
                  <th scope="col">名称</th>
                  <th scope="col">状态</th>
                  <th scope="col">生效日期</th>
                  <th scope="col">更新时间</th>
                </tr>
              </thead>
              <tbody>
                ${rows.map(
                  (e) =>
                    html`<tr>
                      <td>${e.departmentName}</td>
                      <td><a href=${`#/office/editions/${e.departmentId}/${e.number}`}>第 ${e.number} 版</a></td>
                      <td>${e.label}</td>
                      <td><${EditionBadge} edition=${e} /></td>
                      <td>${e.effectiveFrom ?? '—'}</td>
                      <td>${fmtTime(e.updatedAt)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
    }
    <${Suspensions} canSuspend=${session.role === 'office'} />
  </section>`;
}

/** @param {{ canSuspend: boolean }} props */
function Suspensions({ canSuspend }) {
  const list = useAsync(() => api.get('/office/measure-suspensions'));
  const [v, setV] = useState({ measureId: '', reason: '' });
  const [lifted, setLifted] = useState('');
  const act = useAction();
  /** @param {string} f */
  const errorAt = (f) => act.error?.details?.find((/** @type {{field: string}} */ d) => d.field === f)?.message;
  /** @type {Array<{ measureId: string, reason: string, by: string, at: string }> | undefined} */
  const rows = list.data;
  return html`<div class="card">
    <h2>暂停实施的措施（不当联结）</h2>
    ${lifted && html`<${Notice}>${lifted}<//>`}
    ${
      rows &&
      (rows.length === 0
        ? html`<${Empty}>没有暂停实施的措施。<//>`
        : html`<ul>
            ${rows.map(
              (s) =>
                html`<li>
                  <code>${s.measureId}</code>：${s.reason}（${s.by}，${fmtTime(s.at)}）
                  ${
                    canSuspend &&
                    html`<${LiftSuspension}
                      measureId=${s.measureId}
                      onLifted=${(/** @type {string} */ m) => {
                        setLifted(m);
                        list.reload();
                      }}
                    />`
                  }
                </li>`,
            )}
          </ul>`)
    }
    ${
      canSuspend &&
      html`<form
        aria-label="暂停实施措施"
        onSubmit=${(/** @type {Event} */ ev) => {
          ev.preventDefault();
          void act.run(
            async () => {
              const r = await api.post('/office/measure-suspensions', v);
              list.reload();
              return r;
            },
            (/** @type {{measureId: string}} */ r) => `已暂停措施 ${r.measureId}，正在从在办名单条目中解除`,
          );
        }}
      >
        <${Field} label="措施编号" required error=${errorAt('body.measureId')}>
          ${(/** @type {object} */ p) =>
            html`<input
              ...${p}
              value=${v.measureId}
              onInput=${(/** @type {any} */ ev) => setV({ ...v, measureId: ev.target.value })}
            />`}
        <//>
        <${Field} label="不当联结的理由" required error=${errorAt('body.reason')}>
          ${(/** @type {object} */ p) =>
            html`<textarea
              ...${p}
              value=${v.reason}
              onInput=${(/** @type {any} */ ev) => setV({ ...v, reason: ev.target.value })}
            ></textarea>`}
        <//>
        <${ErrorBox} error=${act.error} />
        <button type="submit" class="button danger" disabled=${act.busy}>全市暂停实施</button>
        ${act.done && html`<${Notice}>${act.done}<//>`}
      </form>`
    }
  </div>`;
}

/**
 * Lifting one suspension: a reason, then the measure is in force again and running listings that match it
 * regain it (the API starts the re-matching run).
 * @param {{ measureId: string, onLifted: (message: string) => void }} props
 */
function LiftSuspension({ measureId, onLifted }) {
  const [reason, setReason] = useState('');
  const act = useAction();
  const error = act.error?.details?.find((/** @type {{field: string}} */ d) => d.field === 'body.reason')?.message;
  return html`<form
    aria-label=${`恢复实施措施 ${measureId}`}
    onSubmit=${(/** @type {Event} */ ev) => {
      ev.preventDefault();
      // the page shows the outcome (this form goes once the list of suspensions reloads)
      void act.run(async () => {
        const r = await api.post(`/office/measure-suspensions/${encodeURIComponent(measureId)}/lifting`, { reason });
        onLifted(`已恢复实施措施 ${measureId}，正在为仍符合条件的在办名单条目恢复`);
        return r;
      });
    }}
  >
    <${Field} label="恢复实施的理由" required error=${error}>
      ${(/** @type {object} */ p) =>
        html`<input ...${p} value=${reason} onInput=${(/** @type {any} */ ev) => setReason(ev.target.value)} />`}
    <//>
    <${ErrorBox} error=${act.error} />
    <button type="submit" class="button" disabled=${act.busy}>恢复实施</button>
  </form>`;
}

/**
 * One edition: its measures, the differences from the edition it was based on, review and publication.
 * @param {{ departmentId: string, number: string, session: { role: string } }} props
 */
export function OfficeEdition({ departmentId, number, session }) {
  const ed = useAsync(() => api.get(`/office/editions/${departmentId}/${number}`), [departmentId, number]);
  /** @type {Edition | undefined} */
  const e = ed.data;
  const base = e?.basedOn ?? (e && e.number > 1 ? e.number - 1 : undefined);
  const diff = useAsync(
    () =>
      base ? api.get(`/office/editions/${departmentId}/diff${qs({ from: base, to: number })}`) : Promise.resolve(null),
    [departmentId, number, base],
  );
  const office = session.role === 'office';
  const [done, setDone] = useState('');
  /** @param {string} message */
  const after = (message) => {
    setDone(message);
    ed.reload();
  };
  return html`<section>
    <${PageHeader} title=${e ? `${e.departmentName} 措施清单第 ${e.number} 版` : '措施清单版本'}>
      <a class="button" href="#/office/editions">返回列表</a>
    <//>
    <${ErrorBox} error=${ed.error} />
    ${done && html`<${Notice}>${done}<//>`}
    ${
      !e
        ? html`<${Loading} what="清单版本" error=${ed.error} />`
        : html`
            <p>
              <${EditionBadge} edition=${e} /> ${e.label} · ${e.measures.length} 项措施
              ${e.effectiveFrom ? ` · 自 ${e.effectiveFrom} 起施行` : ''}
              ${e.runningListings ? ` · 在办名单条目：${e.runningListings === 'rematch' ? '重新匹配' : '保持原措施'}` : ''}
            </p>
            ${
              diff.data &&
              html`<div class="card">
                <h2>与第 ${base} 版的差异</h2>
                <${DiffView} diff=${diff.data} />
              </div>`
            }
            ${office && e.status === 'submitted' && html`<${ReviewForm} e=${e} onDone=${after} />`}
            ${e.status !== 'submitted' && html`<${MeasureTable} caption="本版本的措施" measures=${e.measures} />`}
            ${office && e.status === 'approved' && html`<${PublishForm} e=${e} onDone=${after} />`}
          `
    }
  </section>`;
}

/** @param {{ e: Edition, onDone: (message: string) => void }} props */
function ReviewForm({ e, onDone }) {
  const [comments, setComments] = useState(/** @type {Record<string, string>} */ ({}));
  const [note, setNote] = useState('');
  const act = useAction();
  /** @param {'approve' | 'return'} decision */
  const send = (decision) =>
    void act.run(async () => {
      const list = Object.entries(comments)
        .filter(([, c]) => c.trim())
        .map(([measureId, comment]) => ({ measureId, comment }));
      const body =
        decision === 'approve'
          ? { decision, ...(note ? { note } : {}) }
          : { decision, comments: list, ...(note ? { note } : {}) };
      const r = await api.post(`/office/editions/${e.departmentId}/${e.number}/review`, body);
      onDone(decision === 'approve' ? '已审核通过，可以发布' : '已退回修改');
      return r;
    });
  return html`<form class="card" aria-label="审核" onSubmit=${(/** @type {Event} */ ev) => ev.preventDefault()}>
    <h2>审核</h2>
    <${MeasureTable}
      caption="逐项审核意见（退回时至少填写一项）"
      measures=${e.measures}
      actions=${(/** @type {{id: string}} */ m) =>
        html`<label class="visually-hidden" for=${`c-${m.id}`}>对 ${m.id} 的意见</label>
          <textarea
            id=${`c-${m.id}`}
            rows="2"
            value=${comments[m.id] ?? ''}
            onInput=${(/** @type {any} */ ev) => setComments({ ...comments, [m.id]: ev.target.value })}
          ></textarea>`}
    />
    <${Field} label="总体意见（可选）">
      ${(/** @type {object} */ p) =>
        html`<input ...${p} value=${note} onInput=${(/** @type {any} */ ev) => setNote(ev.target.value)} />`}
    <//>
    <${ErrorBox} error=${act.error} />
    <button type="button" class="button primary" disabled=${act.busy} onClick=${() => send('approve')}>审核通过</button>
    <button type="button" class="button" disabled=${act.busy} onClick=${() => send('return')}>退回修改</button>
  </form>`;
}

/** @param {{ e: Edition, onDone: (message: string) => void }} props */
function PublishForm({ e, onDone }) {
  const [v, setV] = useState({ effectiveFrom: todayCst(), runningListings: 'rematch' });
  const act = useAction();
  /** @param {string} f */
  const errorAt = (f) => act.error?.details?.find((/** @type {{field: string}} */ d) => d.field === f)?.message;
  return html`<form
    class="card"
    aria-label="发布"
    onSubmit=${(/** @type {Event} */ ev) => {
      ev.preventDefault();
      void act.run(async () => {
        /** @type {Edition} */
        const r = await api.post(`/office/editions/${e.departmentId}/${e.number}/publication`, v);
        const running = r.runningListings === 'rematch' ? '，正在按新版本重新匹配在办名单条目' : '';
        onDone(`已发布，自 ${r.effectiveFrom} 起施行${running}`);
        return r;
      });
    }}
  >
    <h2>发布</h2>
    <${Field}
      label="生效日期"
      required
      hint="不早于今天，且晚于本部门已发布版本的生效日期"
      error=${errorAt('body.effectiveFrom')}
    >
      ${(/** @type {object} */ p) =>
        html`<input
          ...${p}
          type="date"
          value=${v.effectiveFrom}
          onInput=${(/** @type {any} */ ev) => setV({ ...v, effectiveFrom: ev.target.value })}
        />`}
    <//>
    <fieldset>
      <legend>在办名单条目</legend>
      <label class="check"
        ><input
          type="radio"
          name="running"
          checked=${v.runningListings === 'rematch'}
          onChange=${() => setV({ ...v, runningListings: 'rematch' })}
        />
        按新版本重新匹配（新增措施分派任务，退出措施解除，已有反馈保留）</label
      >
      <label class="check"
        ><input
          type="radio"
          name="running"
          checked=${v.runningListings === 'keep'}
          onChange=${() => setV({ ...v, runningListings: 'keep' })}
        />
        保持原措施（仅新列入的名单条目适用新版本）</label
      >
    </fieldset>
    <${ErrorBox} error=${act.error} />
    <button type="submit" class="button primary" disabled=${act.busy}>发布</button>
  </form>`;
}
