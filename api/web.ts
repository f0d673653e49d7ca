/**
 * The web pages (Simplified Chinese) for the office, departments, listing authorities and subjects.
 * Plain ES modules under web/ with Preact + htm and Chart.js served from node_modules: no build step,
 * nothing fetched from outside. One import map, allowed by its hash in the Content-Security-Policy.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import express, { Router } from 'express';
import helmet from 'helmet';
import { PROJECT_ROOT } from '../infra/paths';

const WEB_DIR = path.join(PROJECT_ROOT, 'web');
const modules = (pkg: string) => path.join(PROJECT_ROOT, 'node_modules', pkg);

/** Vendor files by the name the pages import them under. */
const VENDOR: Record<string, string> = {
  'preact.mjs': path.join(modules('preact'), 'dist', 'preact.mjs'),
  'hooks.mjs': path.join(modules('preact'), 'hooks', 'dist', 'hooks.mjs'),
  'htm.mjs': path.join(modules('htm'), 'dist', 'htm.mjs'),
  'chart.umd.js': path.join(modules('chart.js'), 'dist', 'chart.umd.min.js'),
};

const IMPORT_MAP = JSON.stringify({
  imports: { preact: '/vendor/preact.mjs', 'preact/hooks': '/vendor/hooks.mjs', htm: '/vendor/htm.mjs' },
});

const INDEX_HTML = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>信联 · 信用联合奖惩协同系统</title>
<link rel="stylesheet" href="/app/style.css">
<script type="importmap">${IMPORT_MAP}</script>
<script src="/vendor/chart.umd.js" defer></script>
<script type="module" src="/app/main.js"></script>
</head>
<body>
<a class="skip-link" href="#main">跳到主要内容</a>
<div id="root"><p class="loading">正在加载…</p></div>
<noscript>本系统需要启用 JavaScript。</noscript>
</body>
</html>`;

const importMapHash = `'sha256-${createHash('sha256').update(IMPORT_MAP).digest('base64')}'`;

export function webRoutes(): Router {
  const router = Router();
  const headers = helmet({
    contentSecurityPolicy: {
      directives: {
        'script-src': ["'self'", importMapHash],
        'connect-src': ["'self'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'style-src': ["'self'"],
        'font-src': ["'self'"],
        // intranets often serve plain HTTP: upgrading would send every request to an https that is not there
        'upgrade-insecure-requests': null,
      },
    },
  });
  router.use(['/app', '/vendor'], headers);
  router.use('/app', express.static(WEB_DIR, { index: false, fallthrough: false }));
  router.get('/vendor/:file', (req, res, next) => {
    const file = VENDOR[req.params.file];
    if (!file) return next();
    res.sendFile(file, { maxAge: '1d' });
  });
  router.get(['/', '/index.html'], headers, (_req, res) => void res.type('html').send(INDEX_HTML));
  return router;
}
