// 待办任务: the department's tasks with their deadlines; acknowledge (签收) and report execution (反馈).
import { useState } from 'preact/hooks';
import { api, getVocabulary, qs } from '../lib/api.js';
import {
  Deadline,
  Empty,
  ErrorBox,
  Field,
  fmtTime,
  html,
  LIST_KIND,
  Loading,
  MEASURE_KIND,
  Notice,
  PageHeader,
  SEVERITY,
  StatusBadge,
  TASK_STATUS,
  todayCst,
  useAction,
  useAsync,
  useInterval,
} from '../lib/ui.js';
import { More, usePaged } from '../lib/paged.js';

export function Inbox({ session }) {
  const [status, setStatus] = useState('pending');
  const inbox = usePaged(() => `/departments/me/inbox${qs({ status })}`, [status]);
  const vocab = useAsync(getVocabulary);
  useInterval(inbox.reload, 10_000);
  return html`<section>
    <${PageHeader} title=${`待办任务 · ${session.departmentName ?? ''}`} />
    <div class="tabs" role="group" aria-label="任务状态">
      ${[
        ['pending', '待签收'],
        ['acknowledged', '已签收'],
        ['lifted', '已解除'],
        ['', '全部'],
      ].map(
        ([k, label]) =>
          html` <button type="button" aria-pressed=${status === k ? 'true' : 'false'} onClick=${() => setStatus(k)}>
            ${label}
          </button>`,
      )}
    </div>
    <${ErrorBox} error=${inbox.error} />
    ${
      !inbox.data
        ? html`<${Loading} error=${inbox.error} />`
        : inbox.data.length === 0
          ? html`<${Empty}>没有${TASK_STATUS[status] ?? ''}任务。<//>`
          : inbox.data.map(
              (t) => html`<${TaskCard} key=${t.taskId} t=${t} vocab=${vocab.data} onChanged=${inbox.reload} />`,
            )
    }
    <${More} list=${inbox} />
  </section>`;
}

/** The feedback deadline has passed (a space before it, as it follows the status). */
const FeedbackOverdue = () => html` <span class="badge warn">反馈逾期</span>`;

function TaskCard({ t, vocab, onChanged }) {
  const [open, setOpen] = useState(false);
  const ack = useAction();
  const category = vocab?.categories.find((c) => c.code === t.category)?.label ?? t.category;
  const acknowledge = () =>
    ack.run(() => api.post(`/departments/me/tasks/${t.taskId}/acknowledgement`, {}), '已签收。').then(onChanged);
  return html`<article class=${`card task${t.overdue ? ' overdue' : ''}`} aria-labelledby=${`t-${t.taskId}`}>
    <h2 id=${`t-${t.taskId}`}>
      ${t.subject?.name ?? t.entryId} <span class=${`badge ${t.listKind}`}>${LIST_KIND[t.listKind] ?? ''}</span>
      <${StatusBadge}
        status=${t.status}
        map=${TASK_STATUS}
      />${t.overdue && html` <span class="badge danger">签收逾期</span>`}
      ${t.feedbackOverdue && html`<${FeedbackOverdue} />`}
    </h2>
    <dl class="facts">
      <dt>主体代码</dt>
      <dd><code>${t.subject?.uscc ?? t.subject?.idNumber ?? ''}</code></dd>
      <dt>名单类别</dt>
      <dd>${category}${t.severity ? `（${SEVERITY[t.severity]}）` : ''}</dd>
      <dt>分派时间</dt>
      <dd>${fmtTime(t.assignedAt)}</dd>
      <dt>签收期限</dt>
      <dd><${Deadline} at=${t.ackDeadline} done=${t.status !== 'pending'} label="签收期限" /></dd>
      <dt>反馈期限</dt>
      <dd>
        <${Deadline}
          at=${t.feedbackDue}
          done=${t.feedbackCount > 0 || t.status === 'lifted'}
          label="反馈期限"
        />（已反馈 ${t.feedbackCount} 次）
      </dd>
      ${
        t.liftedAt &&
        html`<dt>解除时间</dt>
          <dd>${fmtTime(t.liftedAt)}（名单结束，措施已解除）</dd>`
      }
    </dl>
    <h3>应执行的措施</h3>
    <ul class="measures">
      ${t.measures.map(
        (m) =>
          html`<li>
            <span class=${`badge ${m.kind}`}>${MEASURE_KIND[m.kind]}</span>
            ${m.title}${m.mandatory ? html` <span class="badge muted">必须执行</span>` : ''} <br /><small class="hint"
              >依据：${m.legalBasis.map((b) => `${b.document}${b.article ?? ''}`).join('；')}</small
            >
          </li>`,
      )}
    </ul>
    <${ErrorBox} error=${ack.error} />${ack.done && html`<${Notice}>${ack.done}<//>`}
    <div class="card-actions">
      ${
        t.status === 'pending' &&
        html`<button type="button" class="primary" disabled=${ack.busy} onClick=${acknowledge}>签收</button>`
      }
      ${
        t.status === 'acknowledged' &&
        html`<button type="button" aria-expanded=${open ? 'true' : 'false'} onClick=${() => setOpen(!open)}>
          ${open ? '收起反馈' : '反馈执行情况'}
        </button>`
      }
    </div>
    ${
      open &&
      html`<${FeedbackForm}
        t=${t}
        vocab=${vocab}
        onDone=${() => {
          setOpen(false);
          onChanged();
        }}
      />`
    }
  </article>`;
}

function FeedbackForm({ t, vocab, onDone }) {
  const [v, setV] = useState({
    matter: '',
    measureIds: t.measures.map((m) => m.id),
    appliedOn: todayCst(),
    outcome: '',
  });
  const action = useAction();
  const errors = action.error?.fieldErrors?.() ?? {};
  const toggle = (id) =>
    setV({
      ...v,
      measureIds: v.measureIds.includes(id) ? v.measureIds.filter((x) => x !== id) : [...v.measureIds, id],
    });
  const submit = (e) => {
    e.preventDefault();
    action.run(() => api.post(`/departments/me/tasks/${t.taskId}/feedback`, v)).then((r) => r && onDone());
  };
  return html`<form class="subform" onSubmit=${submit} aria-label="反馈执行情况">
    <${ErrorBox} error=${action.error} />
    <div class="row">
      <${Field} label="行政事项" required error=${errors.matter}
        >${(a) =>
          html`<select ...${a} value=${v.matter} onChange=${(e) => setV({ ...v, matter: e.target.value })}>
            <option value="">请选择</option>
            ${(vocab?.areas ?? []).map((o) => html`<option value=${o.code}>${o.label}</option>`)}
          </select>`}<//
      >
      <${Field} label="执行日期" required error=${errors.appliedOn}
        >${(a) =>
          html`<input
            ...${a}
            type="date"
            value=${v.appliedOn}
            onInput=${(e) => setV({ ...v, appliedOn: e.target.value })}
          />`}<//
      >
    </div>
    <fieldset>
      <legend>已执行的措施</legend>
      ${t.measures.map(
        (m) =>
          html`<label class="check"
            ><input type="checkbox" checked=${v.measureIds.includes(m.id)} onChange=${() => toggle(m.id)} />${' '}
            ${m.title}</label
          >`,
      )}
      ${errors.measureIds && html`<small class="field-error">${errors.measureIds}</small>`}
    </fieldset>
    <${Field} label="执行结果" required error=${errors.outcome}
      >${(a) =>
        html`<textarea
          ...${a}
          rows="2"
          value=${v.outcome}
          onInput=${(e) => setV({ ...v, outcome: e.target.value })}
          placeholder="如：已在招标文件中限制其投标资格"
        ></textarea>`}<//
    >
    <button type="submit" class="primary" disabled=${action.busy}>提交反馈</button>
  </form>`;
}
