// One listing: its request, the timeline of its workflow, each department's task, and removal.
import { useState } from 'preact/hooks';
import { api, getVocabulary } from '../lib/api.js';
import {
  CLOSE_REASON,
  Deadline,
  ErrorBox,
  EVENT_TYPE,
  Field,
  fmtDate,
  fmtDeadline,
  fmtTime,
  html,
  LIST_KIND,
  LISTING_STATUS,
  Loading,
  MEASURE_KIND,
  Notice,
  PageHeader,
  SEVERITY,
  StatusBadge,
  TASK_STATUS,
  useAction,
  useAsync,
  useInterval,
} from '../lib/ui.js';
import { ListingNotices } from './notices.js';

/** Acknowledged after its deadline (a space before it, as it follows the time). */
const LateAck = () => html` <span class="badge warn">超期签收</span>`;

export function ListingDetail({ entryId, session }) {
  const listing = useAsync(() => api.get(`/office/listings/${entryId}`), [entryId]);
  const tasks = useAsync(() => api.get(`/office/listings/${entryId}/tasks`), [entryId]);
  const events = useAsync(() => api.get(`/office/listings/${entryId}/events`), [entryId]);
  const vocab = useAsync(getVocabulary);
  const reload = () => {
    listing.reload();
    tasks.reload();
    events.reload();
  };
  useInterval(reload, 5000, listing.data?.status !== 'closed');
  const l = listing.data;
  if (!l)
    return html`<section>
      <${PageHeader} title="名单条目" /><${ErrorBox} error=${listing.error} /><${Loading} error=${listing.error} />
    </section>`;
  const r = l.request;
  const category = vocab.data?.categories.find((c) => c.code === r.category)?.label ?? r.category;
  const canRemove = session.role === 'office' || session.role === 'county_office';
  /** @param {string} id */
  const departmentNameOf = (id) => tasks.data?.find((t) => t.departmentId === id)?.departmentName ?? id;
  return html`<section>
    <${PageHeader} title=${`${r.subject.name} · ${LIST_KIND[r.listKind]}`}
      ><a class="button" href="#/office/listings">返回列表</a><//
    >
    <div class="card">
      <dl class="facts">
        <dt>条目编号</dt>
        <dd><code>${l.entryId}</code></dd>
        <dt>状态</dt>
        <dd>
          <${StatusBadge} status=${l.status} map=${LISTING_STATUS} />
          ${l.closeReason ? CLOSE_REASON[l.closeReason] : ''}
          ${l.objection ? html`<span class="badge warn">异议处理中</span>` : ''}
        </dd>
        <dt>主体</dt>
        <dd>${r.subject.name}（<code>${l.subjectId}</code>）</dd>
        <dt>类别</dt>
        <dd>${category}${r.severity ? `（${SEVERITY[r.severity]}失信）` : ''}</dd>
        <dt>认定单位</dt>
        <dd>${r.authority}</dd>
        <dt>决定文书</dt>
        <dd>${r.decisionDocument.number}（${fmtDate(r.decisionDocument.date)}）</dd>
        <dt>认定依据</dt>
        <dd>${r.legalBasis.map((b) => `${b.document}${b.article ?? ''}`).join('；')}</dd>
        <dt>事由</dt>
        <dd>${r.reason}</dd>
        <dt>告知期届满</dt>
        <dd>${fmtDeadline(l.noticeEndsAt)}</dd>
        <dt>生效</dt>
        <dd>${fmtTime(l.effectiveAt)}</dd>
        <dt>有效期至</dt>
        <dd>${fmtDate(r.validUntil)}</dd>
      </dl>
    </div>
    <${ListingNotices} entryId=${entryId} session=${session} />
    <div class="card">
      <h2>部门任务（${tasks.data?.length ?? 0}）</h2>
      <${ErrorBox} error=${tasks.error} />
      ${
        tasks.data &&
        (tasks.data.length === 0
          ? html`<p class="empty">
              ${l.status === 'notice' ? '告知期届满生效后向各部门分派任务。' : '没有部门任务。'}
            </p>`
          : html` <table>
              <thead>
                <tr>
                  <th>部门</th>
                  <th>措施</th>
                  <th>状态</th>
                  <th>签收期限</th>
                  <th>签收</th>
                  <th>反馈</th>
                </tr>
              </thead>
              <tbody>
                ${tasks.data.map(
                  (t) =>
                    html`<tr class=${t.overdue ? 'row-danger' : ''}>
                      <td>${t.departmentName}</td>
                      <td>
                        <ul class="measures">
                          ${t.measures.map(
                            (m) =>
                              html`<li><span class=${`badge ${m.kind}`}>${MEASURE_KIND[m.kind]}</span> ${m.title}</li>`,
                          )}
                        </ul>
                      </td>
                      <td>
                        <${StatusBadge}
                          status=${t.status}
                          map=${TASK_STATUS}
                        />${t.overdue ? html` <span class="badge danger">逾期</span>` : ''}
                      </td>
                      <td><${Deadline} at=${t.ackDeadline} done=${t.status !== 'pending'} /></td>
                      <td>
                        ${
                          t.acknowledgedAt
                            ? html`${fmtTime(t.acknowledgedAt)}${t.ackOnTime === false && html`<${LateAck} />`}`
                            : '—'
                        }
                      </td>
                      <td>
                        ${t.feedbackCount} 次${t.feedbackOverdue ? html` <span class="badge warn">反馈逾期</span>` : ''}
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>`)
      }
    </div>
    <div class="card">
      <h2>流程时间线</h2>
      ${
        events.data &&
        html`<ol class="timeline">
          ${events.data.map(
            (e) =>
              html`<li>
                <time datetime=${e.at}>${fmtTime(e.at)}</time> <strong>${EVENT_TYPE[e.type] ?? e.type}</strong>
                ${e.departmentId ? ` · ${departmentNameOf(e.departmentId)}` : ''}
              </li>`,
          )}
        </ol>`
      }
    </div>
    ${canRemove && l.status !== 'closed' && html`<${Removal} entryId=${entryId} onDone=${reload} />`}
  </section>`;
}

function Removal({ entryId, onDone }) {
  const [reason, setReason] = useState('');
  const action = useAction();
  const submit = (e) => {
    e.preventDefault();
    if (!confirm('确定移出名单？各部门将解除相应措施。')) return;
    action
      .run(() => api.post(`/office/listings/${entryId}/removal`, { reason }), '已移出名单，各部门措施已解除。')
      .then(onDone);
  };
  return html`<form class="card" onSubmit=${submit}>
    <h2>移出名单</h2>
    <${ErrorBox} error=${action.error} />
    ${action.done && html`<${Notice}>${action.done}<//>`}
    <${Field} label="移出理由" required error=${action.error?.fieldErrors?.().reason}
      >${(a) =>
        html`<textarea ...${a} rows="2" value=${reason} onInput=${(e) => setReason(e.target.value)}></textarea>`}<//
    >
    <button type="submit" class="danger" disabled=${action.busy}>
      ${action.busy ? '正在解除各部门措施…' : '移出名单'}
    </button>
  </form>`;
}
