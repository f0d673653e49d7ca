// 名单条目: filter by state, category and subject; page through; open an entry.
import { useState } from 'preact/hooks';
import { api, getVocabulary, qs } from '../lib/api.js';
import {
  CLOSE_REASON,
  Empty,
  ErrorBox,
  fmtDate,
  fmtDeadline,
  fmtTime,
  html,
  LIST_KIND,
  LISTING_STATUS,
  Loading,
  PageHeader,
  StatusBadge,
  useAsync,
} from '../lib/ui.js';

const PAGE = 20;

export function Listings({ session }) {
  const [filter, setFilter] = useState({ status: '', category: '', subjectId: '', region: '' });
  const [applied, setApplied] = useState(filter);
  // the cursors of the pages walked so far: the last one is the page shown (null: the first page)
  const [cursors, setCursors] = useState(/** @type {Array<string | null>} */ ([null]));
  const cursor = cursors[cursors.length - 1];
  const [total, setTotal] = useState(/** @type {number | undefined} */ (undefined));
  const vocab = useAsync(getVocabulary);
  // the city office may narrow to one region (注册地); a county office sees its own only
  const county = session.role === 'county_office';
  const orgs = useAsync(() => (county ? Promise.resolve({ nodes: [] }) : api.get('/organisations')));
  const { data, error, loading } = useAsync(async () => {
    const page = await api.get(`/office/listings${qs({ ...applied, limit: PAGE, cursor })}`);
    if (page.total !== undefined) setTotal(page.total); // the first page carries the total
    return page;
  }, [applied, cursor]);
  const submit = (e) => {
    e.preventDefault();
    setCursors([null]);
    setApplied({ ...filter, subjectId: filter.subjectId.trim() });
  };
  // the city office and a county office list subjects (a county office of its own region)
  const canList = session.role === 'office' || session.role === 'county_office';
  return html`<section>
    <${PageHeader} title="名单条目"
      >${canList && html`<a class="button primary" href="#/office/listings/new">列入名单</a>`}<//
    >
    <form class="filters" onSubmit=${submit} role="search" aria-label="筛选名单条目">
      <label
        >状态
        <select value=${filter.status} onChange=${(e) => setFilter({ ...filter, status: e.target.value })}>
          <option value="">全部</option>
          ${Object.entries(LISTING_STATUS).map(([k, v]) => html`<option value=${k}>${v}</option>`)}
        </select></label
      >
      <label
        >类别
        <select value=${filter.category} onChange=${(e) => setFilter({ ...filter, category: e.target.value })}>
          <option value="">全部</option>
          ${(vocab.data?.categories ?? []).map(
            (c) => html`<option value=${c.code}>${LIST_KIND[c.listKind]}·${c.label}</option>`,
          )}
        </select></label
      >
      ${
        !county &&
        html`<label
          >注册地
          <select value=${filter.region} onChange=${(e) => setFilter({ ...filter, region: e.target.value })}>
            <option value="">全部</option>
            ${(orgs.data?.nodes ?? [])
              .filter((n) => n.level !== 'city')
              .map((n) => html`<option value=${n.id}>${n.name}</option>`)}
          </select></label
        >`
      }
      <label
        >主体代码
        <input
          value=${filter.subjectId}
          onInput=${(e) => setFilter({ ...filter, subjectId: e.target.value })}
          placeholder="统一社会信用代码或身份证号"
          size="24"
      /></label>
      <button type="submit">查询</button>
    </form>
    <${ErrorBox} error=${error} />
    ${
      !data
        ? html`<${Loading} error=${error} />`
        : data.items.length === 0
          ? html`<${Empty}>没有符合条件的名单条目。<//>`
          : html` <table class="list">
                <caption>
                  共 ${total ?? '—'} 条${loading ? '（刷新中）' : ''}
                </caption>
                <thead>
                  <tr>
                    <th>主体</th>
                    <th>名单</th>
                    <th>类别</th>
                    <th>认定单位</th>
                    <th>状态</th>
                    <th>生效</th>
                    <th>有效期至</th>
                    <th>任务</th>
                  </tr>
                </thead>
                <tbody>
                  ${data.items.map(
                    (l) =>
                      html`<tr>
                        <td>
                          <a href=${`#/office/listings/${l.entryId}`}>${l.request.subject?.name ?? l.subjectId}</a
                          ><br /><code class="small">${l.subjectId}</code>
                        </td>
                        <td><${StatusBadge} status=${l.request.listKind} map=${LIST_KIND} /></td>
                        <td>
                          ${
                            vocab.data?.categories.find((c) => c.code === l.request.category)?.label ??
                            l.request.category
                          }
                        </td>
                        <td>${l.request.authority}</td>
                        <td>
                          <${StatusBadge}
                            status=${l.status}
                            map=${LISTING_STATUS}
                          />${l.closeReason ? html`<br /><small>${CLOSE_REASON[l.closeReason]}</small>` : ''}
                        </td>
                        <td>
                          ${
                            l.effectiveAt
                              ? fmtTime(l.effectiveAt)
                              : html`<small>告知期至 ${fmtDeadline(l.noticeEndsAt)}</small>`
                          }
                        </td>
                        <td>${fmtDate(l.request.validUntil)}</td>
                        <td>${l.taskCount}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
              <nav class="pager" aria-label="分页">
                <button
                  type="button"
                  disabled=${cursors.length === 1}
                  onClick=${() => setCursors(cursors.slice(0, -1))}
                >
                  上一页
                </button>
                <span>第 ${cursors.length} 页 / 共 ${Math.max(1, Math.ceil((total ?? 0) / PAGE))} 页</span>
                <button
                  type="button"
                  disabled=${!data.next}
                  onClick=${() => data.next && setCursors([...cursors, data.next])}
                >
                  下一页
                </button>
              </nav>`
    }
  </section>`;
}
