// 措施清单 (department): the department's list editions, drafting one (add, change, retire measures, or
// import a measures file), submitting it for review, and the office's comments per measure.
import { useState } from 'preact/hooks';
import { api, download, getVocabulary } from '../lib/api.js';
import { Empty, ErrorBox, Field, fmtTime, html, Loading, Notice, PageHeader, useAction, useAsync } from '../lib/ui.js';
import { EditionBadge, MeasureTable } from './edition-parts.js';

/** @typedef {import('./edition-parts.js').Edition} Edition */
/** @typedef {import('./edition-parts.js').Measure} Measure */

/** @param {{ session: { departmentName?: string } }} props */
export function DeptEditions({ session }) {
  const list = useAsync(() => api.get('/departments/me/editions'));
  const create = useAction();
  const [cmp, setCmp] = useState({ from: '', to: '' });
  /** @type {Array<Edition & { measureCount?: number }> | undefined} */
  const rows = list.data;
  return html`<section>
    <${PageHeader} title="措施清单">
      <button
        type="button"
        class="button primary"
        disabled=${create.busy}
        onClick=${() =>
          void create.run(async () => {
            const e = await api.post('/departments/me/editions');
            location.hash = `/dept/editions/${e.number}`;
            return e;
          })}
      >
        起草新版本
      </button>
    <//>
    <p>
      ${session.departmentName ?? '本部门'}的奖惩措施清单：每一版都保留。起草新版本时复制现行版本，可新增、修改、退出措施，
      提交信用办审核；信用办审核通过后发布并确定生效日期。
    </p>
    <${ErrorBox} error=${create.error ?? list.error} />
    ${
      !rows
        ? html`<${Loading} what="清单版本" error=${list.error} />`
        : rows.length === 0
          ? html`<${Empty}>还没有清单版本。<//>`
          : html`<table>
              <caption>
                本部门的清单版本
              </caption>
              <thead>
                <tr>
                  <th scope="col">版本</th>
                  <th scope="col">名称</th>
                  <th scope="col">状态</th>
                  <th scope="col">措施数</th>
                  <th scope="col">生效日期</th>
                  <th scope="col">更新时间</th>
                </tr>
              </thead>
              <tbody>
                ${rows.map(
                  (e) =>
                    html`<tr>
                      <td><a href=${`#/dept/editions/${e.number}`}>第 ${e.number} 版</a></td>
                      <td>${e.label}</td>
                      <td><${EditionBadge} edition=${e} /></td>
                      <td>${e.measureCount ?? '—'}</td>
                      <td>${e.effectiveFrom ?? '—'}</td>
                      <td>${fmtTime(e.updatedAt)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
    }
    ${
      rows &&
      rows.length > 1 &&
      html`<form
        class="card"
        aria-label="版本对比"
        onSubmit=${(/** @type {Event} */ ev) => {
          ev.preventDefault();
          location.hash = `/editions/me/diff/${cmp.from}/${cmp.to}`;
        }}
      >
        <h2>对比两个版本</h2>
        <${Field} label="从">
          ${(/** @type {object} */ p) =>
            html`<select
              ...${p}
              value=${cmp.from}
              onChange=${(/** @type {any} */ ev) => setCmp({ ...cmp, from: ev.target.value })}
            >
              <option value="">请选择</option>
              ${rows.map((e) => html`<option value=${e.number}>第 ${e.number} 版</option>`)}
            </select>`}
        <//>
        <${Field} label="到">
          ${(/** @type {object} */ p) =>
            html`<select
              ...${p}
              value=${cmp.to}
              onChange=${(/** @type {any} */ ev) => setCmp({ ...cmp, to: ev.target.value })}
            >
              <option value="">请选择</option>
              ${rows.map((e) => html`<option value=${e.number}>第 ${e.number} 版</option>`)}
            </select>`}
        <//>
        <button type="submit" class="button" disabled=${!cmp.from || !cmp.to}>对比</button>
      </form>`
    }
  </section>`;
}

const EMPTY_MEASURE = () => ({
  slug: '',
  kind: 'sanction',
  title: '',
  mandatory: true,
  categories: /** @type {string[]} */ ([]),
  severities: ['serious'],
  subjectTypes: ['enterprise'],
  areas: /** @type {string[]} */ ([]),
  matters: '',
  document: '',
  article: '',
});

/**
 * One edition: read-only once submitted; a draft or a returned edition is edited here.
 * @param {{ number: string }} props
 */
export function DeptEdition({ number }) {
  const ed = useAsync(() => api.get(`/departments/me/editions/${number}`), [number]);
  /** @type {Edition | undefined} */
  const e = ed.data;
  return html`<section>
    <${PageHeader} title=${`措施清单第 ${number} 版`}>
      <a class="button" href="#/dept/editions">返回版本列表</a>
    <//>
    <${ErrorBox} error=${ed.error} />
    ${!e ? html`<${Loading} what="清单版本" error=${ed.error} />` : html`<${EditionBody} e=${e} reload=${ed.reload} />`}
  </section>`;
}

/** @param {{ e: Edition, reload: () => void }} props */
function EditionBody({ e, reload }) {
  const editable = e.status === 'draft' || e.status === 'returned';
  const [measures, setMeasures] = useState(/** @type {Measure[]} */ (e.measures));
  const [label, setLabel] = useState(e.label);
  const [editing, setEditing] = useState(/** @type {string | null} */ (null));
  const save = useAction();
  const submit = useAction();
  const lastReview = e.reviews[e.reviews.length - 1];
  const file = () => ({ department: { id: e.departmentId, name: e.departmentName }, edition: label, measures });
  return html`
    <p>
      <${EditionBadge} edition=${e} /> ${e.label} · ${e.measures.length} 项措施
      ${e.basedOn ? ` · 以第 ${e.basedOn} 版为基础` : ''} ${e.effectiveFrom ? ` · 自 ${e.effectiveFrom} 起施行` : ''}
    </p>
    ${
      lastReview &&
      html`<${Notice} tone=${lastReview.decision === 'approve' ? 'ok' : 'warn'}>
        信用办${lastReview.by.name}于 ${fmtTime(lastReview.at)}
        ${lastReview.decision === 'approve' ? '审核通过' : '退回修改'}${lastReview.note ? `：${lastReview.note}` : ''}
      <//>`
    }
    <${MeasureTable}
      caption=${editable ? '本版本的措施（修改后请保存草稿）' : '本版本的措施'}
      measures=${measures}
      comments=${lastReview?.comments ?? []}
      actions=${
        editable
          ? (/** @type {Measure} */ m) =>
              html`<button type="button" class="button small" onClick=${() => setEditing(m.id)}>修改</button>
                <button
                  type="button"
                  class="button small danger"
                  aria-label=${`退出措施 ${m.id}`}
                  onClick=${() => setMeasures(measures.filter((x) => x.id !== m.id))}
                >
                  退出
                </button>`
          : undefined
      }
    />
    ${
      editable &&
      html`
        <${MeasureForm}
          key=${editing ?? 'new'}
          departmentId=${e.departmentId}
          measure=${measures.find((m) => m.id === editing)}
          onDone=${(/** @type {Measure | undefined} */ m) => {
            if (m) {
              const i = measures.findIndex((x) => x.id === (editing ?? m.id));
              setMeasures(i >= 0 ? measures.map((x, j) => (j === i ? m : x)) : [...measures, m]);
            }
            setEditing(null);
          }}
        />
        <div class="card">
          <h2>保存与提交</h2>
          <${Field} label="版本名称" required>
            ${(/** @type {object} */ p) =>
              html`<input ...${p} value=${label} onInput=${(/** @type {any} */ ev) => setLabel(ev.target.value)} />`}
          <//>
          <${Field} label="导入措施清单文件（JSON，格式同 measures/data）" hint="导入后替换上表，保存草稿后生效">
            ${(/** @type {object} */ p) =>
              html`<input
                ...${p}
                type="file"
                accept="application/json,.json"
                onChange=${async (/** @type {any} */ ev) => {
                  const f = ev.target.files?.[0];
                  if (!f) return;
                  try {
                    const parsed = JSON.parse(await f.text());
                    setMeasures(parsed.measures ?? []);
                    if (parsed.edition) setLabel(parsed.edition);
                  } catch {
                    void save.run(async () => {
                      throw new Error('文件不是合法的 JSON');
                    });
                  }
                }}
              />`}
          <//>
          <${ErrorBox} error=${save.error ?? submit.error} />
          <button
            type="button"
            class="button"
            disabled=${save.busy}
            onClick=${() =>
              void save.run(async () => {
                const r = await api.put(`/departments/me/editions/${e.number}`, file());
                reload();
                return r;
              }, '草稿已保存')}
          >
            保存草稿
          </button>
          <button
            type="button"
            class="button primary"
            disabled=${submit.busy}
            onClick=${() =>
              void submit.run(async () => {
                await api.put(`/departments/me/editions/${e.number}`, file());
                const r = await api.post(`/departments/me/editions/${e.number}/submission`);
                reload();
                return r;
              }, '已提交信用办审核')}
          >
            提交审核
          </button>
        </div>
      `
    }
    ${(save.done || submit.done) && html`<${Notice}>${submit.done ?? save.done}<//>`}
    <p>
      <button
        type="button"
        class="button"
        onClick=${() =>
          void download(`/departments/me/editions/${e.number}/export`, `${e.departmentId}-第${e.number}版.json`)}
      >
        导出为 JSON 文件
      </button>
      ${e.number > 1 && html` <a class="button" href=${`#/editions/me/diff/${e.number - 1}/${e.number}`}>与上一版对比</a>`}
    </p>
  `;
}

/**
 * Adds a measure, or changes one (`measure`); `onDone(m)` with the measure, or undefined when cancelled.
 * @param {{ departmentId: string, measure?: Measure, onDone: (m?: Measure) => void }} props
 */
function MeasureForm({ departmentId, measure, onDone }) {
  const vocab = useAsync(() => getVocabulary());
  const [v, setV] = useState(() =>
    measure
      ? {
          slug: measure.id.slice(departmentId.length + 1),
          kind: measure.kind,
          title: measure.title,
          mandatory: measure.mandatory,
          categories: measure.categories,
          severities: measure.severities,
          subjectTypes: measure.subjectTypes,
          areas: measure.areas,
          matters: (measure.matters ?? []).join('，'),
          document: measure.legalBasis[0]?.document ?? '',
          article: measure.legalBasis[0]?.article ?? '',
        }
      : EMPTY_MEASURE(),
  );
  /** @param {string} k */
  const set = (k) => (/** @type {any} */ ev) => setV({ ...v, [k]: ev.target.value });
  /** @param {'categories' | 'severities' | 'subjectTypes' | 'areas'} k @param {string} code */
  const toggle = (k, code) =>
    setV({ ...v, [k]: v[k].includes(code) ? v[k].filter((c) => c !== code) : [...v[k], code] });
  const d = vocab.data;
  /**
   * @param {'categories' | 'severities' | 'subjectTypes' | 'areas'} k
   * @param {Array<{code: string, label: string}>} opts
   */
  const boxes = (k, opts) =>
    html`${opts.map(
      (o) =>
        html`<label class="check"
          ><input type="checkbox" checked=${v[k].includes(o.code)} onChange=${() => toggle(k, o.code)} />
          ${o.label}</label
        >`,
    )}`;
  return html`<form
    class="card"
    aria-label=${measure ? '修改措施' : '新增措施'}
    onSubmit=${(/** @type {Event} */ ev) => {
      ev.preventDefault();
      const rest = measure ?? {};
      onDone({
        ...rest,
        id: `${departmentId}.${v.slug}`,
        kind: /** @type {'incentive' | 'sanction'} */ (v.kind),
        title: v.title,
        mandatory: v.mandatory,
        categories: v.categories,
        severities: v.severities,
        subjectTypes: v.subjectTypes,
        areas: v.areas,
        matters: v.matters
          .split(/[,，\s]+/)
          .map((s) => s.trim())
          .filter(Boolean),
        legalBasis: v.document ? [{ document: v.document, ...(v.article ? { article: v.article } : {}) }] : [],
      });
    }}
  >
    <h2>${measure ? `修改措施 ${measure.id}` : '新增措施'}</h2>
    <${Field} label=${`措施编号（${departmentId}.之后的部分）`} required hint="小写字母、数字和连字符">
      ${(/** @type {object} */ p) => html`<input ...${p} value=${v.slug} onInput=${set('slug')} />`}
    <//>
    <${Field} label="措施内容" required>
      ${(/** @type {object} */ p) => html`<input ...${p} value=${v.title} onInput=${set('title')} />`}
    <//>
    <${Field} label="类型" required>
      ${(/** @type {object} */ p) =>
        html`<select ...${p} value=${v.kind} onChange=${set('kind')}>
          <option value="sanction">惩戒</option>
          <option value="incentive">激励</option>
        </select>`}
    <//>
    <label class="check"
      ><input
        type="checkbox"
        checked=${v.mandatory}
        onChange=${(/** @type {any} */ ev) => setV({ ...v, mandatory: ev.target.checked })}
      />
      强制性措施</label
    >
    ${
      d &&
      html`<fieldset>
          <legend>名单类别</legend>
          ${boxes(
            'categories',
            d.categories.filter(
              (/** @type {{listKind: string}} */ c) => c.listKind === (v.kind === 'incentive' ? 'red' : 'black'),
            ),
          )}
        </fieldset>
        <fieldset>
          <legend>失信程度</legend>
          ${boxes('severities', d.severities)}
        </fieldset>
        <fieldset>
          <legend>主体类型</legend>
          ${boxes('subjectTypes', d.subjectTypes)}
        </fieldset>
        <fieldset>
          <legend>应用领域</legend>
          ${boxes('areas', d.areas)}
        </fieldset>`
    }
    <${Field} label="细分事项（可选，逗号分隔）" hint="如 government_procurement.bid_award">
      ${(/** @type {object} */ p) => html`<input ...${p} value=${v.matters} onInput=${set('matters')} />`}
    <//>
    <${Field} label="法律依据（文件名称）" required>
      ${(/** @type {object} */ p) => html`<input ...${p} value=${v.document} onInput=${set('document')} />`}
    <//>
    <${Field} label="条款">
      ${(/** @type {object} */ p) => html`<input ...${p} value=${v.article} onInput=${set('article')} />`}
    <//>
    <button type="submit" class="button primary">${measure ? '确定修改' : '加入本版本'}</button>
    ${measure && html` <button type="button" class="button" onClick=${() => onDone()}>取消</button>`}
  </form>`;
}
