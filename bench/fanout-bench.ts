/**
 * Fan-out benchmark: start N listings (about 20 department tasks each, from a 20-department catalogue)
 * and time until every task is in its department's inbox (the MongoDB read model); the same number of
 * no-op workflows with one activity on the same server is the baseline. Reports the worker's peak RSS.
 * BENCH_WORKER_EXEC_ARGV adds node options to the product's worker (diagnosis, e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/p`, one profile per thread); figures from such a run are not the product's.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import { ListingRequest, entryIdOf, listingWorkflowId } from '../domain/listing';
import { listingWorkflow } from '../workflows/listing';
import { noopWorkflow } from './baseline-workflows';
import { cpuMeter, formatCpu } from './cpu';
import { startServer, stopServer } from './load';
import type { BenchStack } from './stack';
import { benchUscc } from './subjects';
import { WORKER_HEAP_MIB } from '../infra/worker';

export interface FanoutRow {
  listings: number;
  tasksPerListing: number;
  seconds: number;
  rate: number;
  baselineSeconds: number;
  baselineRate: number;
  workerPeakRssMiB: number;
  /** CPU ms per listing (product) and per workflow (baseline) of the worker, Temporal and mongod */
  cpuMs: Record<string, number>;
  baselineCpuMs: Record<string, number>;
}

export const BENCH_DEPARTMENTS = 20;

/** A catalogue of 20 departments, each with one sanction matching a serious major-tax-violation enterprise. */
export function benchCatalogue(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-measures-'));
  for (let i = 1; i <= BENCH_DEPARTMENTS; i++) {
    const id = `dept-${String(i).padStart(2, '0')}`;
    writeFileSync(
      path.join(dir, `${id}.json`),
      JSON.stringify({
        department: { id, name: `测试部门${i}` },
        edition: 'bench',
        measures: [
          {
            id: `${id}.sanction`,
            kind: 'sanction',
            title: '限制参加政府采购活动',
            mandatory: true,
            categories: ['major_tax_violation'],
            severities: ['serious'],
            subjectTypes: ['enterprise'],
            areas: ['government_procurement'],
            legalBasis: [{ document: '中华人民共和国政府采购法', article: '第二十二条' }],
          },
        ],
      }),
    );
  }
  return dir;
}

/** Runs `fn` over 0..n-1 with at most `limit` in flight. */
async function pool(n: number, limit: number, fn: (i: number) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, n) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

/**
 * The product's worker (bench/fanout-worker.ts) as `npm run worker` runs it: its heap limit, so every
 * benchmark's memory figure is the deployed configuration's.
 */
export function startProductWorker(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  return startServer(
    path.join(__dirname, 'fanout-worker.js'),
    env,
    ['xinlian'],
    [`--max-old-space-size=${WORKER_HEAP_MIB}`, ...(process.env.BENCH_WORKER_EXEC_ARGV?.split(' ') ?? [])],
  );
}

export function peakRssMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

export async function until(cond: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('benchmark timed out');
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function fanoutBench(stack: BenchStack, sizes: number[], log: (s: string) => void): Promise<FanoutRow[]> {
  const measuresDir = benchCatalogue();
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection });
  const rows: FanoutRow[] = [];
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const past = new Date(Date.now() - 20 * 86400_000).toISOString().slice(0, 10);
  const until2y = new Date(Date.now() + 700 * 86400_000).toISOString().slice(0, 10);
  try {
    for (const n of sizes) {
      // ---- baseline: no-op workflows with one activity ----
      const bw = await startServer(
        path.join(__dirname, 'fanout-worker.js'),
        { TEMPORAL_ADDRESS: stack.temporalAddress },
        ['baseline'],
      );
      const tag = `${n}-${Date.now()}`;
      const done = `WorkflowType = 'noopWorkflow' AND ExecutionStatus = 'Completed'`;
      const c0 = (await client.workflow.count(done)).count;
      const bCpu = cpuMeter({ worker: bw.pid, temporal: stack.pids.temporal, mongod: stack.pids.mongod });
      const b0 = Date.now();
      await pool(n, 50, (i) =>
        client.workflow.start(noopWorkflow, { taskQueue: 'bench-baseline', workflowId: `noop-${tag}-${i}` }),
      );
      await until(async () => (await client.workflow.count(done)).count >= c0 + n, 3 * 3600_000);
      const baselineSeconds = (Date.now() - b0) / 1000;
      const baselineCpuMs = bCpu.per(n);
      await stopServer(bw);
      log(
        `  baseline: ${n} no-op workflows in ${baselineSeconds.toFixed(1)} s ` +
          `(${(n / baselineSeconds).toFixed(1)}/s), CPU per workflow: ${formatCpu(baselineCpuMs)}`,
      );

      // ---- the product: listings fanned out to department inboxes ----
      const db = `xinlian_fanout_${n}`;
      const mongoUri = stack.mongoUri.replace('/xinlian_bench?', `/${db}?`);
      const worker = await startProductWorker({
        TEMPORAL_ADDRESS: stack.temporalAddress,
        MONGODB_URI: mongoUri,
        XINLIAN_MEASURES_DIR: measuresDir,
      });
      const mongo = await MongoClient.connect(mongoUri);
      const tasks = mongo.db().collection('tasks');
      const cpu = cpuMeter({ worker: worker.pid, temporal: stack.pids.temporal, mongod: stack.pids.mongod });
      const t0 = Date.now();
      await pool(n, 50, async (i) => {
        const request = ListingRequest.parse({
          subject: { type: 'enterprise', uscc: benchUscc(i), name: `压测企业${i}有限公司` },
          listKind: 'black',
          category: 'major_tax_violation',
          severity: 'serious',
          authority: '国家税务总局沧州市税务局',
          legalBasis: [{ document: '国家税务总局令第54号' }],
          decisionDocument: { number: `压测〔${tag}〕${i}号`, date: past },
          noticeServedOn: past,
          reason: '压测',
          effectiveDate: today,
          validUntil: until2y,
        });
        const entryId = entryIdOf(request);
        await client.workflow.start(listingWorkflow, {
          taskQueue: 'bench-xinlian',
          workflowId: listingWorkflowId(entryId),
          args: [{ entryId, request }],
        });
      });
      const expected = n * BENCH_DEPARTMENTS;
      await until(async () => (await tasks.countDocuments()) >= expected, 3 * 3600_000);
      const seconds = (Date.now() - t0) / 1000;
      const cpuMs = cpu.per(n);
      const rss = peakRssMiB(worker.pid!);
      await mongo.close();
      await stopServer(worker);
      rows.push({
        listings: n,
        tasksPerListing: BENCH_DEPARTMENTS,
        seconds,
        rate: n / seconds,
        baselineSeconds,
        baselineRate: n / baselineSeconds,
        workerPeakRssMiB: rss,
        cpuMs,
        baselineCpuMs,
      });
      log(
        `  xinlian: ${n} listings → ${expected} tasks in inboxes ` +
          `in ${seconds.toFixed(1)} s (${(n / seconds).toFixed(1)} ` +
          `listings/s), ratio ${(n / seconds / (n / baselineSeconds)).toFixed(2)}, worker peak RSS ${rss} MiB, ` +
          `CPU per listing: ${formatCpu(cpuMs)}`,
      );
    }
  } finally {
    await connection.close();
  }
  return rows;
}
