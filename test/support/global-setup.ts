/**
 * Starts one real mongod (single-node replica set, temporary data directory) for the whole test run,
 * unless MONGODB_URI points at an existing one. Test files use their own databases on it.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalMongo } from '../../infra/mongod';
import { freePort } from '../../infra/process';

export default async function globalSetup(): Promise<void> {
  if (process.env.MONGODB_URI) return;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xinlian-test-'));
  const mongo = await startLocalMongo({ dbPath: path.join(dir, 'db'), port: await freePort(), logDir: dir });
  process.env.XINLIAN_TEST_MONGO_BASE = mongo.uri.replace('/xinlian?', '/?');
  (globalThis as Record<string, unknown>).__XINLIAN_MONGO__ = mongo;
  (globalThis as Record<string, unknown>).__XINLIAN_TMP__ = dir;
}
