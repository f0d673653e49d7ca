// One objection or repair case: stage, deadline, timeline, decision — and the actions the viewer may take.
import { useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import {
  CASE_EVENT,
  CASE_KIND,
  CASE_STATUS,
  Deadline,
  ErrorBox,
  Field,
  fmtTime,
  html,
  Notice,
  STAGE,
  StatusBadge,
  useAction,
} from '../lib/ui.js';

const OPEN = ['filing', 'verifying', 'submitted', 'reviewing'];
/** @type {Record<string, string>} what an upheld objection did to the record */
const DECISION_ACTION = { remove: '（移出名单）', correct: '（更正记录）' };

/** actor: 'office' | 'authority' | undefined (read only). */
export function CaseCard({ c, actor, onChanged }) {
  const open = OPEN.includes(c.status);
  return html`<article class="card case" aria-labelledby=${`case-${c.caseId}`}>
    <h2 id=${`case-${c.caseId}`}>
      ${CASE_KIND[c.kind]} <code class="small">${c.caseId}</code>
      <${StatusBadge} status=${c.status} map=${CASE_STATUS} />
      ${c.overdue && open ? html` <span class="badge danger">已逾期</span>` : ''}
    </h2>
    <dl class="facts">
      <dt>主体</dt>
      <dd><code>${c.subjectId}</code></dd>
      <dt>${c.recordId ? '信用记录' : '名单条目'}</dt>
      <dd><code>${c.recordId ?? c.entryId}</code></dd>
      <dt>认定单位</dt>
      <dd>${c.authority}</dd>
      <dt>提交时间</dt>
      <dd>${fmtTime(c.filedAt)}</dd>
      ${
        open &&
        c.stage &&
        html`<dt>当前环节</dt>
          <dd>${STAGE[c.stage]}，期限 <${Deadline} at=${c.deadline} /></dd>`
      }
      ${
        c.totalDeadline &&
        open &&
        html`<dt>办结期限</dt>
          <dd><${Deadline} at=${c.totalDeadline} /></dd>`
      }
      ${
        c.reason &&
        html`<dt>异议理由</dt>
          <dd>${c.reason}</dd>`
      }
      ${
        c.extendedWorkingDays > 0 &&
        html`<dt>已延长</dt>
          <dd>${c.extendedWorkingDays} 个工作日</dd>`
      }
      ${
        c.decision &&
        html`<dt>决定</dt>
          <dd>
            <strong>${CASE_STATUS[c.decision.outcome] ?? c.decision.outcome}</strong
            >${DECISION_ACTION[c.decision.action] ?? ''}：${c.decision.reasons}（${fmtTime(c.decision.at)}）
          </dd>`
      }
    </dl>
    <details>
      <summary>办理过程（${c.timeline.length}）</summary>
      <ol class="timeline">
        ${c.timeline.map(
          (t) =>
            html`<li>
              <time datetime=${t.at}>${fmtTime(t.at)}</time>${' '}
              <strong>${CASE_EVENT[t.type] ?? t.type}</strong>${t.by ? ` · ${t.by}` : ''}
            </li>`,
        )}
      </ol>
    </details>
    ${
      actor === 'office' &&
      c.kind === 'repair' &&
      c.status === 'submitted' &&
      html`<${Acceptance} c=${c} onDone=${onChanged} />`
    }
    ${
      actor === 'authority' &&
      c.kind === 'objection' &&
      c.status === 'verifying' &&
      html`<${ObjectionDecision} c=${c} onDone=${onChanged} />`
    }
    ${
      actor === 'authority' &&
      c.kind === 'repair' &&
      c.status === 'reviewing' &&
      html`<${RepairDecision} c=${c} onDone=${onChanged} />`
    }
  </article>`;
}

function Acceptance({ c, onDone }) {
  const [reasons, setReasons] = useState('');
  const action = useAction();
  const act = (accepted) =>
    action
      .run(
        () => api.post(`/office/repairs/${c.caseId}/acceptance`, { accepted, ...(reasons.trim() ? { reasons } : {}) }),
        accepted ? '已受理，转认定单位审核。' : '已不予受理。',
      )
      .then(onDone);
  return html`<div class="case-actions">
    <h3>受理审查</h3>
    <${ErrorBox} error=${action.error} />${action.done && html`<${Notice}>${action.done}<//>`}
    <${Field} label="意见（不予受理时必填）"
      >${(a) => html`<input ...${a} value=${reasons} onInput=${(e) => setReasons(e.target.value)} />`}<//
    >
    <button type="button" class="primary" disabled=${action.busy} onClick=${() => act(true)}>受理</button>
    <button type="button" disabled=${action.busy} onClick=${() => act(false)}>不予受理</button>
  </div>`;
}

function ObjectionDecision({ c, onDone }) {
  const [v, setV] = useState({ outcome: '', action: 'remove', reasons: '', validUntil: '', correctedReason: '' });
  const action = useAction();
  const set = (k) => (e) => setV({ ...v, [k]: e.target.value });
  const decide = (e) => {
    e.preventDefault();
    const body = { outcome: v.outcome, reasons: v.reasons };
    if (v.outcome === 'upheld') {
      body.action = v.action;
      if (v.action === 'correct') {
        body.correction = {
          ...(v.validUntil ? { validUntil: v.validUntil } : {}),
          ...(v.correctedReason.trim() ? { reason: v.correctedReason.trim() } : {}),
        };
      }
    }
    const what =
      v.outcome === 'rejected'
        ? '异议不成立'
        : v.action === 'remove'
          ? '异议成立并移出名单（各部门将解除措施）'
          : '异议成立并更正记录';
    if (!confirm(`确定作出决定：${what}？决定作出后不能撤回。`)) return;
    action.run(() => api.post(`/authority/objections/${c.caseId}/decision`, body), '决定已作出。').then(onDone);
  };
  return html`<div class="case-actions">
    <form onSubmit=${decide} aria-label="异议核查决定">
      <h3>异议核查决定</h3>
      <${ErrorBox} error=${action.error} />${action.done && html`<${Notice}>${action.done}<//>`}
      <div class="row">
        <${Field} label="结论" required
          >${(a) =>
            html`<select ...${a} value=${v.outcome} onChange=${set('outcome')}>
              <option value="">请选择</option>
              <option value="upheld">异议成立</option>
              <option value="rejected">异议不成立</option>
            </select>`}<//
        >
        ${
          v.outcome === 'upheld' &&
          html`<${Field} label="处理方式"
            >${(a) =>
              html`<select ...${a} value=${v.action} onChange=${set('action')}>
                <option value="remove">移出名单</option>
                <option value="correct">更正记录</option>
              </select>`}<//
          >`
        }
        ${
          v.outcome === 'upheld' &&
          v.action === 'correct' &&
          html`<${Field} label="更正后有效期至"
            >${(a) => html`<input ...${a} type="date" value=${v.validUntil} onInput=${set('validUntil')} />`}<//
          >`
        }
      </div>
      ${
        v.outcome === 'upheld' &&
        v.action === 'correct' &&
        html`<${Field} label="更正后的认定事实与理由"
          >${(a) =>
            html`<textarea
              ...${a}
              rows="2"
              value=${v.correctedReason}
              onInput=${set('correctedReason')}
            ></textarea>`}<//
        >`
      }
      <${Field} label="处理理由" required
        >${(a) => html`<textarea ...${a} rows="2" value=${v.reasons} onInput=${set('reasons')}></textarea>`}<//
      >
      <button type="submit" class="primary" disabled=${action.busy || !v.outcome || !!action.done}>作出决定</button>
    </form>
    <${Extension} c=${c} onDone=${onDone} />
  </div>`;
}

/** Extending the verification period is its own form, so Enter in it never submits the decision. */
function Extension({ c, onDone }) {
  const [v, setV] = useState({ days: '5', reason: '' });
  const action = useAction();
  const submit = (e) => {
    e.preventDefault();
    action
      .run(
        () =>
          api.post(`/authority/objections/${c.caseId}/extension`, { workingDays: Number(v.days), reason: v.reason }),
        '核查期限已延长。',
      )
      .then(onDone);
  };
  return html`<details>
    <summary>延长核查期限</summary>
    <form onSubmit=${submit} aria-label="延长核查期限">
      <${ErrorBox} error=${action.error} />${action.done && html`<${Notice}>${action.done}<//>`}
      <div class="row">
        <${Field} label="延长工作日"
          >${(a) =>
            html`<input
              ...${a}
              type="number"
              min="1"
              max="20"
              value=${v.days}
              onInput=${(e) => setV({ ...v, days: e.target.value })}
            />`}<//
        >
        <${Field} label="延长理由" required
          >${(a) =>
            html`<input ...${a} value=${v.reason} onInput=${(e) => setV({ ...v, reason: e.target.value })} />`}<//
        >
      </div>
      <button type="submit" disabled=${action.busy}>延长期限</button>
    </form>
  </details>`;
}

function RepairDecision({ c, onDone }) {
  const [reasons, setReasons] = useState('');
  const action = useAction();
  const act = (approved) => {
    if (!confirm(approved ? '确定准予修复？名单将移出，各部门解除措施。' : '确定不予修复？')) return;
    action
      .run(
        () => api.post(`/authority/repairs/${c.caseId}/decision`, { approved, reasons }),
        approved ? '已准予修复，名单移出、措施解除。' : '已决定不予修复。',
      )
      .then(onDone);
  };
  return html`<div class="case-actions">
    <h3>信用修复审核</h3>
    ${
      c.application &&
      html`<p>承诺书（${c.application.commitment.signedOn}）：${c.application.commitment.text}</p>
        <p>证明材料：${c.application.proofs.map((p) => p.name).join('、')}</p>`
    }
    <${ErrorBox} error=${action.error} />${action.done && html`<${Notice}>${action.done}<//>`}
    <${Field} label="审核意见" required
      >${(a) =>
        html`<textarea ...${a} rows="2" value=${reasons} onInput=${(e) => setReasons(e.target.value)}></textarea>`}<//
    >
    <button type="button" class="primary" disabled=${action.busy} onClick=${() => act(true)}>准予修复</button>
    <button type="button" disabled=${action.busy} onClick=${() => act(false)}>不予修复</button>
  </div>`;
}
