/** Configuration from the environment, with the embedded defaults of `npm start`. */
import path from 'node:path';
import { PROJECT_ROOT } from './paths';

const int = (name: string, fallback: number) => {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new Error(`${name} must be a port number, got "${v}"`);
  return n;
};

export interface Config {
  dataDir: string;
  apiPort: number;
  /** External Temporal frontend; when unset, `npm start` runs the embedded dev server. */
  temporalAddress?: string;
  temporalPort: number;
  temporalUiPort: number;
  temporalNamespace: string;
  taskQueue: string;
  /** External MongoDB; when unset, `npm start` runs the embedded mongod. */
  mongodbUri?: string;
  mongoPort: number;
  jwtSecret?: string;
  jwtKeys?: string;
  rateLimitPerMinute: number;
  /** Development sign-in on the pages: XINLIAN_DEV_LOGIN=1/0; by default on only with the embedded dev key. */
  devLogin?: boolean;
}

export function loadConfig(env = process.env): Config {
  return {
    dataDir: path.resolve(env.XINLIAN_DATA_DIR ?? path.join(PROJECT_ROOT, '.data')),
    apiPort: int('PORT', 3000),
    temporalAddress: env.TEMPORAL_ADDRESS || undefined,
    temporalPort: int('TEMPORAL_PORT', 7233),
    temporalUiPort: int('TEMPORAL_UI_PORT', 8233),
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: env.XINLIAN_TASK_QUEUE ?? 'xinlian',
    mongodbUri: env.MONGODB_URI || undefined,
    mongoPort: int('MONGO_PORT', 27018),
    jwtSecret: env.XINLIAN_JWT_SECRET || undefined,
    jwtKeys: env.XINLIAN_JWT_KEYS || undefined,
    rateLimitPerMinute: Number(env.XINLIAN_RATE_LIMIT ?? 6000),
    devLogin:
      env.XINLIAN_DEV_LOGIN === undefined || env.XINLIAN_DEV_LOGIN === '' ? undefined : env.XINLIAN_DEV_LOGIN === '1',
  };
}

/**
 * The development sign-in (and the dev tokens) exist only with the generated development key, unless
 * XINLIAN_DEV_LOGIN says otherwise: tokens for ready-made accounts are never signed with configured keys
 * by default.
 */
export function devLoginEnabled(cfg: Pick<Config, 'devLogin' | 'jwtKeys' | 'jwtSecret'>): boolean {
  return cfg.devLogin ?? !(cfg.jwtKeys || cfg.jwtSecret);
}
