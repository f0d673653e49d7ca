// 批量导入: upload a list file (CSV or XLSX), follow the import workflow's progress, read refused rows.
import { useRef, useState } from 'preact/hooks';
import { api, download } from '../lib/api.js';
import {
  Empty,
  ErrorBox,
  fmtTime,
  html,
  Loading,
  Notice,
  PageHeader,
  useAction,
  useAsync,
  useInterval,
} from '../lib/ui.js';
import { More, usePaged } from '../lib/paged.js';

const IMPORT_STATUS = { running: '导入中', completed: '已完成', failed: '失败' };
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** The upload limits (domain/spreadsheet.ts MAX_FILE_MIB; the API answers 413 over them). */
const SIZE_LIMITS = 'CSV 不超过 64 MiB，XLSX 不超过 20 MiB';

export function Imports({ session }) {
  const list = usePaged(() => '/office/imports');
  const running = list.data?.some((i) => i.status === 'running');
  useInterval(list.reload, 2000, !!running);
  return html`<section>
    <${PageHeader} title="批量导入名单" />
    ${session.role === 'office' && html`<${Upload} />`}
    <div class="card">
      <h2>导入记录</h2>
      <${ErrorBox} error=${list.error} />
      ${
        !list.data
          ? html`<${Loading} error=${list.error} />`
          : list.data.length === 0
            ? html`<${Empty}>还没有导入记录。<//>`
            : html` <table>
                <thead>
                  <tr>
                    <th>文件</th>
                    <th>提交时间</th>
                    <th>提交人</th>
                    <th>状态</th>
                    <th>进度</th>
                    <th>新列入 / 已存在 / 拒绝</th>
                  </tr>
                </thead>
                <tbody>
                  ${list.data.map(
                    (i) =>
                      html`<tr>
                        <td><a href=${`#/office/imports/${i.importId}`}>${i.filename}</a></td>
                        <td>${fmtTime(i.createdAt)}</td>
                        <td>${i.by}</td>
                        <td><span class=${`badge ${i.status}`}>${IMPORT_STATUS[i.status] ?? i.status}</span></td>
                        <td><${Progress} done=${i.processed} total=${i.valid} /></td>
                        <td>${i.created} / ${i.existing} / ${i.refused}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
      }
      <${More} list=${list} />
    </div>
  </section>`;
}

function Upload() {
  const input = useRef(null);
  const [file, setFile] = useState(/** @type {File | null} */ (null));
  const action = useAction();
  const submit = (e) => {
    e.preventDefault();
    if (!file) return;
    const type = /\.xlsx$/i.test(file.name) ? XLSX : 'text/csv';
    action.run(async () => {
      const r = await api.upload(`/office/imports?filename=${encodeURIComponent(file.name)}`, file, type);
      location.hash = `#/office/imports/${r.importId}`;
    });
  };
  const template = (ext) => () =>
    download(`/office/imports/template.${ext}`, `名单导入模板.${ext}`).catch((err) => alert(err.message));
  return html`<form class="card" onSubmit=${submit}>
    <h2>上传名单文件</h2>
    <p class="hint">
      支持 CSV（UTF-8 或 GBK 编码）和 Excel（.xlsx）文件，第一行为列名，最多10万行（${SIZE_LIMITS}）。
      每行校验后启动一条名单流程；有误的行被拒绝并注明行号和原因，不影响其他行。
      <button type="button" class="link" onClick=${template('csv')}>下载 CSV 模板</button> ·
      <button type="button" class="link" onClick=${template('xlsx')}>下载 Excel 模板</button>
    </p>
    <${ErrorBox} error=${action.error} />
    <div class="field">
      <label for="import-file">名单文件</label>
      <input
        id="import-file"
        ref=${input}
        type="file"
        accept=".csv,.xlsx,text/csv,${XLSX}"
        onChange=${(e) => setFile(e.target.files[0] ?? null)}
      />
    </div>
    <button type="submit" class="primary" disabled=${!file || action.busy}>
      ${action.busy ? '正在上传并校验…' : '开始导入'}
    </button>
  </form>`;
}

/**
 * The summary of a finished import.
 * @param {{ processed: number, created: number, existing: number, refused: number, finishedAt: string }} i
 */
const doneText = (i) =>
  `导入完成：${i.processed} 行已启动名单流程（新列入 ${i.created}，已存在 ${i.existing}），` +
  `拒绝 ${i.refused} 行。完成于 ${fmtTime(i.finishedAt)}。`;

export function ImportDetail({ importId }) {
  const imp = useAsync(() => api.get(`/office/imports/${importId}`), [importId]);
  useInterval(imp.reload, 1000, imp.data?.status === 'running');
  const i = imp.data;
  if (!i)
    return html`<section>
      <${PageHeader} title="导入进度" /><${ErrorBox} error=${imp.error} /><${Loading} error=${imp.error} />
    </section>`;
  return html`<section>
    <${PageHeader} title=${`导入：${i.filename}`}><a class="button" href="#/office/imports">返回导入记录</a><//>
    <div class="card">
      <div class="stats">
        <div class="stat">
          <div class="stat-value">${i.total}</div>
          <div class="stat-label">数据行</div>
        </div>
        <div class="stat">
          <div class="stat-value">${i.valid}</div>
          <div class="stat-label">校验通过</div>
        </div>
        <div class="stat ${i.refused ? 'warn' : ''}">
          <div class="stat-value">${i.refused}</div>
          <div class="stat-label">拒绝</div>
        </div>
        <div class="stat">
          <div class="stat-value">${i.created}</div>
          <div class="stat-label">新列入</div>
        </div>
        <div class="stat">
          <div class="stat-value">${i.existing}</div>
          <div class="stat-label">已存在（未重复列入）</div>
        </div>
      </div>
      <h2 id="progress-label">进度：${IMPORT_STATUS[i.status] ?? i.status}</h2>
      <${Progress} done=${i.processed} total=${i.valid} big labelledBy="progress-label" />
      ${i.status === 'completed' && html`<${Notice}>${doneText(i)}<//>`}
      ${i.status === 'failed' && html`<${Notice} tone="error">导入失败：${i.error ?? '未知原因'}<//>`}
    </div>
    ${
      i.refused > 0 &&
      html`<div class="card">
        <h2>被拒绝的行（${i.refused}）</h2>
        <p>
          <button
            type="button"
            onClick=${() =>
              download(`/office/imports/${importId}/refused.csv`, `拒绝行_${i.filename}.csv`).catch((e) =>
                alert(e.message),
              )}
          >
            下载全部拒绝行（CSV）
          </button>
          ${i.refusedRowsTruncated ? html` <span class="hint">下表仅显示前 ${i.refusedRows.length} 行</span>` : ''}
        </p>
        <table>
          <thead>
            <tr>
              <th>行号</th>
              <th>字段</th>
              <th>原因</th>
            </tr>
          </thead>
          <tbody>
            ${i.refusedRows.map(
              (r) =>
                html`<tr>
                  <td>${r.line}</td>
                  <td>${r.field ?? '—'}</td>
                  <td>${r.reason}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`
    }
  </section>`;
}

function Progress({ done, total, big, labelledBy }) {
  const pctv = total ? Math.round((done / total) * 100) : 100;
  return html`<div class=${`progress${big ? ' big' : ''}`}>
    <progress max=${total || 1} value=${total ? done : 1} aria-labelledby=${labelledBy}></progress>
    <span>${done} / ${total}（${pctv}%）</span>
  </div>`;
}
