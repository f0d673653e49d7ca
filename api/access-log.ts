/**
 * One JSON log line per answered request (method, route pattern, status, milliseconds; the request id
 * comes from the request context). The hot check endpoints log at debug: their counts and latency are
 * in /metrics and every check is recorded in MongoDB, so an info line each would only cost the check.
 */
import type { RequestHandler } from 'express';
import type { Logger } from '../infra/observability/logger';

export function accessLog(log: Logger, quietPaths: string[]): RequestHandler {
  const quiet = new Set(quietPaths);
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.once('finish', () => {
      const status = res.statusCode;
      const level = status >= 500 ? 'error' : quiet.has(req.originalUrl) ? 'debug' : 'info';
      if (!log.isLevelEnabled(level)) return;
      const route = (req.route as { path?: string } | undefined)?.path;
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      log[level](
        {
          requestId: req.requestId,
          method: req.method,
          url: req.originalUrl,
          route,
          status,
          ms: Math.round(ms * 10) / 10,
        },
        'request',
      );
    });
    next();
  };
}
