/** Servers for a benchmark run: a fresh mongod and Temporal dev server in a temporary folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalMongo } from '../infra/mongod';
import { freePort, type Launched } from '../infra/process';
import { startTemporalDev } from '../infra/temporal-dev';

export interface BenchStack {
  mongoUri: string;
  temporalAddress: string;
  dir: string;
  /** the servers' process ids, for CPU accounting (bench/cpu.ts) */
  pids: { mongod?: number; temporal?: number };
  stop(): Promise<void>;
}

export async function startBenchStack(): Promise<BenchStack> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xinlian-bench-'));
  const logDir = path.join(dir, 'logs');
  const mongo = await startLocalMongo({ dbPath: path.join(dir, 'mongo'), port: await freePort(), logDir });
  const tPort = await freePort();
  let temporal: Launched;
  try {
    temporal = await startTemporalDev({
      dir: path.join(dir, 'temporal'),
      port: tPort,
      uiPort: await freePort(),
      logDir,
      namespace: 'default',
    });
  } catch (e) {
    await mongo.process.stop();
    throw e;
  }
  return {
    mongoUri: mongo.uri.replace('/xinlian?', '/xinlian_bench?'),
    temporalAddress: `127.0.0.1:${tPort}`,
    dir,
    pids: { mongod: mongo.process.child.pid, temporal: temporal.child.pid },
    async stop() {
      await temporal.stop();
      await mongo.process.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
