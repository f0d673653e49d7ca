// 组织机构: the city, its counties and zones with their credit offices and departments; the city office
// changes a node (name, credit office, departments) with the version it read, the server checking the tree.
import { useState } from 'preact/hooks';
import { api, getVocabulary } from '../lib/api.js';
import { ErrorBox, Field, html, Loading, Notice, PageHeader, useAction, useAsync } from '../lib/ui.js';

/**
 * @typedef {{ id: string, name: string, measuresList: string }} OrgDepartment
 * @typedef {{ id: string, name: string, level: string, levelLabel: string, parentId: string | null,
 *   creditOffice: { name: string }, departments: OrgDepartment[], version: number }} OrgNode
 */

export function Organisations({ session }) {
  const tree = useAsync(() => api.get('/organisations'));
  const [editing, setEditing] = useState(/** @type {string | undefined} */ (undefined));
  /** @type {OrgNode[]} */
  const nodes = tree.data?.nodes ?? [];
  const node = nodes.find((n) => n.id === editing);
  return html`<section>
    <${PageHeader} title="组织机构" />
    <p>市本级、各县（市、区）和园区的信用办及其部门。县级部门的任务来自本地区主体的名单条目，适用所列措施清单。</p>
    <${ErrorBox} error=${tree.error} />
    ${
      !tree.data
        ? html`<${Loading} what="组织机构" error=${tree.error} />`
        : html`<table>
            <caption>
              组织机构（${nodes.length} 个）
            </caption>
            <thead>
              <tr>
                <th scope="col">名称</th>
                <th scope="col">层级</th>
                <th scope="col">信用办</th>
                <th scope="col">部门</th>
                ${session.role === 'office' && html`<th scope="col"><span class="sr-only">操作</span></th>`}
              </tr>
            </thead>
            <tbody>
              ${nodes.map(
                (n) =>
                  html`<tr>
                    <th scope="row">${n.name}</th>
                    <td>${n.levelLabel}</td>
                    <td>${n.creditOffice.name}</td>
                    <td>${n.departments.map((d) => d.name).join('、') || '—'}</td>
                    ${
                      session.role === 'office' &&
                      html`<td>
                        <button type="button" onClick=${() => setEditing(n.id)} aria-label=${`修改${n.name}`}>
                          修改
                        </button>
                      </td>`
                    }
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    ${
      node &&
      html`<${EditNode}
        key=${node.id}
        node=${node}
        onSaved=${() => {
          tree.reload();
        }}
      />`
    }
  </section>`;
}

/** @param {{ node: OrgNode, onSaved: () => void }} props */
function EditNode({ node, onSaved }) {
  const vocab = useAsync(getVocabulary);
  const [name, setName] = useState(node.name);
  const [office, setOffice] = useState(node.creditOffice.name);
  const [departments, setDepartments] = useState(node.departments.map((d) => ({ ...d })));
  const save = useAction();
  /** @param {string} f */
  const errorAt = (f) => save.error?.details?.find((/** @type {{ field: string }} */ d) => d.field === f)?.message;
  /** @param {number} i @param {keyof OrgDepartment} k @param {string} value */
  const change = (i, k, value) => setDepartments(departments.map((d, j) => (j === i ? { ...d, [k]: value } : d)));
  const lists = vocab.data?.departments ?? [];
  return html`<form
    class="card"
    aria-label=${`修改${node.name}`}
    onSubmit=${(/** @type {Event} */ e) => {
      e.preventDefault();
      void save.run(
        async () => {
          const r = await api.put(`/office/organisations/${node.id}`, {
            name,
            level: node.level,
            parentId: node.parentId,
            creditOffice: { name: office },
            departments,
            version: node.version,
          });
          onSaved();
          return r;
        },
        (r) => `已保存：${r.name}（第 ${r.version} 版）`,
      );
    }}
  >
    <h2>修改${node.name}</h2>
    <${Field} label="名称" required error=${errorAt('body.name')}>
      ${(/** @type {object} */ p) =>
        html`<input ...${p} value=${name} onInput=${(/** @type {any} */ e) => setName(e.target.value)} />`}
    <//>
    <${Field} label="信用办名称" required error=${errorAt('body.creditOffice.name')}>
      ${(/** @type {object} */ p) =>
        html`<input ...${p} value=${office} onInput=${(/** @type {any} */ e) => setOffice(e.target.value)} />`}
    <//>
    <fieldset>
      <legend>部门</legend>
      ${departments.map(
        (d, i) =>
          html`<div class="row">
            <${Field} label=${`部门 ${i + 1} 编号`} required error=${errorAt(`body.departments[${i}].id`)}>
              ${(/** @type {object} */ p) =>
                html`<input
                  ...${p}
                  value=${d.id}
                  onInput=${(/** @type {any} */ e) => change(i, 'id', e.target.value)}
                />`}
            <//>
            <${Field} label=${`部门 ${i + 1} 名称`} required error=${errorAt(`body.departments[${i}].name`)}>
              ${(/** @type {object} */ p) =>
                html`<input
                  ...${p}
                  value=${d.name}
                  onInput=${(/** @type {any} */ e) => change(i, 'name', e.target.value)}
                />`}
            <//>
            <${Field}
              label=${`部门 ${i + 1} 措施清单`}
              required
              error=${errorAt(`body.departments[${i}].measuresList`)}
            >
              ${(/** @type {object} */ p) =>
                html`<select
                  ...${p}
                  value=${d.measuresList}
                  onChange=${(/** @type {any} */ e) => change(i, 'measuresList', e.target.value)}
                >
                  ${lists.map(
                    (/** @type {{ code: string, label: string }} */ o) =>
                      html`<option value=${o.code}>${o.label}（${o.code}）</option>`,
                  )}
                </select>`}
            <//>
            <button
              type="button"
              onClick=${() => setDepartments(departments.filter((_, j) => j !== i))}
              aria-label=${`删除部门 ${i + 1}`}
            >
              删除
            </button>
          </div>`,
      )}
      <button
        type="button"
        onClick=${() =>
          setDepartments([...departments, { id: `${node.id}-`, name: '', measuresList: lists[0]?.code ?? '' }])}
      >
        添加部门
      </button>
    </fieldset>
    ${errorAt('body.departments') && html`<p class="field-error" role="alert">${errorAt('body.departments')}</p>`}
    <${ErrorBox} error=${save.error} />
    <button type="submit" class="button primary" disabled=${save.busy}>保存</button>
    ${save.done && html`<${Notice}>${save.done}<//>`}
  </form>`;
}
