// 我的信用记录: the subject's entries; file an objection (异议) or apply for credit repair (信用修复).
import { useState } from 'preact/hooks';
import { api, getVocabulary } from '../lib/api.js';
import {
  CASE_KIND,
  CASE_STATUS,
  Empty,
  ErrorBox,
  Field,
  fmtDate,
  fmtDeadline,
  fmtTime,
  html,
  LIST_KIND,
  LISTING_STATUS,
  Loading,
  Notice,
  PageHeader,
  SEVERITY,
  StatusBadge,
  todayCst,
  useAction,
  useAsync,
} from '../lib/ui.js';
import { NoticeLines } from './notices.js';

export function MyRecords({ session }) {
  const records = useAsync(() => api.get('/subjects/me/records'));
  const notices = useAsync(() => api.get('/subjects/me/notices'));
  /** @param {string} entryId */
  const noticesOf = (entryId) => (notices.data ?? []).filter((/** @type {any} */ n) => n.entryId === entryId);
  const vocab = useAsync(getVocabulary);
  return html`<section>
    <${PageHeader} title="我的信用记录" />
    <p class="lead">
      ${session.name}（<code>${session.subjectId}</code>）。对记录有异议可提出异议申请；已纠正失信行为的，可申请信用修复。
    </p>
    <${ErrorBox} error=${records.error} />
    ${
      !records.data
        ? html`<${Loading} error=${records.error} />`
        : records.data.length === 0
          ? html`<${Empty}>没有红黑名单记录。<//>`
          : records.data.map(
              (r) =>
                html`<${RecordCard}
                  key=${r.entryId}
                  r=${r}
                  vocab=${vocab.data}
                  notices=${noticesOf(r.entryId)}
                  onChanged=${records.reload}
                />`,
            )
    }
  </section>`;
}

function RecordCard({ r, vocab, notices, onChanged }) {
  const [form, setForm] = useState(/** @type {any} */ (undefined)); // 'objection' | 'repair'
  const category = vocab?.categories.find((c) => c.code === r.category)?.label ?? r.category;
  const open = r.openCases ?? [];
  const canAct = r.status !== 'closed';
  return html`<article class="card" aria-labelledby=${`r-${r.entryId}`}>
    <h2 id=${`r-${r.entryId}`}>
      <span class=${`badge ${r.listKind}`}>${LIST_KIND[r.listKind]}</span> ${category}
      <${StatusBadge}
        status=${r.status}
        map=${LISTING_STATUS}
      />${r.underObjection ? html` <span class="badge warn">异议处理中</span>` : ''}
    </h2>
    <dl class="facts">
      <dt>条目编号</dt>
      <dd><code>${r.entryId}</code></dd>
      ${
        r.severity &&
        html`<dt>失信程度</dt>
          <dd>${SEVERITY[r.severity]}</dd>`
      }
      ${
        r.authority &&
        html`<dt>认定单位</dt>
          <dd>${r.authority}</dd>`
      }
      ${
        r.reason &&
        html`<dt>事由</dt>
          <dd>${r.reason}</dd>`
      }
      ${
        r.effectiveAt &&
        html`<dt>生效</dt>
          <dd>${fmtTime(r.effectiveAt)}</dd>`
      }
      ${
        r.status === 'notice' &&
        r.noticeEndsAt &&
        html`<dt>告知期至</dt>
          <dd>${fmtDeadline(r.noticeEndsAt)}（期间可提出异议）</dd>`
      }
      ${
        r.expiresAt &&
        html`<dt>有效期至</dt>
          <dd>${fmtDeadline(r.expiresAt)}</dd>`
      }
    </dl>
    ${
      notices.length > 0 &&
      html`<h3>告知书</h3>
        <${NoticeLines} notices=${notices} base="/subjects/me/notices" />`
    }
    ${
      open.length > 0 &&
      html`<p>
        办理中：${open.map((c) => html`<span class="badge muted">${CASE_KIND[c.kind]} · ${CASE_STATUS[c.status]}</span> `)}
        <a href="#/me/cases">查看进度 →</a>
      </p>`
    }
    ${
      canAct &&
      html`<div class="card-actions">
        ${
          !open.some((c) => c.kind === 'objection') &&
          html`<button
            type="button"
            aria-expanded=${form === 'objection' ? 'true' : 'false'}
            onClick=${() => setForm(form === 'objection' ? undefined : 'objection')}
          >
            提出异议
          </button>`
        }
        ${
          r.listKind === 'black' &&
          !open.some((c) => c.kind === 'repair') &&
          html`<button
            type="button"
            aria-expanded=${form === 'repair' ? 'true' : 'false'}
            onClick=${() => setForm(form === 'repair' ? undefined : 'repair')}
          >
            申请信用修复
          </button>`
        }
      </div>`
    }
    ${form === 'objection' && html`<${ObjectionForm} target=${{ entryId: r.entryId }} onDone=${onChanged} />`}
    ${form === 'repair' && html`<${RepairForm} entryId=${r.entryId} onDone=${onChanged} />`}
  </article>`;
}

/** Attachments are named (with size and type) here; the files themselves go through the document system. */
const fileList = (files) =>
  [...files].map((f) => ({ name: f.name, ...(f.type ? { contentType: f.type } : {}), size: f.size }));

/**
 * An objection to a listing (`{ entryId }`) or to a credit record in the file (`{ recordId }`).
 * @param {{ target: { entryId: string } | { recordId: string }, onDone: () => void }} props
 */
export function ObjectionForm({ target, onDone }) {
  const [reason, setReason] = useState('');
  const [evidence, setEvidence] = useState(/** @type {any[]} */ ([]));
  const action = useAction();
  const errors = action.error?.fieldErrors?.() ?? {};
  const submit = (e) => {
    e.preventDefault();
    action
      .run(
        () => api.post('/subjects/me/objections', { ...target, reason, evidence }),
        (c) => `异议已提交（编号 ${c.caseId}），记录已标注“异议处理中”。核查期限：${fmtDeadline(c.deadline)}。`,
      )
      .then((c) => c && onDone());
  };
  return html`<form class="subform" onSubmit=${submit} aria-label="提出异议">
    <h3>提出异议</h3>
    <${ErrorBox} error=${action.error} />${action.done && html`<${Notice}>${action.done}<//>`}
    <${Field} label="异议理由" required error=${errors.reason}
      >${(a) =>
        html`<textarea
          ...${a}
          rows="3"
          value=${reason}
          onInput=${(e) => setReason(e.target.value)}
          placeholder="请说明记录哪里有误及事实依据"
        ></textarea>`}<//
    >
    <${Field} label="证据材料（可多选）"
      >${(a) =>
        html`<input ...${a} type="file" multiple onChange=${(e) => setEvidence(fileList(e.target.files))} />`}<//
    >
    <button type="submit" class="primary" disabled=${action.busy || !!action.done}>提交异议</button>
  </form>`;
}

function RepairForm({ entryId, onDone }) {
  const elig = useAsync(() => api.get(`/subjects/me/records/${entryId}/repair-eligibility`), [entryId]);
  const [v, setV] = useState({ signedOn: todayCst(), text: '', fulfilled: false, statement: '' });
  const [proofs, setProofs] = useState(/** @type {any[]} */ ([]));
  const action = useAction();
  const errors = action.error?.fieldErrors?.() ?? {};
  const submit = (e) => {
    e.preventDefault();
    const body = {
      entryId,
      commitment: { signedOn: v.signedOn, text: v.text },
      obligationsFulfilled: v.fulfilled,
      proofs,
      ...(v.statement.trim() ? { statement: v.statement } : {}),
    };
    action
      .run(
        () => api.post('/subjects/me/repairs', body),
        (c) => `修复申请已提交（编号 ${c.caseId}），受理期限：${fmtDeadline(c.deadline)}。`,
      )
      .then((c) => c && onDone());
  };
  if (!elig.data)
    return html`<div class="subform">
      <${ErrorBox} error=${elig.error} /><${Loading} what="修复条件" error=${elig.error} />
    </div>`;
  const e = elig.data;
  return html`<form class="subform" onSubmit=${submit} aria-label="申请信用修复">
    <h3>申请信用修复</h3>
    <p class="hint">适用规定：${e.regimeLabel}</p>
    ${
      !e.eligible &&
      html`<div class="alert warn" role="status">
        <strong>暂不符合修复条件：</strong>
        <ul>
          ${e.refusals.map((r) => html`<li>${r.message}<br /><small>依据：${r.source}</small></li>`)}
        </ul>
        ${e.earliestDate && html`<p>最早可于 ${fmtDate(e.earliestDate)} 申请。</p>`}
      </div>`
    }
    ${
      e.eligible &&
      html` <${ErrorBox} error=${action.error} />${action.done && html`<${Notice}>${action.done}<//>`}
        <${Field} label="信用承诺书签署日期" required error=${errors['commitment.signedOn']}
          >${(a) =>
            html`<input
              ...${a}
              type="date"
              value=${v.signedOn}
              onInput=${(ev) => setV({ ...v, signedOn: ev.target.value })}
            />`}<//
        >
        <${Field} label="信用承诺书内容" required error=${errors['commitment.text']}
          >${(a) =>
            html`<textarea
              ...${a}
              rows="3"
              value=${v.text}
              onInput=${(ev) => setV({ ...v, text: ev.target.value })}
            ></textarea>`}<//
        >
        <${Field} label="履行义务的证明材料" required error=${errors.proofs}
          >${(a) =>
            html`<input ...${a} type="file" multiple onChange=${(ev) => setProofs(fileList(ev.target.files))} />`}<//
        >
        <label class="check"
          ><input
            type="checkbox"
            checked=${v.fulfilled}
            onChange=${(ev) => setV({ ...v, fulfilled: ev.target.checked })}
          />
          本人（本单位）已履行法定义务、纠正失信行为</label
        >
        ${errors.obligationsFulfilled && html`<small class="field-error">${errors.obligationsFulfilled}</small>`}
        <${Field} label="补充说明"
          >${(a) =>
            html`<textarea
              ...${a}
              rows="2"
              value=${v.statement}
              onInput=${(ev) => setV({ ...v, statement: ev.target.value })}
            ></textarea>`}<//
        >
        <button type="submit" class="primary" disabled=${action.busy || !!action.done}>提交修复申请</button>`
    }
  </form>`;
}
