/**
 * /healthz (the process answers), /readyz (it can serve: 200 or 503 with each check's state) and
 * /metrics (Prometheus text) of the API.
 */
import { Router } from 'express';
import type { ApiMetrics } from './metrics';
import type { Readiness } from '../infra/observability/readiness';

export function healthRoutes(readiness?: Readiness, metrics?: ApiMetrics): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => void res.json({ ok: true }));
  r.get('/readyz', (_req, res, next) => {
    if (!readiness) return void res.json({ ready: true, checks: {} });
    readiness
      .report()
      .then((report) => void res.status(report.ready ? 200 : 503).json(report))
      .catch(next);
  });
  if (metrics) r.get('/metrics', metrics.handler());
  return r;
}
