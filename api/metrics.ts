/**
 * Prometheus metrics of one API process (prom-client, a registry per app): requests per route with
 * latency histograms, the check's latency, results (hit or clear) and source (live index or database),
 * the live index's lag, the check-log queue, and the progress of running imports. Served at /metrics.
 */
import type { Db } from 'mongodb';
import type { Request, RequestHandler, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CheckLog } from '../db/check-log';
import type { LiveTaskIndex } from '../db/live-task-index';

export type CheckSource = 'index' | 'database';

export interface ApiMetricsSources {
  liveIndex?: LiveTaskIndex;
  checkLog?: CheckLog;
  /** The database whose `imports` collection is read at each scrape (running imports only). */
  db?: () => Db | undefined;
}

const SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class ApiMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly latency: Histogram<'method' | 'route'>;
  private readonly checks: Counter<'result' | 'source'>;
  private readonly checkLatency: Histogram<'source'>;

  constructor(sources: ApiMetricsSources = {}) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'xinlian_http_requests_total',
      help: 'HTTP requests answered, by route (its path pattern), method and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.latency = new Histogram({
      name: 'xinlian_http_request_duration_seconds',
      help: 'Time from a request arriving to its answer being sent, by route',
      labelNames: ['method', 'route'],
      buckets: SECONDS,
      registers,
    });
    this.checks = new Counter({
      name: 'xinlian_checks_total',
      help: '逢办必查 subjects checked, by result (hit: measures apply; clear) and where the live tasks came from',
      labelNames: ['result', 'source'],
      registers,
    });
    this.checkLatency = new Histogram({
      name: 'xinlian_check_duration_seconds',
      help: 'Time to answer one check or batch inside the API (finding live tasks and evaluating them)',
      labelNames: ['source'],
      buckets: SECONDS,
      registers,
    });
    const { liveIndex, checkLog, db } = sources;
    new Gauge({
      name: 'xinlian_live_index_lag_seconds',
      help: "Age of the live task index's last heartbeat seen on its change stream (checks use the index under 1 s)",
      registers,
      collect() {
        if (liveIndex) this.set(liveIndex.lagMs() / 1000);
      },
    });
    new Gauge({
      name: 'xinlian_live_index_fresh',
      help: '1 while the live task index answers checks, 0 while checks read MongoDB directly',
      registers,
      collect() {
        this.set(liveIndex?.fresh() ? 1 : 0);
      },
    });
    new Gauge({
      name: 'xinlian_live_index_tasks',
      help: 'Live tasks held by the live task index',
      registers,
      collect() {
        if (liveIndex) this.set(liveIndex.size);
      },
    });
    new Gauge({
      name: 'xinlian_check_log_queue_depth',
      help: 'Check records answered but not yet written to MongoDB',
      registers,
      collect() {
        if (checkLog) this.set(checkLog.depth);
      },
    });
    new Gauge({
      name: 'xinlian_import_rows',
      help: 'Rows of running imports, by import and state (total, processed, created, existing, refused)',
      labelNames: ['import_id', 'state'],
      registers,
      async collect() {
        this.reset();
        const d = db?.();
        if (!d) return;
        const running = await d
          .collection('imports')
          .find(
            { status: 'running' },
            { projection: { total: 1, processed: 1, created: 1, existing: 1, refused: 1 }, maxTimeMS: 2000 },
          )
          .limit(50)
          .toArray()
          .catch(() => []);
        for (const i of running)
          for (const state of ['total', 'processed', 'created', 'existing', 'refused'])
            this.set({ import_id: String(i._id), state }, Number(i[state] ?? 0));
      },
    });
  }

  /** Counts and times every request; the route label is the matched path pattern, never the raw URL. */
  middleware(prefix: string, exactPaths: string[]): RequestHandler {
    const exact = new Map(exactPaths.map((p) => [p, p.slice(prefix.length)]));
    return (req, res, next) => {
      const start = process.hrtime.bigint();
      res.once('finish', () => {
        const route = routeLabel(req, res, exact);
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        this.requests.inc({ method: req.method, route, status: res.statusCode });
        this.latency.observe({ method: req.method, route }, seconds);
      });
      next();
    };
  }

  /** Called by the check service once per check or batch. */
  observeCheck(source: CheckSource, results: Array<{ result: string }>, seconds: number): void {
    let hits = 0;
    for (const r of results) if (r.result === 'hit') hits++;
    if (hits) this.checks.inc({ result: 'hit', source }, hits);
    if (results.length - hits) this.checks.inc({ result: 'clear', source }, results.length - hits);
    this.checkLatency.observe({ source }, seconds);
  }

  handler(): RequestHandler {
    return (_req, res, next) => {
      this.registry
        .metrics()
        .then((text) => void res.type(this.registry.contentType).send(text))
        .catch(next);
    };
  }
}

function routeLabel(req: Request, res: Response, exact: Map<string, string>): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof pattern === 'string') return pattern;
  // the exact routes (api/exact-routes.ts) skip the router: their URL is their pattern
  return exact.get(req.originalUrl) ?? (res.statusCode === 404 ? 'not_found' : 'other');
}
