import { rmSync } from 'node:fs';
import type { LocalMongo } from '../../infra/mongod';

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as Record<string, unknown>;
  await (g.__XINLIAN_MONGO__ as LocalMongo | undefined)?.process.stop();
  if (g.__XINLIAN_TMP__) rmSync(g.__XINLIAN_TMP__ as string, { recursive: true, force: true });
}
