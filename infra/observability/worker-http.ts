/**
 * The worker's own HTTP port (XINLIAN_WORKER_PORT): /healthz, /readyz (polling, MongoDB and Temporal
 * reachable) and /metrics. The Temporal SDK's metrics (task slots, poll and schedule-to-start latency,
 * activity and workflow task counts…) are exported by the SDK's core on a loopback port of their own
 * (Runtime telemetry options); /metrics here serves them together with the process metrics of
 * prom-client, so Prometheus scrapes one port per worker.
 */
import http from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Readiness } from './readiness';

export async function startWorkerHttp(opts: {
  port: number;
  host: string;
  readiness: Readiness;
  /** host:port of the SDK's Prometheus exporter */
  sdkMetrics: string;
}): Promise<http.Server> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const server = http.createServer((req, res) => {
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    const json = (status: number, body: unknown) => send(status, 'application/json', JSON.stringify(body));
    if (req.method !== 'GET') return json(405, { error: 'GET only' });
    if (req.url === '/healthz') return json(200, { ok: true });
    if (req.url === '/readyz') {
      return void opts.readiness.report().then((r) => json(r.ready ? 200 : 503, r));
    }
    if (req.url === '/metrics') {
      return void Promise.all([registry.metrics(), sdkText(opts.sdkMetrics)]).then(
        ([own, sdk]) => send(200, registry.contentType, `${sdk}\n${own}`),
        (e: Error) => send(500, 'text/plain', `metrics failed: ${e.message}\n`),
      );
    }
    json(404, { error: 'not found: /healthz, /readyz, /metrics' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new Error(`XINLIAN_WORKER_PORT: port ${opts.port} is already in use; set another (0 turns it off)`)
          : e,
      ),
    );
    server.listen(opts.port, opts.host, () => resolve());
  });
  return server;
}

async function sdkText(address: string): Promise<string> {
  const res = await fetch(`http://${address}/metrics`, { signal: AbortSignal.timeout(2000) });
  return res.text();
}
