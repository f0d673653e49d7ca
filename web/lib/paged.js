// Paged lists (the API's { items, next, total } answers): the first page, then "加载更多" for the next.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api.js';
import { html } from './ui.js';

/** The API's largest page (domain/pagination.ts). */
const MAX_LIMIT = 200;

/**
 * @template T
 * @typedef {object} PagedState
 * @property {T[] | undefined} data every item loaded so far, in the list's order
 * @property {number} [total] the list's total, when the API gives one
 * @property {boolean} hasMore whether a next page exists
 * @property {boolean} loading
 * @property {any} error the last failure, usually an ApiError
 * @property {() => void} more loads the next page and appends it
 * @property {() => void} reload loads the first page again (as many items as are shown)
 */

/**
 * Loads a paged list: `path` with its filters (and perhaps a query string), without paging.
 * @template T
 * @param {() => string} pathFn
 * @param {unknown[]} [deps]
 * @param {number} [pageSize]
 * @returns {PagedState<T>}
 */
export function usePaged(pathFn, deps = [], pageSize = 20) {
  /** @typedef {{ data: T[] | undefined, total?: number, next: string | null, loading: boolean, error: any }} Loaded */
  const [state, setState] = useState(
    /** @type {Loaded} */ ({
      data: undefined,
      total: undefined,
      next: null,
      loading: true,
      error: undefined,
    }),
  );
  const seq = useRef(0);
  const shown = useRef(0);
  const key = useRef(/** @type {string | undefined} */ (undefined));
  /** @param {string} path @param {number} limit @param {string | null} cursor */
  const url = (path, limit, cursor) =>
    `${path}${path.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;

  const reload = useCallback(() => {
    const n = ++seq.current;
    const depsKey = JSON.stringify(deps);
    const sameDeps = key.current === depsKey;
    key.current = depsKey;
    if (!sameDeps) shown.current = 0;
    const limit = Math.min(MAX_LIMIT, Math.max(pageSize, shown.current));
    setState((s) => ({ ...s, data: sameDeps ? s.data : undefined, loading: true }));
    api.get(url(pathFn(), limit, null)).then(
      (page) => {
        if (n !== seq.current) return;
        shown.current = page.items.length;
        setState({ data: page.items, total: page.total, next: page.next, loading: false, error: undefined });
      },
      (error) => n === seq.current && setState((s) => ({ ...s, loading: false, error })),
    );
  }, deps);
  useEffect(reload, [reload]);

  const more = () => {
    if (!state.next) return;
    const n = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    api.get(url(pathFn(), pageSize, state.next)).then(
      (page) => {
        if (n !== seq.current) return;
        setState((s) => {
          const data = [...(s.data ?? []), ...page.items];
          shown.current = data.length;
          return { ...s, data, next: page.next, loading: false, error: undefined };
        });
      },
      (error) => n === seq.current && setState((s) => ({ ...s, loading: false, error })),
    );
  };
  return { ...state, hasMore: state.next !== null, more, reload };
}

/**
 * The "加载更多" control under a paged list, with how many of how many are shown.
 * @param {{ list: PagedState<unknown> }} props
 */
export function More({ list }) {
  const n = list.data?.length ?? 0;
  if (!list.data || n === 0) return null;
  const count = list.total !== undefined ? `已显示 ${n} / ${list.total} 条` : `已显示 ${n} 条`;
  return html`<p class="more" aria-live="polite">
    ${count}
    ${
      list.hasMore &&
      html` <button type="button" onClick=${list.more} disabled=${list.loading}>
        ${list.loading ? '加载中…' : '加载更多'}
      </button>`
    }
  </p>`;
}
