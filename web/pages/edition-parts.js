// Measures list editions (措施清单版本), shared by the department's and the office's pages: the table
// of an edition's measures, the differences of two editions, and the page that compares two editions.
import { api } from '../lib/api.js';
import { Empty, ErrorBox, html, Loading, MEASURE_KIND, PageHeader, StatusBadge, useAsync } from '../lib/ui.js';

/**
 * @typedef {{ document: string, article?: string }} LegalBasis
 * @typedef {{ id: string, kind: 'incentive' | 'sanction', title: string, mandatory: boolean, categories: string[],
 *   severities: string[], subjectTypes: string[], areas: string[], matters?: string[], legalBasis: LegalBasis[],
 *   ackPeriodWorkingDays?: number, feedbackPeriodWorkingDays?: number }} Measure
 * @typedef {{ measureId: string, comment: string }} MeasureComment
 * @typedef {{ decision: 'approve' | 'return', by: { name: string }, at: string, note?: string,
 *   comments: MeasureComment[] }} Review
 * @typedef {{ id: string, departmentId: string, departmentName: string, number: number, label: string,
 *   status: string, statusLabel: string, measures: Measure[], reviews: Review[], basedOn?: number,
 *   effectiveFrom?: string, runningListings?: 'keep' | 'rematch', publishedAt?: string,
 *   rematchWorkflowId?: string, updatedAt: string }} Edition
 * @typedef {{ added: Measure[], retired: Measure[], changed: Array<{ id: string, before: Measure, after: Measure,
 *   fields: string[] }>, unchanged: number, from: { number: number, label: string },
 *   to: { number: number, label: string } }} EditionDiff
 */

export const EDITION_STATUS = {
  draft: '草稿',
  submitted: '已提交待审核',
  returned: '已退回修改',
  approved: '审核通过待发布',
  published: '已发布',
};

const FIELD_LABEL = {
  title: '措施内容',
  kind: '类型',
  mandatory: '强制性',
  categories: '名单类别',
  severities: '失信程度',
  subjectTypes: '主体类型',
  areas: '应用领域',
  matters: '细分事项',
  legalBasis: '法律依据',
  ackPeriodWorkingDays: '签收时限',
  feedbackPeriodWorkingDays: '反馈时限',
};

export const basisText = (/** @type {LegalBasis[]} */ bases) =>
  bases.map((b) => `《${b.document.replace(/^《|》$/g, '')}》${b.article ?? ''}`).join('；');

/**
 * @param {{ edition: Pick<Edition, 'status' | 'statusLabel' | 'label' | 'number'> }} props
 */
export function EditionBadge({ edition }) {
  return html`<${StatusBadge} status=${edition.status} map=${EDITION_STATUS} />`;
}

/**
 * An edition's measures; `actions(m)` adds a cell of buttons per measure, `comments` shows the office's.
 * @param {{ measures: Measure[], caption: string, actions?: (m: Measure) => unknown,
 *   comments?: MeasureComment[] }} props
 */
export function MeasureTable({ measures, caption, actions, comments = [] }) {
  if (measures.length === 0) return html`<${Empty}>本版本还没有措施。<//>`;
  return html`<table class="measures-table">
    <caption>
      ${caption}
    </caption>
    <thead>
      <tr>
        <th scope="col">编号</th>
        <th scope="col">措施内容</th>
        <th scope="col">类型</th>
        <th scope="col">名单类别</th>
        <th scope="col">应用领域</th>
        <th scope="col">法律依据</th>
        ${actions && html`<th scope="col">操作</th>`}
      </tr>
    </thead>
    <tbody>
      ${measures.map((m) => {
        const said = comments.filter((c) => c.measureId === m.id);
        return html`<tr>
          <td><code>${m.id}</code></td>
          <td>${m.title} ${said.map((c) => html`<p class="field-error">审核意见：${c.comment}</p>`)}</td>
          <td>${MEASURE_KIND[m.kind]}${m.mandatory ? '（强制）' : '（推荐）'}</td>
          <td>${m.categories.join('、')}</td>
          <td>${m.areas.join('、')}${m.matters?.length ? `（${m.matters.join('、')}）` : ''}</td>
          <td>${basisText(m.legalBasis)}</td>
          ${actions && html`<td>${actions(m)}</td>`}
        </tr>`;
      })}
    </tbody>
  </table>`;
}

/** @param {{ diff: EditionDiff }} props */
export function DiffView({ diff }) {
  return html`<div class="edition-diff">
    <p>
      第 ${diff.from.number} 版（${diff.from.label}）→ 第 ${diff.to.number} 版（${diff.to.label}）：新增
      ${diff.added.length} 项，修改 ${diff.changed.length} 项，退出 ${diff.retired.length} 项，未变 ${diff.unchanged}
      项。
    </p>
    ${diff.added.length > 0 && html`<${MeasureTable} caption="新增的措施" measures=${diff.added} />`}
    ${
      diff.changed.length > 0 &&
      html`<table>
        <caption>
          修改的措施
        </caption>
        <thead>
          <tr>
            <th scope="col">编号</th>
            <th scope="col">修改的内容</th>
            <th scope="col">修改前</th>
            <th scope="col">修改后</th>
          </tr>
        </thead>
        <tbody>
          ${diff.changed.map(
            (c) =>
              html`<tr>
                <td><code>${c.id}</code></td>
                <td>${c.fields.map((f) => FIELD_LABEL[f] ?? f).join('、')}</td>
                <td>${c.fields.map((f) => html`<div>${show(c.before, f)}</div>`)}</td>
                <td>${c.fields.map((f) => html`<div>${show(c.after, f)}</div>`)}</td>
              </tr>`,
          )}
        </tbody>
      </table>`
    }
    ${diff.retired.length > 0 && html`<${MeasureTable} caption="退出的措施" measures=${diff.retired} />`}
  </div>`;
}

/** @param {Measure} m @param {string} field */
function show(m, field) {
  const v = /** @type {Record<string, unknown>} */ (m)[field];
  if (field === 'legalBasis') return basisText(m.legalBasis);
  if (Array.isArray(v)) return v.join('、');
  if (v === undefined) return '（无）';
  return String(v);
}

/**
 * 版本对比: the differences between two editions of a department's list.
 * @param {{ departmentId: string, from: string, to: string, session: { role: string } }} props
 */
export function EditionDiffPage({ departmentId, from, to, session }) {
  const base = session.role === 'department' ? '/departments/me/editions' : `/office/editions/${departmentId}`;
  const diff = useAsync(() => api.get(`${base}/diff?from=${from}&to=${to}`), [departmentId, from, to]);
  return html`<section>
    <${PageHeader} title=${`措施清单版本对比（${departmentId}）`} />
    <${ErrorBox} error=${diff.error} />
    ${!diff.data ? html`<${Loading} what="版本差异" error=${diff.error} />` : html`<${DiffView} diff=${diff.data} />`}
  </section>`;
}
