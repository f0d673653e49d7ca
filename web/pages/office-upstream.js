// 上级平台批次 (office, auditor): the batches the provincial credit platform pushed or Xinlian pulled, newest
// first, with their outcome per row; one batch's receipt, its refused rows, and whether the receipt of a
// pulled batch reached the upstream (a receipt never taken is 发送失败: the office must follow it up).
import { api } from '../lib/api.js';
import { More, usePaged } from '../lib/paged.js';
import {
  Empty,
  ErrorBox,
  fmtTime,
  html,
  Loading,
  Notice,
  PageHeader,
  Stat,
  todayCst,
  useAction,
  useAsync,
  useForm,
  useInterval,
} from '../lib/ui.js';

const MODE = { push: '推送', pull: '拉取' };
/** Badge tones (style.css) of a batch's status and of its receipt's delivery. */
const STATUS_TONE = { applying: 'running', applied: 'completed', refused: 'refused' };
const DELIVERY_TONE = { pending: 'pending', sent: 'ok', failed: 'failed' };
const RECEIPT_STATUS = {
  applied: '全部处理',
  partly_applied: '部分记录拒收',
  refused: '整批拒收',
  duplicate: '重复送达（未重复处理）',
};
/** The receipt's counts in the order the office reads them (docs/upstream-exchange.md, "What an entry does"). */
const COUNTS = [
  ['created', '新列入'],
  ['corrected', '更正'],
  ['removed', '移出'],
  ['unchanged', '未变'],
  ['stale', '过期版本'],
  ['refused', '拒收'],
];

// one string: a line break inside the template would show as a space between the Chinese sentences
const INTRO =
  '省信用信息共享平台推送或本系统按计划拉取的名单批次。每条记录按上级平台的记录编号和版本处理：新记录列入，' +
  '版本更高的更正或移出，不合格的记录拒收并在回执中注明原因。拉取的批次由本系统把回执发回上级平台。';

const failedDelivery = (/** @type {any} */ b) => b.receiptDelivery?.status === 'failed';

export function UpstreamBatches({ session }) {
  const list = usePaged(() => '/office/upstream/batches');
  const applying = list.data?.some((b) => b.status === 'applying');
  useInterval(list.reload, 2000, !!applying);
  const failed = list.data?.filter(failedDelivery).length ?? 0;
  return html`<section>
    <${PageHeader} title="上级平台批次" />
    <p class="hint">${INTRO}</p>
    ${
      failed > 0 &&
      html`<div class="alert error" role="alert">
        <strong>已显示的批次中有 ${failed} 个批次的回执未能送达上级平台（发送失败）。</strong>
        上级平台可能不知道这些批次的处理结果，请与省平台核实。
      </div>`
    }
    <div class="card">
      <${ErrorBox} error=${list.error} />
      ${
        !list.data
          ? html`<${Loading} what="批次" error=${list.error} />`
          : list.data.length === 0
            ? html`<${Empty}>还没有收到上级平台的批次。<//>`
            : html`<table>
                <caption>
                  收到的批次${list.total === undefined ? '' : `（共 ${list.total} 批）`}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">批次编号</th>
                    <th scope="col">来源平台</th>
                    <th scope="col">方式</th>
                    <th scope="col">收到时间</th>
                    <th scope="col">条数</th>
                    <th scope="col">状态</th>
                    <th scope="col">${COUNTS.map(([, label]) => label).join(' / ')}</th>
                    <th scope="col">回执回传</th>
                  </tr>
                </thead>
                <tbody>
                  ${list.data.map(
                    (/** @type {any} */ b) =>
                      html`<tr class=${failedDelivery(b) ? 'row-danger' : ''}>
                        <td><a href=${`#/office/upstream/${encodeURIComponent(b.batchId)}`}>${b.batchId}</a></td>
                        <td>${b.sender}</td>
                        <td>${MODE[b.mode] ?? b.mode}</td>
                        <td>${fmtTime(b.receivedAt)}</td>
                        <td>${b.rows}</td>
                        <td>
                          <${BatchStatus} b=${b} />
                          ${b.refusal && html`<div class="hint">${b.refusal}</div>`}
                        </td>
                        <td>${b.receipt ? COUNTS.map(([k]) => b.receipt.counts[k]).join(' / ') : '—'}</td>
                        <td><${Delivery} b=${b} /></td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
      }
      <${More} list=${list} />
    </div>
    <${FeedbackBatches} session=${session} />
  </section>`;
}

const FEEDBACK_TONE = { pending: 'pending', sent: 'ok', failed: 'failed' };

/**
 * Feedback sent up (执行反馈与核查记录, for the entries that came from upstream): one batch per period, the
 * quarter before sent on its own at the start of each quarter; the office may send a period now.
 */
function FeedbackBatches({ session }) {
  const list = usePaged(() => '/office/upstream/feedback-batches');
  const sending = list.data?.some((b) => b.status === 'pending');
  useInterval(list.reload, 3000, !!sending);
  const today = todayCst();
  const [v, set] = useForm({ from: `${today.slice(0, 7)}-01`, to: today });
  const send = useAction();
  return html`<div class="card">
    <h2>向上级平台报送的反馈</h2>
    <p class="hint">
      来自上级平台的名单条目，各部门的执行反馈和逢办必查核查记录按期间报送省平台；每季度初自动报送上一季度，被拒收或平台不可用时自动重试。
    </p>
    ${
      session?.role === 'office' &&
      html`<form
        class="filters"
        aria-label="报送反馈"
        onSubmit=${(/** @type {Event} */ e) => {
          e.preventDefault();
          void send.run(
            async () => {
              const r = await api.post('/office/upstream/feedback-batches', { from: v.from, to: v.to });
              list.reload();
              return r;
            },
            (/** @type {any} */ r) => `已提交报送：${r.batchId}（${r.statusLabel}）`,
          );
        }}
      >
        <label>起始日 <input type="date" required value=${v.from} onInput=${set('from')} /></label>
        <label>截止日 <input type="date" required value=${v.to} max=${today} onInput=${set('to')} /></label>
        <button type="submit" class="button primary" disabled=${send.busy}>报送该期间</button>
        <${ErrorBox} error=${send.error} />
        ${send.done && html`<${Notice}>${send.done}<//>`}
      </form>`
    }
    <${ErrorBox} error=${list.error} />
    ${
      !list.data
        ? html`<${Loading} what="反馈批次" error=${list.error} />`
        : list.data.length === 0
          ? html`<${Empty}>还没有报送过反馈。<//>`
          : html`<table>
              <caption>
                反馈批次${list.total === undefined ? '' : `（共 ${list.total} 批）`}
              </caption>
              <thead>
                <tr>
                  <th scope="col">批次编号</th>
                  <th scope="col">期间</th>
                  <th scope="col">状态</th>
                  <th scope="col">报送次数</th>
                  <th scope="col">执行反馈 / 核查记录</th>
                  <th scope="col">最近拒收理由或错误</th>
                  <th scope="col">报送时间</th>
                </tr>
              </thead>
              <tbody>
                ${list.data.map(
                  (/** @type {any} */ b) =>
                    html`<tr class=${b.status === 'failed' ? 'row-danger' : ''}>
                      <td>${b.batchId}</td>
                      <td>${b.period.from} 至 ${b.period.to}</td>
                      <td><span class=${`badge ${FEEDBACK_TONE[b.status] ?? b.status}`}>${b.statusLabel}</span></td>
                      <td>${b.attempts}</td>
                      <td>${b.status === 'sent' ? `${b.feedback} / ${b.checks}` : '—'}</td>
                      <td class="reason">${b.lastRefusal ?? b.lastError ?? '—'}</td>
                      <td>${fmtTime(b.sentAt)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
    }
    <${More} list=${list} />
  </div>`;
}

/** One batch: its facts, the receipt's counts, the refused rows and the receipt's delivery. */
export function UpstreamBatchDetail({ batchId }) {
  const batch = useAsync(() => api.get(`/exchange/upstream/batches/${encodeURIComponent(batchId)}`), [batchId]);
  useInterval(batch.reload, 1000, batch.data?.status === 'applying');
  const b = batch.data;
  const back = html`<a class="button" href="#/office/upstream">返回批次列表</a>`;
  if (!b)
    return html`<section>
      <${PageHeader} title=${`批次 ${batchId}`}>${back}<//>
      <${ErrorBox} error=${batch.error} />
      <${Loading} what="批次" error=${batch.error} />
    </section>`;
  const refused = b.receipt?.refused ?? [];
  return html`<section>
    <${PageHeader} title=${`批次 ${b.batchId}`}>${back}<//>
    <${ErrorBox} error=${batch.error} />
    <div class="card">
      <dl class="facts">
        <dt>来源平台</dt>
        <dd>${b.sender}</dd>
        <dt>方式</dt>
        <dd>${MODE[b.mode] ?? b.mode}</dd>
        <dt>发送时间</dt>
        <dd>${fmtTime(b.sentAt)}</dd>
        <dt>收到时间</dt>
        <dd>${fmtTime(b.receivedAt)}</dd>
        <dt>条数</dt>
        <dd>${b.rows}</dd>
        <dt>状态</dt>
        <dd><${BatchStatus} b=${b} /></dd>
        ${
          b.appliedAt &&
          html`<dt>处理完毕</dt>
            <dd>${fmtTime(b.appliedAt)}</dd>`
        }
        ${
          b.receipt &&
          html`<dt>回执</dt>
            <dd>${RECEIPT_STATUS[b.receipt.status] ?? b.receipt.status}</dd>`
        }
      </dl>
      ${b.status === 'applying' && html`<${Notice} tone="warn">正在逐条处理，处理完毕后给出回执。<//>`}
      ${b.refusal && html`<${Notice} tone="error">整批拒收：${b.refusal}<//>`}
      ${
        b.receipt &&
        html`<div class="stats">
          ${COUNTS.map(
            ([k, label]) =>
              html`<${Stat}
                label=${label}
                value=${b.receipt.counts[k]}
                tone=${k === 'refused' && b.receipt.counts[k] > 0 ? 'warn' : ''}
              />`,
          )}
        </div>`
      }
    </div>
    ${b.receiptDelivery && html`<${DeliveryCard} d=${b.receiptDelivery} />`}
    ${
      refused.length > 0 &&
      html`<div class="card">
        <table>
          <caption>
            拒收的记录（${refused.length}）
          </caption>
          <thead>
            <tr>
              <th scope="col">行号</th>
              <th scope="col">记录编号</th>
              <th scope="col">原因</th>
            </tr>
          </thead>
          <tbody>
            ${refused.map(
              (/** @type {{ index: number, upstreamRecordId?: string, reason: string }} */ r) =>
                html`<tr>
                  <td>${r.index < 0 ? '整批' : r.index + 1}</td>
                  <td>${r.upstreamRecordId ?? '—'}</td>
                  <td class="reason">${r.reason}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`
    }
  </section>`;
}

function BatchStatus({ b }) {
  return html`<span class=${`badge ${STATUS_TONE[b.status] ?? b.status}`}>${b.statusLabel}</span>`;
}

/** The receipt's way back: sent up for a pulled batch; a pushed batch's receipt is read by the pusher. */
function Delivery({ b }) {
  const d = b.receiptDelivery;
  if (!d) return html`<span class="hint">${b.mode === 'push' ? '推送方查询' : '—'}</span>`;
  return html`<span class=${`badge ${DELIVERY_TONE[d.status] ?? d.status}`}>${d.statusLabel}</span>
    ${d.attempts > 0 && html` <span class="hint">${d.attempts} 次</span>`}
    ${d.status === 'failed' && d.lastError && html`<div class="field-error">${d.lastError}</div>`}`;
}

function DeliveryCard({ d }) {
  return html`<div class="card">
    <h2>回执回传上级平台</h2>
    ${
      d.status === 'failed' &&
      html`<${Notice} tone="error">
        回执发送失败：多次重试后上级平台仍未接收本批次的回执，可能不知道处理结果，请与省平台核实。
      <//>`
    }
    <dl class="facts">
      <dt>状态</dt>
      <dd><span class=${`badge ${DELIVERY_TONE[d.status] ?? d.status}`}>${d.statusLabel}</span></dd>
      <dt>发送次数</dt>
      <dd>${d.attempts}</dd>
      ${
        d.sentAt &&
        html`<dt>送达时间</dt>
          <dd>${fmtTime(d.sentAt)}</dd>`
      }
      ${
        d.lastError &&
        html`<dt>最近一次错误</dt>
          <dd>${d.lastError}</dd>`
      }
    </dl>
  </div>`;
}
