/**
 * A shortcut past Express's router for a few hot endpoints with a fixed path (the 逢办必查 check).
 *
 * For every request Express sets up its router (closures, URL parsing) and walks its layers: a path
 * match per layer, URL trimming and restoring for each mounted router, parameter processing. With
 * --cpu-prof and a sampling heap profile under the check benchmark, that walk was about an eighth of
 * the API process's CPU time and a third of the memory it allocated per check. `installExactRoutes`
 * wraps the app's `handle`: a request whose method and URL are exactly one of the given paths gets what
 * Express's `handle` gives every request (prototypes, back references, locals) and then runs the very
 * same handlers, in the same order, that Express's layers would have reached for it; its errors go to
 * the same error handler. Anything else (another path, a query string, other letter case, a trailing
 * slash) goes to Express as before. So the answers cannot differ: only fewer steps lead to the same
 * functions.
 */
import type { ErrorRequestHandler, Express, NextFunction, Request, RequestHandler, Response } from 'express';

export interface ExactRoute {
  method: string;
  /** the full path, e.g. /api/v1/departments/me/checks */
  path: string;
  /** every handler Express would run for this request, in order, ending with the route's own */
  chain: RequestHandler[];
}

type Handle = (req: Request, res: Response, callback?: NextFunction) => void;

export function installExactRoutes(
  app: Express,
  routes: ExactRoute[],
  onError: ErrorRequestHandler,
  notFound: RequestHandler,
): void {
  const table = new Map<string, Map<string, RequestHandler[]>>(); // method → path → chain
  for (const r of routes) {
    const method = r.method.toUpperCase();
    if (!table.has(method)) table.set(method, new Map());
    table.get(method)!.set(r.path, [...r.chain, notFound]);
  }
  const expressHandle = (app as unknown as { handle: Handle }).handle;
  (app as unknown as { handle: Handle }).handle = function handle(this: unknown, req, res, callback) {
    const chain = callback ? undefined : table.get(req.method)?.get(req.url);
    if (!chain) return expressHandle.call(this, req, res, callback);
    // what Express's app.handle and router do for every request before the first handler
    if (app.enabled('x-powered-by')) res.setHeader('X-Powered-By', 'Express');
    req.res = res;
    res.req = req;
    Object.setPrototypeOf(req, app.request);
    Object.setPrototypeOf(res, app.response);
    if (!res.locals) res.locals = Object.create(null);
    req.originalUrl = req.url;
    req.baseUrl = '';
    req.params = {};
    run(chain, req, res, onError);
  };
}
/** Runs handlers like Express's router does: next() goes on, next(err) and rejections go to `onError`. */
function run(chain: RequestHandler[], req: Request, res: Response, onError: ErrorRequestHandler): void {
  let i = 0;
  let failed = false;
  const fail = (err: unknown) => {
    if (failed) return console.error(`[api] ${req.method} ${req.originalUrl} failed after an error:`, err);
    failed = true;
    // as Express's final handler: an error the error handler could not answer closes the connection
    // when the answer had already begun, so the client is not left waiting
    const lastResort = (e: unknown) => {
      console.error(`[api] ${req.method} ${req.originalUrl} failed:`, e);
      if (res.headersSent) req.socket.destroy();
    };
    try {
      onError(err, req, res, (e?: unknown) => e && lastResort(e));
    } catch (e) {
      lastResort(e);
    }
  };
  // (the hot chains never call next('route') or next('router'))
  const next: NextFunction = (err?: unknown) => {
    if (err) return fail(err);
    const fn = chain[i++];
    if (!fn) return;
    try {
      const r = fn(req, res, next) as unknown;
      if (r instanceof Promise) r.then(undefined, (e) => fail(e ?? new Error('Rejected promise')));
    } catch (e) {
      fail(e);
    }
  };
  next();
}
