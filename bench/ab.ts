/**
 * A/B harness for the check path (development aid, not part of `npm run bench`): keeps a seeded mongod
 * and Temporal dev server in a fixed folder between runs, and measures several server variants in
 * alternating rounds on the same data.
 *
 *   node dist/bench/ab.js --subjects 1000000 --seconds 10 --rounds 3 base app:dist app:dist-before
 *
 * A variant is `base` (bench/check-baseline-server), `limit` (bench/check-limit-server) or
 * `app:<dist folder>[:ENV=value,...]`; the
 * pseudo variable EXEC_ARGV gives node options, e.g. `app:dist:EXEC_ARGV=--cpu-prof --cpu-prof-dir=/tmp/p`.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import mongoose from 'mongoose';
import { TokenService } from '../api/auth';
import { connectMongo } from '../db/models';
import { startLocalMongo } from '../infra/mongod';
import { PROJECT_ROOT } from '../infra/paths';
import { freePort } from '../infra/process';
import { startTemporalDev } from '../infra/temporal-dev';
import { loadCatalogue } from '../measures/catalogue';
import { checkUrl } from './check-bench';
import { cpuSeconds } from './cpu';
import { runLoad, startServer, stopServer, type LoadResult } from './load';
import { seedChecks } from './seed';
import { benchUscc, isListed } from './subjects';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SUBJECTS = arg('--subjects', 1_000_000);
const SECONDS = arg('--seconds', 10);
const ROUNDS = arg('--rounds', 3);
const CONNECTIONS = arg('--connections', 10);
const DIR = process.env.AB_DIR ?? '/tmp/xl-ab';
const MONGO_PORT = Number(process.env.AB_MONGO_PORT ?? 37017);
const SECRET = 'bench-secret-bench-secret-bench-secret';
const SCRIPTS: Record<string, string> = { base: 'check-baseline-server.js', limit: 'check-limit-server.js' };
const variants = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));

async function main() {
  const log = (s: string) => console.log(s);
  mkdirSync(path.join(DIR, 'logs'), { recursive: true });
  const mongo = await startLocalMongo({
    dbPath: path.join(DIR, 'mongo'),
    port: MONGO_PORT,
    logDir: path.join(DIR, 'logs'),
  });
  const mongoUri = `mongodb://127.0.0.1:${MONGO_PORT}/xinlian_bench?replicaSet=rs0`;
  const tPort = await freePort();
  const temporal = await startTemporalDev({
    dir: path.join(DIR, 'temporal'),
    port: tPort,
    uiPort: await freePort(),
    logDir: path.join(DIR, 'logs'),
    namespace: 'default',
  });
  const stop = async () => {
    await temporal.stop();
    await mongo.process.stop();
  };
  try {
    await connectMongo(mongoUri);
    await mongoose.disconnect();
    const client = await MongoClient.connect(mongoUri);
    const db = client.db();
    let listed = 0;
    for (let i = 0; i < SUBJECTS; i++) if (isListed(i)) listed++;
    const have = await db.collection('tasks').estimatedDocumentCount();
    const perEntry = have && listed ? have / listed : 0;
    if (have === 0 || Math.abs(perEntry - Math.round(perEntry)) > 1e-9) {
      await db.collection('tasks').deleteMany({});
      const t0 = Date.now();
      const s = await seedChecks(db, loadCatalogue(), 0, SUBJECTS);
      log(
        `seeded ${SUBJECTS} subjects (${s.entries} entries, ${s.tasks} ` +
          `tasks) in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
      );
    } else log(`using ${have} seeded tasks`);
    // the same empty check log for every run
    await db.collection('check_buckets').deleteMany({});
    await client.close();
    const token = await new TokenService(SECRET).issue({
      sub: 'bench',
      name: '压测',
      role: 'department',
      departmentId: 'tax',
    });
    const env = { MONGODB_URI: mongoUri, TEMPORAL_ADDRESS: `127.0.0.1:${tPort}`, XINLIAN_JWT_SECRET: SECRET };
    const servers: Array<{ name: string; port: number; child: Awaited<ReturnType<typeof startServer>>; app: boolean }> =
      [];
    try {
      for (const v of variants) {
        const port = await freePort();
        const [kind, dist = 'dist', extra = ''] = v.split(':');
        const vEnv: Record<string, string> = { ...env, PORT: String(port) };
        for (const kv of extra.split(',').filter(Boolean)) {
          const i = kv.indexOf('=');
          vEnv[kv.slice(0, i)] = kv.slice(i + 1);
        }
        const script = path.join(PROJECT_ROOT, dist, 'bench', SCRIPTS[kind] ?? 'check-app-server.js');
        if (!existsSync(script)) throw new Error(`no ${script}`);
        const execArgv = vEnv.EXEC_ARGV ? vEnv.EXEC_ARGV.split(' ') : [];
        servers.push({ name: v, port, child: await startServer(script, vEnv, [], execArgv), app: kind === 'app' });
      }
      const body = () =>
        JSON.stringify({ subjectId: benchUscc(Math.floor(Math.random() * SUBJECTS)), matter: 'tax_incentive' });
      for (const s of servers)
        await runLoad({
          url: checkUrl(s.port),
          token: s.app ? token : undefined,
          body,
          seconds: 2,
          connections: CONNECTIONS,
        });
      const results = new Map<string, LoadResult[]>(servers.map((s) => [s.name, []]));
      const cpuPerReq = new Map<string, Array<[number, number]>>(servers.map((s) => [s.name, []]));
      for (let r = 0; r < ROUNDS; r++) {
        for (const s of servers) {
          const pids = [s.child.pid, mongo.process.child.pid, process.pid, temporal.child.pid];
          const c0 = pids.map(cpuSeconds);
          const x = await runLoad({
            url: checkUrl(s.port),
            token: s.app ? token : undefined,
            body,
            seconds: SECONDS,
            connections: CONNECTIONS,
          });
          const cpu = pids.map((p, i) => ((cpuSeconds(p) - c0[i]) / SECONDS).toFixed(2));
          results.get(s.name)!.push(x);
          log(
            `round ${r + 1} ${s.name.padEnd(40)} ${x.rps.toFixed(0).padStart(6)} req/s ` +
              `p50 ${x.p50.toFixed(1)} p99 ${x.p99.toFixed(1)}` +
              (x.non2xx || x.errors ? ` NON2XX ${x.non2xx} ERR ${x.errors}` : '') +
              `  cpu server ${cpu[0]} mongod ${cpu[1]} ` +
              `autocannon ${cpu[2]} temporal ${cpu[3]}  server µs/req ` +
              `${((Number(cpu[0]) * 1e6) / x.rps).toFixed(0)} +mongod ` +
              `${(((Number(cpu[0]) + Number(cpu[1])) * 1e6) / x.rps).toFixed(0)}`,
          );
          cpuPerReq
            .get(s.name)!
            .push([(Number(cpu[0]) * 1e6) / x.rps, ((Number(cpu[0]) + Number(cpu[1])) * 1e6) / x.rps]);
        }
      }
      const first = servers.find((s) => !s.app);
      const baseRps = first ? mean(results.get(first.name)!.map((x) => x.rps)) : NaN;
      log(`\n${SUBJECTS} subjects, ${ROUNDS} rounds of ${SECONDS} s, ${CONNECTIONS} connections`);
      for (const s of servers) {
        const rs = results.get(s.name)!;
        const rps = mean(rs.map((x) => x.rps));
        log(
          `${s.name.padEnd(40)} ${rps.toFixed(0).padStart(6)} req/s  p50 ${mean(rs.map((x) => x.p50)).toFixed(2)} ` +
            ` p99 ${mean(rs.map((x) => x.p99)).toFixed(2)} (max ${Math.max(...rs.map((x) => x.p99))}) ` +
            ` ratio ${(rps / baseRps).toFixed(3)}  server µs/req ` +
            `${mean(cpuPerReq.get(s.name)!.map((c) => c[0])).toFixed(0)} ` +
            `+mongod ${mean(cpuPerReq.get(s.name)!.map((c) => c[1])).toFixed(0)}`,
        );
      }
    } finally {
      for (const s of servers) await stopServer(s.child);
    }
  } finally {
    await stop();
  }
  process.exit(0);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
