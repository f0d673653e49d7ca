/**
 * Check benchmark: the product's check endpoint side by side with a bare node:http + driver baseline and
 * with the machine's limit (node:http answering from an in-memory map, check-limit-server.ts), on the
 * same data, in the same run, at growing numbers of subjects.
 */
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { TokenService } from '../api/auth';
import { connectMongo } from '../db/models';
import { freePort } from '../infra/process';
import { loadCatalogue } from '../measures/catalogue';
import mongoose from 'mongoose';
import { runLoad, startServer, stopServer, type LoadResult } from './load';
import { seedChecks } from './seed';
import type { BenchStack } from './stack';
import { benchUscc } from './subjects';

export interface CheckRow {
  subjects: number;
  entries: number;
  tasks: number;
  app: LoadResult;
  baseline: LoadResult;
  /** node:http answering from an in-memory map: what this machine can do at most (issue 16: reach 0.5) */
  limit: LoadResult;
  /** the product with its live task index off (every check reads MongoDB, like the baseline): one round */
  mongoOnly: LoadResult;
  /** the 1-minute load average after each round */
  loads: number[];
}

const SECRET = 'bench-secret-bench-secret-bench-secret';

/** The check endpoint of a server listening on `port` (product and baseline answer the same path). */
export const checkUrl = (port: number) => `http://127.0.0.1:${port}/api/v1/departments/me/checks`;

function mean(rs: LoadResult[]): LoadResult {
  const avg = (k: keyof LoadResult) => rs.reduce((a, r) => a + r[k], 0) / rs.length;
  return { rps: avg('rps'), p50: avg('p50'), p99: avg('p99'), errors: avg('errors'), non2xx: avg('non2xx') };
}

export async function checkBench(
  stack: BenchStack,
  sizes: number[],
  seconds: number,
  rounds: number,
  log: (s: string) => void,
): Promise<CheckRow[]> {
  const catalogue = loadCatalogue();
  await connectMongo(stack.mongoUri); // creates the product's indexes
  await mongoose.disconnect();
  const client = await MongoClient.connect(stack.mongoUri);
  const db = client.db();
  const token = await new TokenService(SECRET).issue({
    sub: 'bench',
    name: '压测',
    role: 'department',
    departmentId: 'tax',
  });
  const rows: CheckRow[] = [];
  let seeded = 0;
  let entries = 0;
  let tasks = 0;
  try {
    for (const n of sizes) {
      const t0 = Date.now();
      const s = await seedChecks(db, catalogue, seeded, n);
      entries += s.entries;
      tasks += s.tasks;
      seeded = n;
      log(
        `  seeded ${n.toLocaleString()} subjects (${entries.toLocaleString()} active entries, ` +
          `${tasks.toLocaleString()} tasks) in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
      );
      const body = () =>
        JSON.stringify({ subjectId: benchUscc(Math.floor(Math.random() * n)), matter: 'tax_incentive' });
      const [appPort, basePort, limitPort] = [await freePort(), await freePort(), await freePort()];
      const dist = __dirname;
      const env = { MONGODB_URI: stack.mongoUri, TEMPORAL_ADDRESS: stack.temporalAddress, XINLIAN_JWT_SECRET: SECRET };
      const app = await startServer(path.join(dist, 'check-app-server.js'), {
        ...env,
        PORT: String(appPort),
        // as deployed (docs/deployment.md): answers are not checked against their schemas on the way out
        NODE_ENV: 'production',
        NODE_OPTIONS: process.env.BENCH_APP_NODE_OPTIONS ?? '',
      });
      const base = await startServer(path.join(dist, 'check-baseline-server.js'), { ...env, PORT: String(basePort) });
      const limitServer = await startServer(path.join(dist, 'check-limit-server.js'), {
        ...env,
        PORT: String(limitPort),
      });
      try {
        // warm both, then measure one after the other on the same data
        await runLoad({ url: checkUrl(basePort), body, seconds: 2, connections: 10 });
        await runLoad({ url: checkUrl(appPort), token, body, seconds: 2, connections: 10 });
        await runLoad({ url: checkUrl(limitPort), body, seconds: 2, connections: 10 });
        // alternate them (A B C A B C) so drift on a shared 2-core machine hits all alike; average the rounds
        const measured: Array<[LoadResult, LoadResult, LoadResult]> = [];
        const loads: number[] = [];
        for (let i = 0; i < rounds; i++) {
          measured.push([
            await runLoad({ url: checkUrl(basePort), body, seconds, connections: 10 }),
            await runLoad({ url: checkUrl(appPort), token, body, seconds, connections: 10 }),
            await runLoad({ url: checkUrl(limitPort), body, seconds, connections: 10 }),
          ]);
          const [b, a, l] = measured[i];
          loads.push(os.loadavg()[0]);
          log(
            `    round ${i + 1}: app ${a.rps.toFixed(0)} req/s p99 ${a.p99.toFixed(1)} ms | baseline ` +
              `${b.rps.toFixed(0)} req/s p99 ${b.p99.toFixed(1)} ms | limit ${l.rps.toFixed(0)} req/s | ` +
              `1-min load ${loads[i].toFixed(2)}`,
          );
        }
        const baseline = mean(measured.map((r) => r[0]));
        const appR = mean(measured.map((r) => r[1]));
        const limit = mean(measured.map((r) => r[2]));
        // what the live task index buys: the same product reading MongoDB on every check
        await stopServer(app);
        const mongoOnly = await measureMongoOnly(path.join(dist, 'check-app-server.js'), env, token, body, seconds);
        log(`    product without its live index: ${mongoOnly.rps.toFixed(0)} req/s p99 ${mongoOnly.p99.toFixed(1)} ms`);
        rows.push({ subjects: n, entries, tasks, app: appR, baseline, limit, mongoOnly, loads });
        log(
          `  ${n.toLocaleString()} subjects: app ${appR.rps.toFixed(0)} req/s ` +
            `p50 ${appR.p50.toFixed(1)} ms p99 ${appR.p99.toFixed(1)} ms | baseline ` +
            `${baseline.rps.toFixed(0)} req/s p50 ${baseline.p50.toFixed(1)} ms p99 ` +
            `${baseline.p99.toFixed(1)} ms | ratio ${(appR.rps / baseline.rps).toFixed(2)} | limit ` +
            `${limit.rps.toFixed(0)} req/s, ratio to the limit ${(appR.rps / limit.rps).toFixed(2)}`,
        );
        if (appR.non2xx || appR.errors) log(`  WARNING: app answered ${appR.non2xx} non-2xx and ${appR.errors} errors`);
      } finally {
        await stopServer(app);
        await stopServer(base);
        await stopServer(limitServer);
      }
    }
  } finally {
    await client.close();
  }
  return rows;
}

/** One round of the product with BENCH_NO_INDEX (its check reads MongoDB), after a 2 s warm-up. */
async function measureMongoOnly(
  script: string,
  env: NodeJS.ProcessEnv,
  token: string,
  body: () => string,
  seconds: number,
): Promise<LoadResult> {
  const port = await freePort();
  const server = await startServer(script, { ...env, PORT: String(port), BENCH_NO_INDEX: '1' });
  try {
    const url = checkUrl(port);
    await runLoad({ url, token, body, seconds: 2, connections: 10 });
    return await runLoad({ url, token, body, seconds, connections: 10 });
  } finally {
    await stopServer(server);
  }
}
