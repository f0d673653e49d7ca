/**
 * One definition per endpoint: method, path, who may call it, zod schemas of its input and output.
 * The same definition mounts the Express handler (validating at the edge) and feeds the OpenAPI
 * document, so the two cannot drift apart.
 */
import { Router, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import type { RouteRole } from './auth';
import { requireRole } from './auth';
import { validationError } from './errors';
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
  /** Other answers worth documenting. */
  errors?: number[];
  /** Returns the response body, or { status, body } to choose the status. Read-model documents are
   * loosely typed, so the response schema documents the shape rather than type-checking it. */
  handler: (input: { params: z.output<P>; query: z.output<Q>; body: z.output<B>; req: Request }) => Promise<unknown>;
  /** A state change: recorded in the hash-chained audit log with the state before and after. */
  audit?: {
    action: string;
    target: (input: { params: z.output<P>; body: z.output<B> }, result: unknown) => { kind: string; id: string };
    before?: (input: { params: z.output<P>; body: z.output<B>; req: Request }) => Promise<unknown>;
  };
}

/** A non-JSON answer (e.g. a CSV export). */
export class RawResponse {
  constructor(
    readonly contentType: string,
    readonly body: string,
    readonly filename?: string,
  ) {}
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteDef<any, any, any, any>;

export function defineRoute<P extends z.ZodType = z.ZodObject, Q extends z.ZodType = z.ZodObject, B extends z.ZodType = z.ZodUndefined, R extends z.ZodType = z.ZodType>(
  def: RouteDef<P, Q, B, R>,
): RouteDef<P, Q, B, R> {
  return def;
}

function parse<S extends z.ZodType>(schema: S | undefined, data: unknown, where: string): z.output<S> {
  if (!schema) return undefined as z.output<S>;
  const r = schema.safeParse(data);
  if (!r.success) throw validationError(r.error, where);
  return r.data;
}

export function mountRoutes(routes: AnyRoute[], authenticate: RequestHandler): Router {
  const router = Router();
  for (const r of routes) {
    const auth: RequestHandler[] = r.roles.includes('public') ? [] : [authenticate, requireRole(...r.roles)];
    router[r.method](r.path, ...auth, async (req, res) => {
      const input = {
        params: parse(r.params, req.params, 'params'),
        query: parse(r.query, req.query, 'query'),
        body: parse(r.body, req.body ?? {}, 'body'),
        req,
      };
      const before = r.audit?.before ? await r.audit.before(input) : undefined;
      const out = await r.handler(input);
      if (r.audit) {
        const p = req.principal!;
        const after = out && typeof out === 'object' && 'status' in out && 'body' in out ? (out as { body: unknown }).body : out;
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
        res.type(out.contentType).send(out.body);
      } else if (out && typeof out === 'object' && 'status' in out && 'body' in out && Object.keys(out).length === 2) {
        res.status(out.status as number).json(out.body);
      } else {
        res.status(r.status ?? 200).json(out);
      }
    });
  }
  return router;
}
