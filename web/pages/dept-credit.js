// 信用档案与报告 (department): the credit file of a subject this department is handling (after its 逢办必查
// check) and a report on it; reports for a whole batch (e.g. every bidder of one tender).
import { useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { ErrorBox, Field, html, Loading, Notice, PageHeader, useAction, useAsync } from '../lib/ui.js';
import { More, usePaged } from '../lib/paged.js';
import { CreditFile, ReportForm, ReportList } from './credit-file.js';

export function DeptCredit({ subjectId: given }) {
  const [subjectId, setSubjectId] = useState(given ?? '');
  const [shown, setShown] = useState(given ?? '');
  const mine = usePaged(() => '/departments/me/reports');
  return html`<section>
    <${PageHeader} title="信用档案与报告" />
    <p class="lead">可查看本部门近期在逢办必查中核查过的主体的信用档案，并为其出具信用报告。</p>
    <form
      class="filters"
      aria-label="查询主体"
      onSubmit=${(e) => {
        e.preventDefault();
        setShown(subjectId.trim());
      }}
    >
      <${Field} label="主体统一社会信用代码或身份证号"
        >${(a) =>
          html`<input ...${a} type="text" value=${subjectId} onInput=${(e) => setSubjectId(e.target.value)} />`}<//
      >
      <button type="submit" class="primary">查看信用档案</button>
    </form>
    ${shown && html`<${SubjectFile} key=${shown} subjectId=${shown} onIssued=${mine.reload} />`}
    <h2>批量出具（如一次招标的全部投标人）</h2>
    <${BatchForm} onDone=${mine.reload} />
    <h2>本部门出具的报告</h2>
    <${ErrorBox} error=${mine.error} />
    ${
      mine.data
        ? html`<${ReportList} reports=${mine.data} /><${More} list=${mine} />`
        : html`<${Loading} error=${mine.error} />`
    }
  </section>`;
}

function SubjectFile({ subjectId, onIssued }) {
  const file = useAsync(() => api.get(`/departments/me/credit-files/${encodeURIComponent(subjectId)}`), [subjectId]);
  if (!file.data) return html`<div><${ErrorBox} error=${file.error} /><${Loading} error=${file.error} /></div>`;
  return html`<div>
    <${CreditFile} file=${file.data} />
    <h2>为该主体出具信用报告</h2>
    <${ReportForm}
      withPurpose=${true}
      purposeRequired=${true}
      submit=${(body) => api.post('/departments/me/reports', { ...body, subjectId })}
      onIssued=${onIssued}
    />
  </div>`;
}

function BatchForm({ onDone }) {
  const [v, setV] = useState({ ids: '', purpose: '', kind: 'special' });
  const action = useAction();
  const errors = action.error?.fieldErrors?.() ?? {};
  const submit = (e) => {
    e.preventDefault();
    const subjectIds = v.ids.split(/[\s,，;；]+/).filter(Boolean);
    action
      .run(
        () => api.post('/departments/me/reports/batch', { kind: v.kind, subjectIds, purpose: v.purpose }),
        (r) => `已出具 ${r.reports.length} 份报告（批次 ${r.batchId}）。`,
      )
      .then((x) => x && onDone());
  };
  return html`<form class="subform" onSubmit=${submit} aria-label="批量出具信用报告">
    <${ErrorBox} error=${action.error} />${action.done && html`<${Notice}>${action.done}<//>`}
    <${Field} label="主体代码（每行一个，最多100个）" required error=${errors.subjectIds}
      >${(a) =>
        html`<textarea
          ...${a}
          rows="4"
          value=${v.ids}
          onInput=${(e) => setV({ ...v, ids: e.target.value })}
        ></textarea>`}<//
    >
    <${Field} label="批量报告种类"
      >${(a) =>
        html`<select ...${a} value=${v.kind} onChange=${(e) => setV({ ...v, kind: e.target.value })}>
          <option value="special">专项信用报告（无违法违规记录证明版）</option>
          <option value="public">公共信用信息报告</option>
        </select>`}<//
    >
    <${Field} label="批量用途" required error=${errors.purpose}
      >${(a) =>
        html`<input
          ...${a}
          type="text"
          value=${v.purpose}
          onInput=${(e) => setV({ ...v, purpose: e.target.value })}
        />`}<//
    >
    <button type="submit" class="primary" disabled=${action.busy}>批量出具</button>
  </form>`;
}
