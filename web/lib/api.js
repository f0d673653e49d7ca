// The JSON API under /api/v1 with the signed-in user's token (kept for this browser tab only).
const TOKEN_KEY = 'xinlian.token';

export const auth = {
  get token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  set(token) {
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  clear() {
    sessionStorage.removeItem(TOKEN_KEY);
  },
};

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `请求失败（HTTP ${status}）`);
    this.status = status;
    this.code = body?.error?.code;
    this.details = body?.error?.details ?? [];
  }
  /** Messages by field path without the "body." prefix, for showing next to form fields. */
  fieldErrors() {
    const out = {};
    for (const d of this.details) {
      const key = String(d.field ?? '').replace(/^body\./, '');
      if (!(key in out)) out[key] = d.message;
    }
    return out;
  }
}

/** @type {Set<() => void>} */
const listeners = new Set();
/** Called when the server says the token is no longer valid. */
export const onSignedOut = (/** @type {() => void} */ fn) => listeners.add(fn);

/**
 * @typedef {object} RequestOptions
 * @property {unknown} [body] a JSON body
 * @property {BodyInit} [raw] a file body sent as it is
 * @property {string} [contentType] the media type of `raw`
 */

/**
 * One call of the API. Answers are `any`: the server checks every answer against its strict schema.
 * @param {string} method
 * @param {string} path under /api/v1
 * @param {RequestOptions} [options]
 * @returns {Promise<any>}
 */
async function request(method, path, { body, raw, contentType } = {}) {
  /** @type {Record<string, string>} */
  const headers = {};
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (raw !== undefined) headers['content-type'] = contentType ?? 'application/octet-stream';
  else if (body !== undefined) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers,
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
  } catch {
    throw new ApiError(0, { error: { message: '无法连接服务器，请检查网络或稍后再试' } });
  }
  const text = await res.text();
  /** @type {any} */
  let data = text;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON (e.g. CSV) */
  }
  if (res.status === 401 && path !== '/auth/dev-login') {
    auth.clear();
    listeners.forEach((fn) => fn());
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

export const api = {
  get: (/** @type {string} */ path) => request('GET', path),
  post: (/** @type {string} */ path, /** @type {unknown} */ body = undefined) =>
    request('POST', path, { body: body ?? {} }),
  put: (/** @type {string} */ path, /** @type {unknown} */ body = undefined) =>
    request('PUT', path, { body: body ?? {} }),
  upload: (/** @type {string} */ path, /** @type {BodyInit} */ file, /** @type {string} */ contentType) =>
    request('POST', path, { raw: file, contentType }),
};

/** Downloads a file the API answers (CSV exports) with the token, as the browser would save it. */
export async function download(path, filename) {
  const res = await fetch(`/api/v1${path}`, { headers: { authorization: `Bearer ${auth.token}` } });
  if (!res.ok) {
    let body;
    try {
      body = await res.json();
    } catch {
      /* ignore */
    }
    throw new ApiError(res.status, body);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Builds a query string from the defined values of an object. */
export function qs(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

let vocabulary;
/** The vocabularies (list kinds, categories, areas, departments): static per server, fetched once per page load. */
export function getVocabulary() {
  vocabulary ??= api.get('/vocabulary').catch((e) => {
    vocabulary = undefined; // a failed fetch is tried again next time
    throw e;
  });
  return vocabulary;
}
