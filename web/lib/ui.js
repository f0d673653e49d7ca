// Small shared pieces of the pages: markup helper, data loading, formatting, form fields, messages.
import { h } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import htm from 'htm';

export const html = htm.bind(h);

/**
 * @template T
 * @typedef {object} AsyncState
 * @property {boolean} loading
 * @property {T | undefined} data the last data loaded (kept while reloading)
 * @property {any} error the last failure, usually an ApiError
 * @property {() => void} reload
 */

/**
 * Loads data for a page; `reload` fetches again. Keeps the last data while reloading.
 * @template T
 * @param {() => Promise<T>} fn
 * @param {unknown[]} [deps]
 * @returns {AsyncState<T>}
 */
export function useAsync(fn, deps = []) {
  const [state, setState] = useState(
    /** @type {{ loading: boolean, data: T | undefined, error: any }} */ ({
      loading: true,
      data: undefined,
      error: undefined,
    }),
  );
  const seq = useRef(0);
  const key = useRef(/** @type {string | undefined} */ (undefined));
  const load = useCallback(() => {
    const n = ++seq.current;
    // new inputs (another period, filter, id): never show the previous inputs' data under them
    const depsKey = JSON.stringify(deps);
    const sameDeps = key.current === depsKey;
    key.current = depsKey;
    setState((s) => ({ ...s, data: sameDeps ? s.data : undefined, loading: true }));
    fn().then(
      (data) => n === seq.current && setState({ loading: false, data, error: undefined }),
      // a failed refresh keeps what was shown
      (error) => n === seq.current && setState((s) => ({ loading: false, data: s.data, error })),
    );
  }, deps);
  useEffect(load, [load]);
  return { ...state, reload: load };
}

/** Calls `fn` every `ms` while `active`. */
export function useInterval(fn, ms, active = true) {
  const saved = useRef(fn);
  saved.current = fn;
  useEffect(() => {
    if (!active) return undefined;
    const t = setInterval(() => saved.current(), ms);
    return () => clearInterval(t);
  }, [ms, active]);
}

const CST = 'Asia/Shanghai';
const dtf = new Intl.DateTimeFormat('zh-CN', {
  timeZone: CST,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});
const df = new Intl.DateTimeFormat('zh-CN', { timeZone: CST, year: 'numeric', month: '2-digit', day: '2-digit' });

/** An instant in China Standard Time: 2026/10/14 17:30. */
export const fmtTime = (iso) => (iso ? dtf.format(new Date(iso)) : '—');
/** A civil date (YYYY-MM-DD) or an instant, as a date. */
export const fmtDate = (v) =>
  !v ? '—' : /^\d{4}-\d{2}-\d{2}$/.test(v) ? v.replaceAll('-', '/') : df.format(new Date(v));
export const pct = (r) => (r === null || r === undefined ? '—' : `${(r * 100).toFixed(1)}%`);
/** Today in China Standard Time as YYYY-MM-DD. */
export const todayCst = () => new Intl.DateTimeFormat('sv-SE', { timeZone: CST }).format(new Date());

/** A deadline instant: one at 00:00 CST is the end of the day before, written as officials do ("…24:00"). */
export function fmtDeadline(iso) {
  if (!iso) return '—';
  const t = fmtTime(iso);
  if (!t.endsWith(' 00:00')) return t;
  return `${df.format(new Date(new Date(iso).getTime() - 1))} 24:00`;
}

/** A deadline with what is left of it, or that it has passed. */
export function Deadline({ at, done, label }) {
  if (!at) return html`<span>—</span>`;
  const ms = new Date(at).getTime() - Date.now();
  const days = Math.ceil(ms / 86_400_000);
  let badge;
  if (done) badge = null;
  else if (ms < 0) badge = html`<span class="badge danger">已逾期</span>`;
  else if (days <= 1) badge = html`<span class="badge warn">今明两天到期</span>`;
  else badge = html`<span class="badge muted">剩 ${days} 天</span>`;
  return html`<span class="deadline" title=${label ?? '期限'}>${fmtDeadline(at)} ${badge}</span>`;
}

export const LISTING_STATUS = { notice: '告知期', active: '生效中', closed: '已结束' };
export const CLOSE_REASON = { expired: '有效期届满', removed: '已移出', withdrawn_in_notice: '告知期内撤回' };
export const TASK_STATUS = { pending: '待签收', acknowledged: '已签收', lifted: '已解除' };
export const CASE_STATUS = {
  filing: '登记中',
  verifying: '核查中',
  submitted: '待受理',
  reviewing: '审核中',
  upheld: '异议成立',
  rejected: '不予支持',
  approved: '准予修复',
  not_accepted: '不予受理',
  refused: '未能登记',
};
export const CASE_KIND = { objection: '异议', repair: '信用修复' };
export const STAGE = { verify: '核查', accept: '受理', decide: '决定' };
export const LIST_KIND = { red: '红名单', black: '黑名单' };
export const SEVERITY = { minor: '轻微', general: '一般', serious: '严重' };
export const MEASURE_KIND = { incentive: '激励', sanction: '惩戒' };
export const EVENT_TYPE = {
  started: '流程启动',
  notice_served: '事前告知送达',
  effective: '生效',
  task_assigned: '任务分派',
  reminder_sent: '到期提醒',
  escalated: '逾期督办',
  feedback_overdue: '反馈逾期',
  acknowledged: '部门签收',
  feedback: '执行反馈',
  removal_requested: '申请移出',
  objection_filed: '提出异议',
  objection_decided: '异议处理完毕',
  corrected: '更正',
  calendar_replanned: '按新日历重新计算期限',
  measures_rematched: '按新清单版本重新匹配措施',
  lifted: '措施解除',
  closed: '结束',
};
export const CASE_EVENT = {
  filed: '提出异议',
  submitted: '提交修复申请',
  accepted: '受理',
  not_accepted: '不予受理',
  extended: '延长核查期限',
  reminder_sent: '到期提醒',
  escalated: '逾期督办',
  decided: '作出决定',
  closed: '办结',
  refused: '未能登记',
  listing_not_changed: '名单未变更',
  calendar_replanned: '按新日历重新计算期限',
};

/** A matter code as people read it: the area's label, then the finer code if any. */
export function matterLabel(vocab, matter) {
  const [area, ...rest] = String(matter).split('.');
  const label = vocab?.areas.find((a) => a.code === area)?.label ?? area;
  return rest.length ? `${label} · ${rest.join('.')}` : label;
}

export function StatusBadge({ status, map, tone }) {
  return html`<span class=${`badge ${tone ?? status}`}>${map[status] ?? status}</span>`;
}

/** An error from the API: its message, and each field's problem. */
export function ErrorBox({ error }) {
  if (!error) return null;
  const details = error.details ?? [];
  return html`<div class="alert error" role="alert">
    <strong>${error.message}</strong>
    ${
      details.length > 1 &&
      html`<ul>
        ${details.map((d) => html`<li>${d.field ? html`<code>${d.field}</code>：` : ''}${d.message}</li>`)}
      </ul>`
    }
  </div>`;
}

export function Notice({ children, tone = 'ok' }) {
  return html`<div class=${`alert ${tone}`} role="status" aria-live="polite">${children}</div>`;
}

let nextId = 0;
/** A labelled form field; `error` is shown under it and tied to it for screen readers. */
export function Field({ label, hint, error, required, children, id }) {
  const [auto] = useState(() => `f${++nextId}`);
  const fid = id ?? auto;
  const child =
    typeof children === 'function'
      ? children({
          id: fid,
          'aria-invalid': error ? 'true' : undefined,
          'aria-describedby': error ? `${fid}-err` : hint ? `${fid}-hint` : undefined,
        })
      : children;
  return html`<div class=${`field${error ? ' has-error' : ''}`}>
    <label for=${fid}>${label}${required && html`<span class="req" aria-hidden="true"> *</span>`}</label>
    ${child} ${hint && !error && html`<small id=${`${fid}-hint`} class="hint">${hint}</small>`}
    ${error && html`<small id=${`${fid}-err`} class="field-error">${error}</small>`}
  </div>`;
}

/** Shown while there is no data yet — and not at all once loading has failed (the error says why). */
export function Loading({ what = '数据', error }) {
  if (error) return null;
  return html`<p class="loading" role="status">正在加载${what}…</p>`;
}

export function Empty({ children }) {
  return html`<p class="empty">${children}</p>`;
}

export function PageHeader({ title, children }) {
  useEffect(() => {
    document.title = `${title} · 信联`;
  }, [title]);
  return html`<header class="page-header">
    <h1>${title}</h1>
    <div class="actions">${children}</div>
  </header>`;
}

/** A figure card for the dashboards. */
export function Stat({ label, value, tone }) {
  return html`<div class=${`stat ${tone ?? ''}`}>
    <div class="stat-value">${value}</div>
    <div class="stat-label">${label}</div>
  </div>`;
}

/** A Chart.js chart in a canvas, with a text alternative for screen readers. */
export function ChartBox({ type, data, options, label, height = 260 }) {
  const ref = useRef(null);
  useEffect(() => {
    const Chart = /** @type {any} */ (window).Chart; // Chart.js is loaded by a script tag
    if (!Chart || !ref.current) return undefined;
    const chart = new Chart(ref.current, {
      type,
      data,
      options: { responsive: true, maintainAspectRatio: false, animation: false, ...options },
    });
    return () => chart.destroy();
  }, [JSON.stringify(data)]);
  return html`<div class="chart" style=${{ height: `${height}px` }}>
    <canvas ref=${ref} role="img" aria-label=${label}></canvas>
  </div>`;
}

/** Form state with per-field setters: const [v, set] = useForm({...}); set('a.b')(event). */
export function useForm(initial) {
  const [values, setValues] = useState(initial);
  const set = (path) => (e) => {
    const value = e && e.target ? (e.target.type === 'checkbox' ? e.target.checked : e.target.value) : e;
    setValues((v) => setPath(v, path.split('.'), value));
  };
  return [values, set, setValues];
}

/**
 * @param {any} obj
 * @param {string[]} keys
 * @param {unknown} value
 * @returns {any}
 */
function setPath(obj, [k, ...rest], value) {
  const copy = Array.isArray(obj) ? [...obj] : { ...obj };
  copy[k] = rest.length ? setPath(obj?.[k] ?? {}, rest, value) : value;
  return copy;
}

/** Runs an async action for a button/form: busy flag, error, and a success message. */
export function useAction() {
  const [state, setState] = useState(
    /** @type {{ busy: boolean, error: any, done: string | undefined }} */ ({
      busy: false,
      error: undefined,
      done: undefined,
    }),
  );
  /**
   * @template R
   * @param {() => Promise<R>} fn
   * @param {string | ((r: R) => string)} [doneMessage]
   * @returns {Promise<R | undefined>}
   */
  const run = async (fn, doneMessage) => {
    setState({ busy: true, error: undefined, done: undefined });
    try {
      const r = await fn();
      setState({
        busy: false,
        error: undefined,
        done: typeof doneMessage === 'function' ? doneMessage(r) : doneMessage,
      });
      return r;
    } catch (error) {
      setState({ busy: false, error, done: undefined });
      return undefined;
    }
  };
  return { ...state, run, reset: () => setState({ busy: false, error: undefined, done: undefined }) };
}
