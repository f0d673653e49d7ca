/**
 * Configuration from the environment, defined once: the zod schema below is the list of variables
 * (the README's table is checked against `ENV_VARIABLES`), with the embedded defaults of `npm start`.
 * A bad value stops the process at start with a message that names the variable.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from './paths';
import { FieldMapping } from '../domain/upstream-exchange';
import { SNAPSHOT_EVERY_MS } from '../db/live-task-index';
import type { UpstreamEndpoint } from '../activities/upstream-activities';

const port = (fallback: number, what: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      const n = Number(v);
      if (Number.isInteger(n) && n >= 0 && n <= 65535) return n;
      ctx.addIssue({ code: 'custom', message: `must be a port number 0–65535 (${what}), got "${v}"` });
      return z.NEVER;
    });
const text = (fallback?: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : v));
const file = (what: string) =>
  text().refine((v) => v === undefined || existsSync(v), {
    message: `must name a readable file (${what}); no such file`,
  });
const flag = z
  .enum(['', '0', '1'], { message: 'must be 1 or 0' })
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : v === '1'));
const positive = (fallback: number, what: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      const n = Number(v);
      if (Number.isFinite(n) && n > 0) return n;
      ctx.addIssue({ code: 'custom', message: `must be a positive number (${what}), got "${v}"` });
      return z.NEVER;
    });

/**
 * Workflow runs a worker keeps cached by default. Listings wait for years between a few busy minutes, so
 * a cache far larger than the runs in flight only holds idle runs: the SDK's default (from the heap limit,
 * thousands here) took the fan-out worker to 1.5 GiB at 10,000 listings (docs/benchmarks.md, fan-out).
 */
export const WORKER_CACHED_WORKFLOWS = 250;

/** Every variable Xinlian reads, with what it means (the README table lists exactly these). */
export const ENV = z.object({
  XINLIAN_DATA_DIR: text(),
  PORT: port(3000, 'the API'),
  XINLIAN_HOST: text('127.0.0.1'),
  XINLIAN_WORKER_PORT: port(0, "the worker's /healthz, /readyz and /metrics; 0 (default) turns them off"),
  TEMPORAL_ADDRESS: text(),
  TEMPORAL_NAMESPACE: text('default'),
  XINLIAN_TASK_QUEUE: text('xinlian'),
  TEMPORAL_PORT: port(7233, 'the embedded Temporal dev server'),
  TEMPORAL_UI_PORT: port(8233, "the embedded dev server's web UI"),
  TEMPORAL_TLS: flag,
  TEMPORAL_TLS_CA: file('PEM CA certificate of the Temporal frontend'),
  TEMPORAL_TLS_CERT: file('PEM client certificate for mTLS'),
  TEMPORAL_TLS_KEY: file('PEM private key of the client certificate'),
  TEMPORAL_TLS_SERVER_NAME: text(),
  TEMPORAL_API_KEY: text(),
  MONGODB_URI: text().refine((v) => v === undefined || /^mongodb(\+srv)?:\/\/./.test(v), {
    message: 'must be a MongoDB connection string (mongodb://… or mongodb+srv://…)',
  }),
  MONGO_PORT: port(27018, 'the embedded mongod'),
  XINLIAN_JWT_SECRET: text().refine((v) => v === undefined || v.length >= 32, {
    message: 'must be at least 32 characters',
  }),
  XINLIAN_JWT_KEYS: text().refine((v) => v === undefined || /^[^:,]+:[^,]{32,}(,[^:,]+:[^,]{32,})*$/.test(v), {
    message: 'must look like "kid:secret,kid:secret" with secrets of at least 32 characters',
  }),
  XINLIAN_DEV_LOGIN: flag,
  XINLIAN_RATE_LIMIT: positive(6000, 'requests per minute per token'),
  XINLIAN_LOG_LEVEL: z
    .string()
    .optional()
    .transform((v) => (v ? v.toLowerCase() : undefined))
    .pipe(
      z.enum(['trace', 'debug', 'info', 'warn', 'error'], { message: 'must be debug, info, warn or error' }).optional(),
    ),
  XINLIAN_SHUTDOWN_GRACE_S: positive(30, 'seconds SIGTERM waits for requests and activities in flight'),
  XINLIAN_INDEX_SNAPSHOT_MINUTES: positive(
    SNAPSHOT_EVERY_MS / 60_000,
    'minutes between snapshots of the live task index, from which a starting API process loads it',
  ),
  XINLIAN_WORKER_CACHED_WORKFLOWS: positive(
    WORKER_CACHED_WORKFLOWS,
    'workflow runs one worker keeps in memory; a run not kept is replayed from its history when it wakes',
  ),
  XINLIAN_DRAIN_DELAY_S: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return 0;
      const n = Number(v);
      if (Number.isFinite(n) && n >= 0) return n;
      ctx.addIssue({ code: 'custom', message: `must be a number of seconds ≥ 0, got "${v}"` });
      return z.NEVER;
    }),
  XINLIAN_MEASURES_DIR: text(),
  XINLIAN_UPSTREAM_URL: text().refine((v) => v === undefined || /^https?:\/\/./.test(v), {
    message: "must be the provincial platform's exchange base URL (http://… or https://…)",
  }),
  XINLIAN_UPSTREAM_TOKEN: text(),
  XINLIAN_UPSTREAM_MAPPING: file('JSON field mapping of the provincial interface, docs/upstream-exchange.md'),
  XINLIAN_UPSTREAM_PULL_MINUTES: positive(15, 'minutes between pulls from the provincial platform'),
});

export const ENV_VARIABLES = Object.keys(ENV.shape) as Array<keyof typeof ENV.shape>;

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export interface TemporalTls {
  ca?: string;
  cert?: string;
  key?: string;
  serverName?: string;
}

export interface Config {
  dataDir: string;
  apiPort: number;
  apiHost: string;
  workerPort: number;
  /** External Temporal frontend; when unset, `npm start` runs the embedded dev server. */
  temporalAddress?: string;
  temporalPort: number;
  temporalUiPort: number;
  temporalNamespace: string;
  taskQueue: string;
  /** TLS to the Temporal frontend (files as paths); absent for plain TCP. */
  temporalTls?: TemporalTls;
  temporalApiKey?: string;
  /** External MongoDB; when unset, `npm start` runs the embedded mongod. */
  mongodbUri?: string;
  mongoPort: number;
  jwtSecret?: string;
  jwtKeys?: string;
  rateLimitPerMinute: number;
  /** Development sign-in on the pages: XINLIAN_DEV_LOGIN=1/0; by default on only with the embedded dev key. */
  devLogin?: boolean;
  logLevel?: LogLevel;
  shutdownGraceMs: number;
  /** Between two snapshots of the live task index (db/live-index-snapshot.ts). */
  indexSnapshotEveryMs: number;
  /** Workflow runs one worker keeps cached (sticky): what bounds its memory (docs/benchmarks.md, fan-out). */
  workerCachedWorkflows: number;
  /** After SIGTERM the API answers /readyz 503 but keeps serving this long, so the load balancer sees it first. */
  drainDelayMs: number;
  /** The exchange with the provincial platform: its endpoint (pull and receipts; absent: pushes only). */
  upstream: { endpoint?: UpstreamEndpoint; mapping: FieldMapping; pullMinutes: number };
}

/** A configuration error: the message names every variable at fault (English and Chinese). */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`configuration error / 配置错误:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ENV.safeParse(Object.fromEntries(ENV_VARIABLES.map((k) => [k, env[k]])));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (!!e.TEMPORAL_TLS_CERT !== !!e.TEMPORAL_TLS_KEY)
    problems.push('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY: set both (mTLS client certificate and its key) or neither');
  if (e.TEMPORAL_TLS === false && (e.TEMPORAL_TLS_CA || e.TEMPORAL_TLS_CERT || e.TEMPORAL_API_KEY))
    problems.push('TEMPORAL_TLS=0 contradicts TEMPORAL_TLS_CA / TEMPORAL_TLS_CERT / TEMPORAL_API_KEY (they need TLS)');
  const mapping = readMapping(e.XINLIAN_UPSTREAM_MAPPING, problems);
  if (problems.length) throw new ConfigError(problems);
  const tlsOn =
    e.TEMPORAL_TLS ?? !!(e.TEMPORAL_TLS_CA || e.TEMPORAL_TLS_CERT || e.TEMPORAL_TLS_SERVER_NAME || e.TEMPORAL_API_KEY);
  return {
    dataDir: path.resolve(e.XINLIAN_DATA_DIR ?? path.join(PROJECT_ROOT, '.data')),
    apiPort: e.PORT,
    apiHost: e.XINLIAN_HOST!,
    workerPort: e.XINLIAN_WORKER_PORT,
    temporalAddress: e.TEMPORAL_ADDRESS,
    temporalPort: e.TEMPORAL_PORT,
    temporalUiPort: e.TEMPORAL_UI_PORT,
    temporalNamespace: e.TEMPORAL_NAMESPACE!,
    taskQueue: e.XINLIAN_TASK_QUEUE!,
    temporalTls: tlsOn
      ? {
          ca: e.TEMPORAL_TLS_CA,
          cert: e.TEMPORAL_TLS_CERT,
          key: e.TEMPORAL_TLS_KEY,
          serverName: e.TEMPORAL_TLS_SERVER_NAME,
        }
      : undefined,
    temporalApiKey: e.TEMPORAL_API_KEY,
    mongodbUri: e.MONGODB_URI,
    mongoPort: e.MONGO_PORT,
    jwtSecret: e.XINLIAN_JWT_SECRET,
    jwtKeys: e.XINLIAN_JWT_KEYS,
    rateLimitPerMinute: e.XINLIAN_RATE_LIMIT,
    devLogin: e.XINLIAN_DEV_LOGIN,
    logLevel: e.XINLIAN_LOG_LEVEL,
    shutdownGraceMs: e.XINLIAN_SHUTDOWN_GRACE_S * 1000,
    indexSnapshotEveryMs: e.XINLIAN_INDEX_SNAPSHOT_MINUTES * 60_000,
    workerCachedWorkflows: Math.max(2, Math.floor(e.XINLIAN_WORKER_CACHED_WORKFLOWS)),
    drainDelayMs: e.XINLIAN_DRAIN_DELAY_S * 1000,
    upstream: {
      endpoint: e.XINLIAN_UPSTREAM_URL
        ? { baseUrl: e.XINLIAN_UPSTREAM_URL, ...(e.XINLIAN_UPSTREAM_TOKEN ? { token: e.XINLIAN_UPSTREAM_TOKEN } : {}) }
        : undefined,
      mapping,
      pullMinutes: e.XINLIAN_UPSTREAM_PULL_MINUTES,
    },
  };
}

/** The field mapping file (FieldMapping), or no renaming when none is configured. */
function readMapping(file: string | undefined, problems: string[]): FieldMapping {
  if (!file) return FieldMapping.parse({});
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    problems.push(`XINLIAN_UPSTREAM_MAPPING: ${file} is not JSON (${(err as Error).message})`);
    return FieldMapping.parse({});
  }
  const parsed = FieldMapping.safeParse(json);
  if (parsed.success) return parsed.data;
  const i = parsed.error.issues[0];
  problems.push(`XINLIAN_UPSTREAM_MAPPING: ${file}: ${i.path.join('.') || '(top)'}: ${i.message}`);
  return FieldMapping.parse({});
}

/**
 * What a process that starts no servers of its own (`npm run api`, `npm run worker`) needs: the two
 * server addresses, and for the API a signing key. Throws a ConfigError naming what is missing.
 */
export function requireExternal(
  cfg: Config,
  role: 'api' | 'worker',
): Required<Pick<Config, 'temporalAddress' | 'mongodbUri'>> {
  const problems: string[] = [];
  if (!cfg.temporalAddress) problems.push('TEMPORAL_ADDRESS: required (host:port of the Temporal frontend)');
  if (!cfg.mongodbUri)
    problems.push('MONGODB_URI: required (a replica set: mongodb://host1,host2,host3/xinlian?replicaSet=rs0)');
  if (role === 'api' && !cfg.jwtKeys && !cfg.jwtSecret)
    problems.push('XINLIAN_JWT_KEYS (or XINLIAN_JWT_SECRET): required, the keys that sign and verify tokens');
  if (problems.length) throw new ConfigError(problems);
  return { temporalAddress: cfg.temporalAddress!, mongodbUri: cfg.mongodbUri! };
}

/**
 * The development sign-in (and the dev tokens) exist only with the generated development key, unless
 * XINLIAN_DEV_LOGIN says otherwise: tokens for ready-made accounts are never signed with configured keys
 * by default.
 */
export function devLoginEnabled(cfg: Pick<Config, 'devLogin' | 'jwtKeys' | 'jwtSecret'>): boolean {
  return cfg.devLogin ?? !(cfg.jwtKeys || cfg.jwtSecret);
}
