/**
 * Re-matching benchmark: N running listings (the fan-out benchmark's 20-department catalogue, timed as
 * the fan-out of new listings in the same run), then one publication with re-matching: a 21st
 * department's edition 2 adds a measure every listing matches. Times the re-matching run from its start
 * until all N new tasks are in that department's inbox (the MongoDB read model), and reports its
 * listings/s against the fan-out's.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import mongoose from 'mongoose';
import { connectMongo } from '../db/models';
import { insertEdition, publishEdition, seedEditions } from '../db/measure-editions';
import { ListingRequest, entryIdOf, listingWorkflowId } from '../domain/listing';
import type { Measure } from '../domain/measure';
import { loadCatalogue } from '../measures/catalogue';
import { listingWorkflow } from '../workflows/listing';
import { rematchWorkflow } from '../workflows/rematch';
import { BENCH_DEPARTMENTS, benchCatalogue, peakRssMiB, startProductWorker, until } from './fanout-bench';
import { stopServer } from './load';
import type { BenchStack } from './stack';
import { benchUscc } from './subjects';

export interface RematchRow {
  listings: number;
  fanoutSeconds: number;
  fanoutRate: number;
  rematchSeconds: number;
  rematchRate: number;
  workerPeakRssMiB: number;
  /** The machine's 1-minute load average at the start, after the fan-out and at the end (a shared machine). */
  load: [number, number, number];
}

const NEW_DEPT = 'dept-21';

/** The measure the new edition adds: every bench listing (serious major-tax-violation enterprise) matches it. */
const addedMeasure = (): Measure => ({
  id: `${NEW_DEPT}.no-honours`,
  kind: 'sanction',
  title: '限制参加评先评优',
  mandatory: true,
  categories: ['major_tax_violation'],
  severities: ['serious'],
  subjectTypes: ['enterprise'],
  areas: ['awards_ratings'],
  matters: [],
  legalBasis: [{ document: '国发〔2016〕33号' }],
});

async function pool(n: number, limit: number, fn: (i: number) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, n) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

export async function rematchBench(stack: BenchStack, n: number, log: (s: string) => void): Promise<RematchRow> {
  // the fan-out catalogue, and a 21st department whose edition 1 matches none of the bench listings
  const measuresDir = benchCatalogue();
  writeFileSync(
    path.join(measuresDir, `${NEW_DEPT}.json`),
    JSON.stringify({
      department: { id: NEW_DEPT, name: '测试部门21' },
      edition: 'bench',
      measures: [{ ...addedMeasure(), id: `${NEW_DEPT}.wage`, categories: ['wage_arrears'] }],
    }),
  );
  const mongoUri = stack.mongoUri.replace('/xinlian_bench?', `/xinlian_rematch_${n}?`);
  await connectMongo(mongoUri);
  await mongoose.connection.db!.dropDatabase();
  await seedEditions(loadCatalogue(measuresDir));
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection });
  const worker = await startProductWorker({
    TEMPORAL_ADDRESS: stack.temporalAddress,
    MONGODB_URI: mongoUri,
    XINLIAN_MEASURES_DIR: measuresDir,
  });
  const tasks = mongoose.connection.db!.collection('tasks');
  const tag = `${n}-${Date.now()}`;
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const past = new Date(Date.now() - 20 * 86400_000).toISOString().slice(0, 10);
  const until2y = new Date(Date.now() + 700 * 86400_000).toISOString().slice(0, 10);
  try {
    // ---- fan-out of new listings (the reference rate) ----
    const load0 = os.loadavg()[0];
    const t0 = Date.now();
    await pool(n, 50, async (i) => {
      const request = ListingRequest.parse({
        subject: { type: 'enterprise', uscc: benchUscc(i), name: `压测企业${i}有限公司` },
        listKind: 'black',
        category: 'major_tax_violation',
        severity: 'serious',
        authority: '国家税务总局沧州市税务局',
        legalBasis: [{ document: '国家税务总局令第54号' }],
        decisionDocument: { number: `重新匹配压测〔${tag}〕${i}号`, date: past },
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
    await until(async () => (await tasks.countDocuments()) >= n * BENCH_DEPARTMENTS, 3 * 3600_000);
    const fanoutSeconds = (Date.now() - t0) / 1000;
    log(`  fan-out: ${n} listings → ${n * BENCH_DEPARTMENTS} tasks in ${fanoutSeconds.toFixed(1)} s`);

    const load1 = os.loadavg()[0];
    // ---- one publication with re-matching: dept-21's edition 2 adds a measure every listing matches ----
    const at = new Date().toISOString();
    const who = { sub: 'bench', name: '压测' };
    const base = loadCatalogue(measuresDir);
    await insertEdition({
      _id: `${NEW_DEPT}:2`,
      departmentId: NEW_DEPT,
      departmentName: '测试部门21',
      number: 2,
      label: '压测版',
      status: 'approved',
      measures: [...base.measures.filter((m) => m.id.startsWith(`${NEW_DEPT}.`)), addedMeasure()],
      createdAt: at,
      createdBy: who,
      updatedAt: at,
      reviews: [],
    });
    const r0 = Date.now();
    await publishEdition(
      `${NEW_DEPT}:2`,
      { effectiveFrom: today, runningListings: 'rematch', publishedAt: at, publishedBy: who },
      () => undefined,
    );
    const run = await client.workflow.start(rematchWorkflow, {
      taskQueue: 'bench-xinlian',
      workflowId: `rematch-edition-${NEW_DEPT}-2-${tag}`,
      args: [
        {
          change: { key: `edition:${NEW_DEPT}:2`, reason: 'edition_published', editionId: `${NEW_DEPT}:2` },
          targets: { categories: ['major_tax_violation', 'wage_arrears'] },
          startAt: at,
        },
      ],
    });
    await until(
      async () => (await tasks.countDocuments({ departmentId: NEW_DEPT, status: 'pending' })) >= n,
      3 * 3600_000,
    );
    const rematchSeconds = (Date.now() - r0) / 1000;
    const counts = await run.result();
    if (counts.changed !== n) throw new Error(`re-matching changed ${counts.changed} of ${n} listings`);
    const row: RematchRow = {
      listings: n,
      fanoutSeconds,
      fanoutRate: n / fanoutSeconds,
      rematchSeconds,
      rematchRate: n / rematchSeconds,
      workerPeakRssMiB: peakRssMiB(worker.pid!),
      load: [load0, load1, os.loadavg()[0]],
    };
    log(
      `  re-matching: ${n} running listings → ${n} new tasks in the inbox in ${rematchSeconds.toFixed(1)} s ` +
        `(${row.rematchRate.toFixed(1)} listings/s; fan-out ${row.fanoutRate.toFixed(1)} listings/s; ` +
        `ratio ${(row.rematchRate / row.fanoutRate).toFixed(2)}), worker peak RSS ${row.workerPeakRssMiB} MiB`,
    );
    return row;
  } finally {
    await stopServer(worker);
    await connection.close();
    await mongoose.disconnect();
  }
}

/** The section of docs/benchmarks.md. */
export function rematchSection(row: RematchRow, measured: string, command: string): string {
  return [
    '## Re-matching after a publication',
    '',
    `Measured by \`${command}\` ${measured}.`,
    '',
    `${row.listings.toLocaleString()} running listings (each fanned out to ${BENCH_DEPARTMENTS} departments, ` +
      'timed as the fan-out of new listings in the same run), then one edition published with re-matching: ' +
      'a department adds a measure every listing matches. Re-matching is timed from the publication until ' +
      'every new task is in that department’s inbox (MongoDB).',
    '',
    `Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ` +
      `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, shared with other work: 1-minute load average ` +
      `${row.load.map((l) => l.toFixed(1)).join(' / ')} (start / after the fan-out / end).`,
    '',
    '| listings | fan-out s | fan-out listings/s | re-matching s | re-matching listings/s | ratio | worker RSS MiB |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    `| ${row.listings.toLocaleString()} | ${row.fanoutSeconds.toFixed(1)} | ${row.fanoutRate.toFixed(1)} | ` +
      `${row.rematchSeconds.toFixed(1)} | ${row.rematchRate.toFixed(1)} | ` +
      `${(row.rematchRate / row.fanoutRate).toFixed(2)} | ${row.workerPeakRssMiB} |`,
    '',
  ].join('\n');
}
