// Sign-in: a ready-made account on the embedded default, or a token from the identity platform.
import { useEffect, useState } from 'preact/hooks';
import { api, auth } from '../lib/api.js';
import { ErrorBox, Field, html, useAction } from '../lib/ui.js';

const ROLE_GROUP = {
  office: '信用办',
  county_office: '县级信用办',
  department: '部门',
  authority: '认定单位',
  subject: '信用主体',
  auditor: '审计',
  third_party: '第三方（授权查询）',
};

export function LoginPage({ onSignedIn }) {
  const [accounts, setAccounts] = useState(/** @type {any} */ (undefined));
  const [account, setAccount] = useState('office');
  const [token, setToken] = useState('');
  const action = useAction();
  useEffect(() => {
    document.title = '登录 · 信联';
    api.get('/auth/dev-accounts').then(setAccounts, () => setAccounts(null));
  }, []);

  const devLogin = (e) => {
    e.preventDefault();
    action.run(async () => {
      const r = await api.post('/auth/dev-login', { account });
      auth.set(r.token);
      onSignedIn(r.session);
    });
  };
  const tokenLogin = (e) => {
    e.preventDefault();
    action.run(async () => {
      auth.set(token.trim());
      try {
        onSignedIn(await api.get('/session'));
      } catch (err) {
        auth.clear();
        throw err;
      }
    });
  };
  const groups = accounts
    ? Object.entries(ROLE_GROUP).map(([role, label]) => [label, accounts.filter((a) => a.role === role)])
    : [];
  return html`<main id="main" class="login">
    <h1><span class="logo" aria-hidden="true">信</span> 信联 · 信用联合奖惩协同系统</h1>
    <p class="lead">信用办、各部门、认定单位与信用主体共用的办理平台。</p>
    <${ErrorBox} error=${action.error} />
    ${
      accounts &&
      html`<form class="card" onSubmit=${devLogin} aria-labelledby="dev-login-title">
        <h2 id="dev-login-title">开发账号登录</h2>
        <p class="hint">内置开发环境提供的演示账号；正式环境请使用统一身份认证平台签发的令牌。</p>
        <${Field} label="账号" id="account">
          <select id="account" value=${account} onChange=${(e) => setAccount(e.target.value)}>
            ${groups.map(
              ([label, list]) =>
                list.length > 0 &&
                html`<optgroup label=${label}>
                  ${list.map((a) => html`<option value=${a.id}>${a.name}</option>`)}
                </optgroup>`,
            )}
          </select>
        <//>
        <button type="submit" class="primary" disabled=${action.busy}>登录</button>
      </form>`
    }
    <form class="card" onSubmit=${tokenLogin} aria-labelledby="token-login-title">
      <h2 id="token-login-title">令牌登录</h2>
      <${Field} label="访问令牌" id="token" hint="由统一身份认证平台签发（JWT），仅保存在本浏览器标签页中">
        <textarea id="token" rows="3" value=${token} onInput=${(e) => setToken(e.target.value)} required></textarea>
      <//>
      <button type="submit" disabled=${action.busy || !token.trim()}>使用令牌登录</button>
    </form>
  </main>`;
}
