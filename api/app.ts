/** The Express application: JSON API under /api/v1, OpenAPI at /openapi.json, docs page at /docs. */
import '../domain/locale';
import { randomUUID } from 'node:crypto';
import express from 'express';
import helmet from 'helmet';
import { rateLimit } from 'express-rate-limit';
import { tokenRateLimit } from './rate-limit';
import type { Client } from '@temporalio/client';
import swaggerUiDist from 'swagger-ui-dist';
import type { Catalogue } from '../measures/catalogue';
import type { TokenService } from './auth';
import { errorHandler, HttpError } from './errors';
import { buildOpenApi } from './openapi';
import { mountRoutes, type AnyRoute } from './route';
import { catalogueRoutes } from './routes/catalogue';
import { departmentRoutes } from './routes/departments';
import { officeRoutes } from './routes/office';
import { ListingService } from './services/listing-service';
import { CheckService } from './services/check-service';
import { checkRoutes } from './routes/checks';
import { supervisionRoutes } from './routes/supervision';
import { caseRoutes } from './routes/cases';
import { publicRoutes } from './routes/public';
import { auditRoutes } from './routes/audit';
import { importRoutes } from './routes/imports';
import { ImportService } from './services/import-service';
import { CaseService } from './services/case-service';
import { dashboardRoutes } from './routes/dashboard';
import { sessionRoutes, type DevAccount } from './routes/session';
import { webRoutes } from './web';
import type { CheckLog } from '../db/check-log';
import type { LiveTaskIndex } from '../db/live-task-index';

export const API_PREFIX = '/api/v1';

export interface AppDeps {
  client: Client;
  taskQueue: string;
  catalogue: Catalogue;
  tokens: TokenService;
  checkLog: CheckLog;
  /** Optional in-memory index for the check path; without it every check reads MongoDB. */
  liveIndex?: LiveTaskIndex;
  /** Requests per minute per token (default 6000). */
  rateLimitPerMinute?: number;
  /** Ready-made accounts for the development sign-in; absent in production (no /auth/dev-* routes). */
  devAccounts?: DevAccount[];
}

export function createApp(deps: AppDeps): express.Express {
  const svc = new ListingService(deps.client, deps.taskQueue);
  const checks = new CheckService(deps.catalogue, deps.checkLog, deps.liveIndex);
  const routes: AnyRoute[] = [...officeRoutes(svc), ...departmentRoutes(svc), ...checkRoutes(checks), ...supervisionRoutes(), ...caseRoutes(new CaseService(deps.client, deps.taskQueue)), ...catalogueRoutes(deps.catalogue), ...publicRoutes(), ...auditRoutes(), ...importRoutes(new ImportService(deps.client, deps.taskQueue)), ...dashboardRoutes(), ...sessionRoutes(deps.catalogue, deps.tokens, deps.devAccounts)];
  const openapi = buildOpenApi(routes, API_PREFIX, {
    title: '信联 Xinlian API',
    version: '0.1.0',
    description: '信用联合奖惩协同系统：名单列入、部门任务签收与反馈、移出与措施解除。',
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false); // API answers are not cached by clients; hashing every body costs the hot path
  // JSON answers: the headers that matter for an API, set at once (OWASP REST security cheat sheet)
  app.use((_req, res, next) => {
    res.set(API_HEADERS);
    next();
  });
  app.set('query parser', 'simple');
  app.use((req, res, next) => {
    const given = req.get('x-request-id');
    req.requestId = given && /^[A-Za-z0-9._-]{1,100}$/.test(given) ? given : randomUUID();
    res.set('x-request-id', req.requestId);
    next();
  });
  app.use(express.json({ limit: '1mb' }));
  app.get('/healthz', (_req, res) => void res.json({ ok: true }));
  app.get('/openapi.json', (_req, res) => void res.json(openapi));
  // the HTML docs page gets helmet's full set; it loads its own script and styles only
  const pageHeaders = helmet({ contentSecurityPolicy: { directives: { 'script-src': ["'self'", "'unsafe-inline'"] } } });
  app.use('/docs/assets', pageHeaders, express.static(swaggerUiDist.getAbsoluteFSPath(), { index: false }));
  app.get('/docs', pageHeaders, (_req, res) => void res.type('html').send(DOCS_PAGE));
  app.use(`${API_PREFIX}/public`, rateLimit({ windowMs: 60_000, limit: 60, standardHeaders: 'draft-8', legacyHeaders: false, handler: tooMany }));
  // per token where there is one (a department system behind one address), else per address
  app.use(API_PREFIX, tokenRateLimit(deps.rateLimitPerMinute ?? 6000, tooMany));
  app.use(API_PREFIX, mountRoutes(routes, deps.tokens.authenticate()));
  app.use(webRoutes());
  app.use((req, _res, next) => next(new HttpError(404, 'not_found', `没有这个接口：${req.method} ${req.path}`)));
  app.use(errorHandler);
  return app;
}

const API_HEADERS = {
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

const tooMany = (_req: express.Request, res: express.Response) =>
  void res.status(429).json({ error: { code: 'rate_limited', message: '请求过于频繁，请稍后再试' } });

const DOCS_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>信联 API 文档</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui' });</script></body></html>`;

