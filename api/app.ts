/** The Express application: JSON API under /api/v1, OpenAPI at /openapi.json, docs page at /docs. */
import '../domain/locale';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
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
import { mountRoutes, routeHandlers, type AnyRoute } from './route';
import { installExactRoutes } from './exact-routes';
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
import { creditRecordImportRoutes } from './routes/credit-record-imports';
import { ImportService } from './services/import-service';
import { CaseService } from './services/case-service';
import { dashboardRoutes } from './routes/dashboard';
import { calendarRoutes } from './routes/calendar';
import { periodRoutes } from './routes/periods';
import { PeriodService } from './services/period-service';
import { CalendarService } from './services/calendar-service';
import { sessionRoutes, type DevAccount } from './routes/session';
import { webRoutes } from './web';
import type { CheckLog } from '../db/check-log';
import { creditRecordRoutes } from './routes/credit-records';
import { reportRoutes } from './routes/reports';
import { CreditRecordService } from './services/credit-record-service';
import { CreditFileService } from './services/credit-file-service';
import { ReportService, type ReportServiceOptions } from './services/report-service';
import { verifyPage } from './verify-page';
import { authorisationRoutes } from './routes/authorisations';
import { editionRoutes } from './routes/editions';
import { EditionService } from './services/edition-service';
import { ListsInForceService } from './services/lists-in-force-service';
import { AuthorisationService } from './services/authorisation-service';
import { noticeRoutes } from './routes/notices';
import { NoticeService } from './services/notice-service';
import type { LiveTaskIndex } from '../db/live-task-index';
import { withRequestId } from '../infra/observability/request-context';
import type { Logger } from '../infra/observability/logger';
import type { Readiness } from '../infra/observability/readiness';
import { ApiMetrics } from './metrics';
import { healthRoutes } from './health';
import { agencyRoutes } from './routes/agencies';
import { AgencyService } from './services/agency-service';
import { agencyPage } from './agency-page';
import { accessLog } from './access-log';
import { organisationRoutes } from './routes/organisations';
import { supervisionLevelRoutes } from './routes/supervision-levels';
import { OrganisationService } from './services/organisation-service';
import { exchangeRoutes } from './routes/exchange';
import { UpstreamService } from './services/upstream-service';
import { FieldMapping } from '../domain/upstream-exchange';

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
  /** Issuer printed on credit reports and the public base URL of their verification page. */
  reports?: Partial<ReportServiceOptions>;
  /** /readyz checks (without: always ready); /metrics is served when `metrics` is given. */
  readiness?: Readiness;
  metrics?: ApiMetrics;
  /** One JSON line per request (without: no access log). */
  logger?: Logger;
  /** The provincial interface's field names (docs/upstream-exchange.md); without: the canonical ones. */
  upstreamMapping?: FieldMapping;
}

/** The report options from the deps, else from XINLIAN_REPORT_ISSUER / XINLIAN_PUBLIC_URL. */
function reportOptions(given: Partial<ReportServiceOptions> = {}): ReportServiceOptions {
  return {
    issuer: given.issuer ?? process.env.XINLIAN_REPORT_ISSUER ?? '沧州市社会信用体系建设领导小组办公室',
    publicBaseUrl: (
      given.publicBaseUrl ??
      process.env.XINLIAN_PUBLIC_URL ??
      `http://127.0.0.1:${process.env.PORT ?? 3000}`
    ).replace(/\/+$/, ''),
  };
}

export function createApp(deps: AppDeps): express.Express {
  const notices = new NoticeService(deps.catalogue, reportOptions(deps.reports).issuer);
  const svc = new ListingService(deps.client, deps.taskQueue, notices.issuer);
  const metrics = deps.metrics;
  const checks = new CheckService(
    deps.catalogue,
    deps.checkLog,
    deps.liveIndex,
    metrics && ((source, results, seconds) => metrics.observeCheck(source, results, seconds)),
  );
  const creditFiles = new CreditFileService(() => deps.checkLog.flush());
  const reports = new ReportService(creditFiles, reportOptions(deps.reports));
  // one service for both kinds of file: the files read at once are counted per process
  const imports = new ImportService(deps.client, deps.taskQueue);
  const agencies = new AgencyService(creditFiles);
  const orgs = new OrganisationService(() => new Set(deps.catalogue.departments.map((d) => d.id)));
  const routes: AnyRoute[] = [
    ...officeRoutes(svc),
    ...departmentRoutes(svc),
    ...checkRoutes(checks),
    ...supervisionRoutes(),
    ...caseRoutes(new CaseService(deps.client, deps.taskQueue)),
    ...catalogueRoutes(new ListsInForceService(deps.catalogue)),
    ...publicRoutes(),
    ...auditRoutes(),
    ...importRoutes(imports),
    ...creditRecordImportRoutes(imports, deps.catalogue),
    ...dashboardRoutes(),
    ...calendarRoutes(new CalendarService(deps.client, deps.taskQueue)),
    ...periodRoutes(new PeriodService()),
    ...sessionRoutes(deps.catalogue, deps.tokens, deps.devAccounts, orgs),
    ...creditRecordRoutes(new CreditRecordService(), creditFiles, deps.catalogue),
    ...reportRoutes(reports, creditFiles),
    ...authorisationRoutes(new AuthorisationService(), reports),
    ...noticeRoutes(notices),
    ...organisationRoutes(orgs),
    ...supervisionLevelRoutes(),
    ...editionRoutes(new EditionService(deps.client, deps.taskQueue)),
    ...agencyRoutes(agencies, deps.catalogue),
    ...exchangeRoutes(new UpstreamService(deps.client, deps.taskQueue, deps.upstreamMapping ?? FieldMapping.parse({}))),
  ];
  const openapi = buildOpenApi(routes, API_PREFIX, {
    title: '信联 Xinlian API',
    version: '0.1.0',
    description:
      '信用联合奖惩协同系统：名单列入、部门任务签收与反馈、移出与措施解除。' +
      '400：请求不符合本文档（类型、格式、长度、取值）；422：请求符合本文档，但违反文档无法表达的规则' +
      '（如日期先后、校验位、与已有数据不符）；路径存在而方法未声明时答 405，并在 Allow 头列出可用方法。',
  });

  const app = express();
  bornWithExpressPrototypes(app);
  app.disable('x-powered-by');
  app.set('etag', false); // API answers are not cached by clients; hashing every body costs the hot path
  app.set('query parser', 'simple');
  // JSON answers: the headers that matter for an API, set at once (OWASP REST security cheat sheet);
  // and the request id. One middleware, plain setHeader: this runs on every request.
  const headersAndRequestId: express.RequestHandler = (req, res, next) => {
    for (const [name, value] of API_HEADER_LIST) res.setHeader(name, value);
    const given = req.headers['x-request-id'];
    req.requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', req.requestId);
    // the id is current for everything the request does: log lines, Temporal calls (their headers)
    withRequestId(req.requestId, next);
  };
  const jsonBody = express.json({ limit: '1mb' });
  // per token where there is one (a department system behind one address), else per address
  const apiLimit = tokenRateLimit(deps.rateLimitPerMinute ?? 6000, tooMany);
  const authenticate = deps.tokens.authenticate();
  const handlers = new Map(routes.map((r) => [r, routeHandlers(r, authenticate)]));
  const notFound: express.RequestHandler = (req, _res, next) =>
    next(new HttpError(404, 'not_found', `没有这个接口：${req.method} ${req.path}`));

  // The check, exactly addressed, goes straight to what Express would run for it (api/exact-routes.ts):
  // `beforeApi` (what every request passes before the API: both paths take it from here), the API
  // limit, the route's own handlers. Public routes (their own limit) are never shortcut.
  const hot = routes.filter((r) => HOT.has(`${r.method} ${r.path}`) && !r.roles.includes('public'));
  const hotPaths = hot.map((r) => API_PREFIX + r.path);
  const beforeApi: express.RequestHandler[] = [
    ...(metrics ? [metrics.middleware(API_PREFIX, hotPaths)] : []),
    ...(deps.logger ? [accessLog(deps.logger, hotPaths)] : []),
    headersAndRequestId,
    jsonBody,
  ];
  installExactRoutes(
    app,
    hot.map((r) => ({
      method: r.method,
      path: API_PREFIX + r.path,
      chain: [...beforeApi, apiLimit, ...handlers.get(r)!],
    })),
    errorHandler,
    notFound,
  );
  app.use(beforeApi);
  app.use(healthRoutes(deps.readiness, metrics));
  app.get('/openapi.json', (_req, res) => void res.json(openapi));
  // the HTML docs page gets helmet's full set; it loads its own script and styles only
  const pageHeaders = helmet({
    contentSecurityPolicy: { directives: { 'script-src': ["'self'", "'unsafe-inline'"] } },
  });
  app.use('/docs/assets', pageHeaders, express.static(swaggerUiDist.getAbsoluteFSPath(), { index: false }));
  app.get('/docs', pageHeaders, (_req, res) => void res.type('html').send(DOCS_PAGE));
  app.use(
    `${API_PREFIX}/public`,
    rateLimit({ windowMs: 60_000, limit: 60, standardHeaders: 'draft-8', legacyHeaders: false, handler: tooMany }),
  );
  app.use(API_PREFIX, apiLimit);
  app.use(
    API_PREFIX,
    mountRoutes(routes, authenticate, (r) => handlers.get(r)!),
  );
  app.use(verifyPage(reports));
  app.use(agencyPage(agencies));
  app.use(webRoutes());
  app.use(notFound);
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

/**
 * Express gives every request and response its prototypes afterwards (Object.setPrototypeOf in
 * app.handle). V8 copes badly with a prototype change on these fresh objects: objects of every request
 * then survive young-generation collections and are promoted. Measured with --trace-gc-nvp under
 * autocannon: a bare Express 5 app answering {ok:true} made 6.6k req/s with 4–6 ms scavenges that
 * each promoted 3–5 MB; with requests and responses created with Express's prototypes it made
 * 12–18k req/s with scavenges under 1 ms promoting nothing. On the check path the same survival drove
 * a scavenge of 3–6 ms about twenty times a second and a mark-compact every few seconds — the tail of
 * the check's latency. So the app's server constructs requests and responses with Express's
 * prototypes from the start (http.createServer's IncomingMessage and ServerResponse options); Express's
 * own setPrototypeOf then finds the prototype already in place and changes nothing. `app.listen`
 * is Express's own, but for those two options.
 */
function bornWithExpressPrototypes(app: express.Express): void {
  type Ctor = (this: unknown, ...args: unknown[]) => void;
  function Request(this: unknown, socket: unknown) {
    (http.IncomingMessage as unknown as Ctor).call(this, socket);
  }
  Request.prototype = app.request;
  function Response(this: unknown, req: unknown, options: unknown) {
    (http.ServerResponse as unknown as Ctor).call(this, req, options);
  }
  Response.prototype = app.response;
  const options = {
    IncomingMessage: Request as unknown as typeof http.IncomingMessage,
    ServerResponse: Response as unknown as typeof http.ServerResponse,
  };
  // as Express's app.listen: the callback also hears a listen error, once
  app.listen = function listen(this: express.Express, ...args: unknown[]) {
    const server = http.createServer(options, this);
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const callback = args[last] as (...a: unknown[]) => void;
      let called = false;
      const done = (...a: unknown[]) => {
        if (called) return;
        called = true;
        callback(...a);
      };
      args[last] = done;
      server.once('error', done);
    }
    return server.listen(...(args as Parameters<typeof server.listen>));
  } as express.Express['listen'];
}

/** Endpoints taken past Express's router when addressed exactly (method and path under API_PREFIX). */
const HOT = new Set(['post /departments/me/checks', 'post /departments/me/checks/batch']);

const API_HEADER_LIST = Object.entries(API_HEADERS);
const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

const tooMany = (_req: express.Request, res: express.Response) =>
  void res.status(429).json({ error: { code: 'rate_limited', message: '请求过于频繁，请稍后再试' } });

const DOCS_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>信联 API 文档</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui' });</script></body></html>`;
