// Entry point: sign-in, the navigation of each role, and a hash router (#/path).
import { render } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, auth, onSignedOut } from './lib/api.js';
import { html, Loading } from './lib/ui.js';
import { LoginPage } from './pages/login.js';
import { ROUTES, NAV, HOME } from './routes.js';

const ROLE_LABEL = {
  office: '信用办',
  department: '部门',
  authority: '认定单位',
  subject: '信用主体',
  auditor: '审计',
  third_party: '第三方',
  county_office: '县级信用办',
};

/** The router's path from the hash; a hash that is not a path (e.g. "#main") or is malformed reads as "/". */
function readPath() {
  const h = location.hash.replace(/^#/, '');
  if (!h.startsWith('/')) return '/';
  try {
    return decodeURIComponent(h);
  } catch {
    return '/';
  }
}

function useHashPath() {
  const read = readPath;
  const [path, setPath] = useState(read());
  useEffect(() => {
    const on = () => setPath(read());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return path;
}

/** The first route whose pattern (with :params) matches the path, and its params. */
function match(routes, path) {
  for (const r of routes) {
    const names = [];
    const re = new RegExp(`^${r.path.replace(/:[a-zA-Z]+/g, (m) => (names.push(m.slice(1)), '([^/]+)'))}$`);
    const m = re.exec(path);
    if (m) return { route: r, params: Object.fromEntries(names.map((n, i) => [n, m[i + 1]])) };
  }
  return undefined;
}

/**
 * Whether a navigation entry is the page shown: an exact entry only for its own path (or the start page).
 * @param {{ path: string, exact?: boolean }} n
 * @param {string} path
 */
const isCurrent = (n, path) => (n.exact ? path === n.path || path === '/' : path.startsWith(n.path));

function App() {
  const [session, setSession] = useState(/** @type {any} */ (undefined));
  const [checking, setChecking] = useState(!!auth.token);
  const first = useRef(true);
  const path = useHashPath();

  useEffect(() => {
    onSignedOut(() => setSession(undefined));
    if (!auth.token) return;
    api
      .get('/session')
      .then(setSession, () => auth.clear())
      .finally(() => setChecking(false));
  }, []);

  // after a navigation, focus the page's main region so screen readers and keyboards start there;
  // a layout effect runs in the same task as the render, so nobody sees the new page with focus still on the link
  useLayoutEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('main')?.focus();
  }, [path]);

  if (checking) return html`<${Loading} what="登录状态" />`;
  if (!session)
    return html`<${LoginPage}
      onSignedIn=${(s) => {
        setSession(s);
        location.hash = HOME[s.role];
      }}
    />`;

  const routes = ROUTES.filter((r) => r.roles.includes(session.role));
  const found = match(routes, path === '/' ? HOME[session.role] : path);
  const nav = NAV.filter((n) => n.roles.includes(session.role));
  const signOut = () => {
    auth.clear();
    setSession(undefined);
    location.hash = '';
  };
  return html` <header class="topbar">
      <div class="brand"><span class="logo" aria-hidden="true">信</span> 信联 · 信用联合奖惩协同系统</div>
      <nav aria-label="主导航">
        <ul>
          ${nav.map(
            (n) =>
              html`<li>
                <a href=${`#${n.path}`} aria-current=${isCurrent(n, path) ? 'page' : undefined}>${n.label}</a>
              </li>`,
          )}
        </ul>
      </nav>
      <div class="who">
        <span class="role">${ROLE_LABEL[session.role]}</span> ${session.name}
        <button type="button" class="link" onClick=${signOut}>退出</button>
      </div>
    </header>
    <main id="main" tabindex="-1">
      ${
        found
          ? html`<${found.route.page} ...${found.params} session=${session} />`
          : html`<section>
              <h1>页面不存在</h1>
              <p>请从上方导航进入。</p>
            </section>`
      }
    </main>
    <footer class="footer">
      信联 Xinlian · 时间均为北京时间 · 期限按工作日计算（扣除法定节假日，计入调休上班日）
    </footer>`;
}

// the skip link moves focus to the main region instead of changing the route
document.addEventListener('click', (e) => {
  const link = e.target instanceof Element ? e.target.closest('a.skip-link') : null;
  if (!link) return;
  e.preventDefault();
  document.getElementById('main')?.focus();
});

const root = /** @type {HTMLElement} */ (document.getElementById('root'));
root.textContent = ''; // the static "loading" placeholder
render(html`<${App} />`, root);
