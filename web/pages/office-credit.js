// 信用档案 and 信用报告 (office, auditor): any subject's credit file, every report issued; withdrawal is on
// the report's own page (office only).
import { useState } from 'preact/hooks';
import { api, qs } from '../lib/api.js';
import { ErrorBox, Field, html, Loading, PageHeader, useAsync } from '../lib/ui.js';
import { More, usePaged } from '../lib/paged.js';
import { CreditFile, ReportList } from './credit-file.js';

export function OfficeCreditFile() {
  const [subjectId, setSubjectId] = useState('');
  const [shown, setShown] = useState('');
  const file = useAsync(
    () => (shown ? api.get(`/office/credit-files/${encodeURIComponent(shown)}`) : Promise.resolve(undefined)),
    [shown],
  );
  return html`<section>
    <${PageHeader} title="信用档案" />
    <form
      class="filters"
      aria-label="查询主体信用档案"
      onSubmit=${(e) => {
        e.preventDefault();
        setShown(subjectId.trim());
      }}
    >
      <${Field} label="统一社会信用代码或身份证号"
        >${(a) =>
          html`<input ...${a} type="text" value=${subjectId} onInput=${(e) => setSubjectId(e.target.value)} />`}<//
      >
      <button type="submit" class="primary">查询</button>
    </form>
    <${ErrorBox} error=${file.error} />
    ${shown && (file.data ? html`<${CreditFile} file=${file.data} />` : html`<${Loading} error=${file.error} />`)}
  </section>`;
}

export function OfficeReports() {
  const [subjectId, setSubjectId] = useState('');
  const [filter, setFilter] = useState('');
  const list = usePaged(() => `/office/reports${qs({ subjectId: filter })}`, [filter]);
  return html`<section>
    <${PageHeader} title="已出具的信用报告" />
    <form
      class="filters"
      aria-label="按主体筛选"
      onSubmit=${(e) => {
        e.preventDefault();
        setFilter(subjectId.trim());
      }}
    >
      <${Field} label="按主体筛选（代码）"
        >${(a) =>
          html`<input ...${a} type="text" value=${subjectId} onInput=${(e) => setSubjectId(e.target.value)} />`}<//
      >
      <button type="submit">筛选</button>
    </form>
    <${ErrorBox} error=${list.error} />
    ${
      list.data
        ? html`<${ReportList} reports=${list.data} /><${More} list=${list} />`
        : html`<${Loading} error=${list.error} />`
    }
  </section>`;
}
