/**
 * Structured JSON logs (pino) on stdout, one line per event. Every line written while a request id is
 * current (an API request, an activity) carries it as `requestId`. The Temporal SDK's own logger
 * (worker, workflow and activity log lines) is routed into the same pino logger.
 */
import { format } from 'node:util';
import pino, { type Logger } from 'pino';
import type { LogLevel as SdkLevel, LogMetadata, Logger as SdkLogger } from '@temporalio/common';
import type { LogLevel } from '../config';
import { currentRequestId } from './request-context';

export type { Logger };

export function createLogger(
  service: 'api' | 'worker' | 'start',
  level: LogLevel = 'info',
  destination?: pino.DestinationStream,
): Logger {
  return pino(
    {
      level,
      base: { service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin() {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
    },
    destination ?? pino.destination({ sync: false }),
  );
}

const LEVELS: Record<SdkLevel, LogLevel> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** The Temporal Runtime's logger interface over pino; the SDK's metadata become fields of the line. */
export function sdkLogger(log: Logger): SdkLogger {
  const write = (level: SdkLevel, message: string, meta?: LogMetadata) => {
    const { requestId, ...rest } = (meta ?? {}) as LogMetadata & { requestId?: unknown };
    // an activity's or workflow's own request id (from its headers) wins over the context's
    log[LEVELS[level]](requestId === undefined ? rest : { ...rest, requestId }, message);
  };
  return {
    log: write,
    trace: (m, meta) => write('TRACE', m, meta),
    debug: (m, meta) => write('DEBUG', m, meta),
    info: (m, meta) => write('INFO', m, meta),
    warn: (m, meta) => write('WARN', m, meta),
    error: (m, meta) => write('ERROR', m, meta),
  };
}

/** console.log / warn / error of the libraries and older modules become JSON lines of `log` too. */
export function routeConsole(log: Logger): void {
  console.log = (...a: unknown[]) => log.info(format(...a));
  console.info = console.log;
  console.warn = (...a: unknown[]) => log.warn(format(...a));
  console.error = (...a: unknown[]) => log.error(format(...a));
}
