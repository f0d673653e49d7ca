/**
 * One definition per endpoint: method, path, who may call it, zod schemas of its input and output.
 * The same definition mounts the Express handler (validating at the edge) and feeds the OpenAPI
 * document, so the two cannot drift apart.
 */
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { match } from 'path-to-regexp';
import { z } from 'zod';
import type { RouteRole } from './auth';
import { requireRole } from './auth';
import { HttpError, validationError } from './errors';
import { appendAudit } from '../db/audit-log';

type Method = 'get' | 'post' | 'put' | 'delete';

export interface RouteDef<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType> {
  method: Method;
  /** Express path with :params */
  path: string;
  tag: string;
  summary: string;
  roles: RouteRole[];
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  /** Status of a successful answer (default 200). */
  status?: number;
  /** Other success statuses the handler may choose, with the same response (e.g. 200 where 201 creates). */
  alsoStatus?: number[];
  /** Other answers worth documenting. */
  errors?: number[];
  /** A raw (non-JSON) request body, e.g. an uploaded file: the accepted media types and the size limit
   * for this route alone. The handler gets it as `raw`; OpenAPI documents it as binary. */
  rawBody?: { types: string[]; maxBytes: number };
  /** The media type of a non-JSON answer (the handler returns a RawResponse); OpenAPI documents it. */
  produces?: string;
  /** Media types the route may answer instead of JSON (e.g. CSV when asked by `format=csv`). */
  alsoProduces?: string[];
  /** Returns the response body, or { status, body } to choose the status. Read-model documents are
   * loosely typed, so the response schema documents the shape rather than type-checking it. */
  handler: (input: {
    params: z.output<P>;
    query: z.output<Q>;
    body: z.output<B>;
    raw?: RawBody;
    req: Request;
  }) => Promise<unknown>;
  /** A state change: recorded in the hash-chained audit log with the state before and after. */
  audit?: {
    action: string;
    target: (input: { params: z.output<P>; body: z.output<B> }, result: unknown) => { kind: string; id: string };
    before?: (input: { params: z.output<P>; body: z.output<B>; req: Request }) => Promise<unknown>;
  };
}

/** A raw request body as received, with its declared media type. */
export interface RawBody {
  bytes: Buffer;
  contentType: string;
}

/** A non-JSON answer (e.g. a CSV export). */
export class RawResponse {
  constructor(
    readonly contentType: string,
    readonly body: string | Buffer,
    readonly filename?: string,
    /** Headers of this answer alone (e.g. the Content-Security-Policy of an HTML document). */
    readonly headers?: Record<string, string>,
  ) {}
}

/** Reads a raw body of the route's media types up to its limit; other types answer 415, larger bodies 413. */
function rawBodyParser(spec: NonNullable<AnyRoute['rawBody']>): RequestHandler {
  const read = express.raw({ type: spec.types, limit: spec.maxBytes });
  const size = spec.maxBytes % 2 ** 20 === 0 ? `${spec.maxBytes / 2 ** 20} MiB` : `${spec.maxBytes} 字节`;
  return (req, res, next) => {
    read(req, res, (err?: unknown) => {
      if ((err as { type?: string } | undefined)?.type === 'entity.too.large')
        return next(new HttpError(413, 'payload_too_large', `文件过大：不能超过 ${size}`));
      if (err) return next(err);
      if (!req.is(spec.types)) {
        return next(
          new HttpError(
            415,
            'unsupported_media_type',
            `不支持的内容类型“${req.get('content-type') ?? '（未提供）'}”，应为以下之一：${spec.types.join('、')}`,
          ),
        );
      }
      if (!Buffer.isBuffer(req.body)) req.body = Buffer.alloc(0); // declared type, no body
      next();
    });
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteDef<any, any, any, any>;

export function defineRoute<
  P extends z.ZodType = z.ZodObject,
  Q extends z.ZodType = z.ZodObject,
  B extends z.ZodType = z.ZodUndefined,
  R extends z.ZodType = z.ZodType,
>(def: RouteDef<P, Q, B, R>): RouteDef<P, Q, B, R> {
  return def;
}

function parse<S extends z.ZodType>(schema: S, data: unknown, where: string): z.output<S> {
  const r = schema.safeParse(data);
  if (!r.success) throw validationError(r.error, where);
  return r.data;
}

/**
 * What `res.status(status).json(body)` sends, written directly: Express's `send` would look up four
 * settings and three headers, parse the Content-Type again to add the charset, and turn bodies over
 * 1000 characters into a Buffer that then goes out in a second write. ETags are off for the API and its
 * answers carry no Last-Modified, so Express's freshness check could never answer 304 here.
 */
function sendJson(res: Response, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  if (json === undefined || status === 204 || status === 205 || status === 304) {
    res.status(status).json(body); // Express's special cases
    return;
  }
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(json);
}

/**
 * Whether every JSON answer is checked against its route's response schema before it is sent: in
 * development and tests (NODE_ENV other than production), unless XINLIAN_CHECK_ANSWERS=0; never in
 * production, where the cost would fall on every answer and a mismatch must not cost a user an answer.
 */
export function answersChecked(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV !== 'production' && env.XINLIAN_CHECK_ANSWERS !== '0';
}

/**
 * Checks an answer (as it will be sent: through JSON) against the route's response schema. A mismatch
 * means the document and the code have drifted apart: it is logged with the fields concerned and
 * answered 500, so that a test or a developer sees it at once.
 */
export function checkAnswer(r: AnyRoute, out: unknown): void {
  const chosen = out && typeof out === 'object' && 'status' in out && 'body' in out && Object.keys(out).length === 2;
  const status = chosen ? (out as { status: number }).status : (r.status ?? 200);
  if (status < 200 || status >= 300) return;
  const json = JSON.stringify(chosen ? (out as { body: unknown }).body : out);
  const result = (r.response as z.ZodType).safeParse(json === undefined ? undefined : JSON.parse(json));
  if (result.success) return;
  const problems = result.error.issues.map((i) => ({ field: i.path.join('.') || '(answer)', message: i.message }));
  const where = `${r.method.toUpperCase()} ${r.path}`;
  console.error(
    `[api] the answer of ${where} does not match its response schema: ` +
      problems.map((p) => `${p.field}: ${p.message}`).join('; '),
  );
  throw new HttpError(500, 'answer_mismatch', `应答不符合接口文档（${where}，仅在开发与测试环境检查）`, problems);
}

/** Mounts each route with its handlers (`handlersOf`, by default `routeHandlers`). */
export function mountRoutes(
  routes: AnyRoute[],
  authenticate: RequestHandler,
  handlersOf = (r: AnyRoute) => routeHandlers(r, authenticate),
): Router {
  const router = Router();
  const specific = mostSpecific(routes);
  for (const r of routes) {
    const handlers = handlersOf(r);
    // a templated path yields to a more specific declared path (…/editions/diff is not …/editions/:number),
    // as OpenAPI resolves them: the request then meets that path's routes, or a 405 naming their methods
    if (r.path.includes(':'))
      router[r.method](
        r.path,
        (req, _res, next) => next(specific(req.path) < paramCount(r.path) ? 'route' : undefined),
        ...handlers,
      );
    else router[r.method](r.path, ...handlers);
  }
  router.use(methodNotAllowed(routes));
  return router;
}

const paramCount = (path: string) => (path.match(/:/g) ?? []).length;

/** The fewest path parameters among the declared paths that match a request path (Infinity: none). */
function mostSpecific(routes: AnyRoute[]): (path: string) => number {
  const paths = [...new Set(routes.map((r) => r.path))].map((p) => ({
    n: paramCount(p),
    matches: match(p, { decode: false }),
  }));
  return (path) => Math.min(Infinity, ...paths.filter((p) => p.matches(path)).map((p) => p.n));
}

/**
 * Answers 405 with an Allow header to a method that a declared path does not take (RFC 9110 §15.5.6);
 * mounted after the routes, so it sees only requests no route took. Paths match as Express matches them.
 */
export function methodNotAllowed(routes: AnyRoute[]): RequestHandler {
  const byPath = new Map<string, Set<string>>();
  for (const r of routes) {
    const methods = byPath.get(r.path) ?? new Set<string>();
    methods.add(r.method.toUpperCase());
    if (r.method === 'get') methods.add('HEAD'); // Express answers HEAD with the GET route
    byPath.set(r.path, methods);
  }
  const paths = [...byPath].map(([path, methods]) => ({
    matches: match(path, { decode: false }),
    params: paramCount(path),
    methods,
  }));
  return (req, res, next) => {
    const allowed = new Set<string>();
    const matching = paths.filter((p) => p.matches(req.path));
    const fewest = Math.min(...matching.map((p) => p.params)); // the most specific declared path, as routed
    for (const p of matching) if (p.params === fewest) for (const m of p.methods) allowed.add(m);
    if (allowed.size === 0) return next();
    const allow = [...allowed].sort().join(', ');
    res.setHeader('Allow', allow);
    next(new HttpError(405, 'method_not_allowed', `该接口不支持 ${req.method} 方法，可用的方法：${allow}`));
  };
}

/**
 * The handlers of one route, as mounted: authentication and role check (unless public), the raw-body
 * reader when the route takes one, then the route.
 */
export function routeHandlers(r: AnyRoute, authenticate: RequestHandler): RequestHandler[] {
  const checkAnswers = answersChecked();
  const auth: RequestHandler[] = r.roles.includes('public') ? [] : [authenticate, requireRole(...r.roles)];
  // a raw body is read only once the caller is known to be allowed to send it
  const body: RequestHandler[] = r.rawBody ? [rawBodyParser(r.rawBody)] : [];
  return [
    ...auth,
    ...body,
    async (req, res) => {
      // req.query is a getter that parses the URL: read only what the route declares
      const input = {
        params: r.params ? parse(r.params, req.params, 'params') : undefined,
        query: r.query ? parse(r.query, req.query, 'query') : undefined,
        body: r.body ? parse(r.body, req.body ?? {}, 'body') : undefined,
        raw: r.rawBody ? { bytes: req.body as Buffer, contentType: req.get('content-type') ?? '' } : undefined,
        req,
      };
      const before = r.audit?.before ? await r.audit.before(input) : undefined;
      const out = await r.handler(input);
      if (checkAnswers && !(out instanceof RawResponse)) checkAnswer(r, out);
      if (r.audit) {
        const p = req.principal!;
        const after =
          out && typeof out === 'object' && 'status' in out && 'body' in out ? (out as { body: unknown }).body : out;
        await appendAudit({
          actor: { sub: p.sub, name: p.name, role: p.role },
          action: r.audit.action,
          target: r.audit.target(input, after),
          before,
          after,
          requestId: req.requestId,
        });
      }
      if (out instanceof RawResponse) {
        if (out.filename) res.attachment(out.filename);
        for (const [name, value] of Object.entries(out.headers ?? {})) res.setHeader(name, value);
        res.type(out.contentType).send(out.body);
      } else if (out && typeof out === 'object' && 'status' in out && 'body' in out && Object.keys(out).length === 2) {
        sendJson(res, out.status as number, out.body);
      } else {
        sendJson(res, r.status ?? 200, out);
      }
    },
  ];
}
