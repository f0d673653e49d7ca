/**
 * A fixed-window request limit per token for the authenticated API. Hand-written rather than
 * express-rate-limit (which guards the public endpoints): on the 逢办必查 hot path that library's
 * asynchronous store and header formatting cost about a tenth of the throughput (npm run bench), while
 * this is one synchronous map update per request. Per process, like the library's memory store.
 */
import type { RequestHandler } from 'express';

/** `now` is the clock in milliseconds (tests pass their own so a minute boundary cannot fall inside them). */
export function tokenRateLimit(
  limitPerMinute: number,
  onLimited: RequestHandler,
  now: () => number = Date.now,
): RequestHandler {
  let window = Math.floor(now() / 60_000);
  let counts = new Map<string, number>();
  return (req, res, next) => {
    const t = now();
    const minute = Math.floor(t / 60_000);
    if (minute !== window) {
      window = minute;
      counts = new Map();
    }
    const key = req.headers.authorization ?? `ip:${req.ip}`;
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    if (n > limitPerMinute) {
      res.set('Retry-After', String(60 - Math.floor((t / 1000) % 60)));
      return onLimited(req, res, next);
    }
    next();
  };
}
