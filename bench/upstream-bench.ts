/**
 * Provincial exchange benchmark (`npm run bench -- --upstream-only`, `--upstream-listings N`; 100,000 by
 * default, 1,000 with --quick): the same N rows (one enterprise each, matching the 20-department bench
 * catalogue) once through the bulk import and once pulled from the simulated provincial platform
 * (bench/upstream-simulator.ts) as batches of the format's maximum 10,000 entries, each into a database of
 * its own on the same Temporal server, one after the other in the same run; each timed until every
 * listing's tasks are in the department inboxes.
 */
import { Client, Connection } from '@temporalio/client';
import mongoose from 'mongoose';
import { connectMongo, TaskModel } from '../db/models';
import { UpstreamBatchModel } from '../db/upstream-exchange';
import { parseImportFile } from '../domain/import-file';
import { upstreamPullWorkflow } from '../workflows/upstream';
import { BENCH_DEPARTMENTS, benchCatalogue, peakRssMiB, startProductWorker, until } from './fanout-bench';
import { importBench, listFile, type ImportFigures } from './import-bench';
import { stopServer } from './load';
import type { BenchStack } from './stack';
import { SIM_SENDER, startUpstreamSimulator } from './upstream-simulator';

const BATCH = 10_000;

export interface UpstreamFigures {
  entries: number;
  batches: number;
  /** until every batch is stored and its rows applied (every listing started) */
  appliedSeconds: number;
  /** until every task is in its inbox */
  inboxSeconds: number;
  workerPeakRssMiB: number;
}

async function pullBench(stack: BenchStack, n: number, log: (s: string) => void): Promise<UpstreamFigures> {
  const sim = await startUpstreamSimulator({ pageSize: 2 });
  const parsed = await parseImportFile(listFile(n));
  const entries = parsed.rows.flatMap((r, i) =>
    r.status === 'valid' ? [{ operation: 'upsert', upstreamRecordId: `HB-BENCH-${i}`, version: 1, ...r.request }] : [],
  );
  const batches = Math.ceil(entries.length / BATCH);
  for (let b = 0; b < batches; b++)
    sim.publish({
      batchId: `HB-BENCH-${Date.now()}-${b}`,
      sender: SIM_SENDER,
      sentAt: new Date().toISOString(),
      entries: entries.slice(b * BATCH, (b + 1) * BATCH),
    });
  const mongoUri = stack.mongoUri.replace('/xinlian_bench?', '/xinlian_upstream?');
  const worker = await startProductWorker({
    TEMPORAL_ADDRESS: stack.temporalAddress,
    MONGODB_URI: mongoUri,
    XINLIAN_MEASURES_DIR: benchCatalogue(),
    XINLIAN_UPSTREAM_URL: sim.url,
    XINLIAN_UPSTREAM_TOKEN: sim.token,
  });
  await connectMongo(mongoUri);
  const connection = await Connection.connect({ address: stack.temporalAddress });
  try {
    log(`  ${entries.length.toLocaleString()} entries in ${batches} batches on the simulated provincial platform`);
    const t0 = Date.now();
    await new Client({ connection }).workflow.execute(upstreamPullWorkflow, {
      workflowId: `bench-pull-${t0}`,
      taskQueue: 'bench-xinlian',
      args: [{ taskQueue: 'bench-xinlian' }],
    });
    await until(async () => (await UpstreamBatchModel.countDocuments({ status: 'applied' })) >= batches, 3 * 3600_000);
    const appliedSeconds = (Date.now() - t0) / 1000;
    log(
      `  every batch applied (every listing started) after ${appliedSeconds.toFixed(1)} s ` +
        `(${(entries.length / appliedSeconds).toFixed(1)} entries/s)`,
    );
    await until(
      async () => (await TaskModel.estimatedDocumentCount()) >= entries.length * BENCH_DEPARTMENTS,
      3 * 3600_000,
    );
    const inboxSeconds = (Date.now() - t0) / 1000;
    const rss = peakRssMiB(worker.pid!);
    log(
      `  every task in its inbox after ${inboxSeconds.toFixed(1)} s ` +
        `(${(entries.length / inboxSeconds).toFixed(1)} listings/s); worker peak RSS ${rss} MiB`,
    );
    return { entries: entries.length, batches, appliedSeconds, inboxSeconds, workerPeakRssMiB: rss };
  } finally {
    await connection.close();
    await mongoose.disconnect();
    await stopServer(worker);
    await sim.close();
  }
}

export async function upstreamBench(stack: BenchStack, n: number, log: (s: string) => void) {
  log(`bulk import of ${n.toLocaleString()} rows:`);
  const imported: ImportFigures = await importBench(stack, n, log);
  log(`the same rows pulled from the provincial platform:`);
  const pulled = await pullBench(stack, n, log);
  return { imported, pulled, ratio: imported.inboxSeconds / pulled.inboxSeconds };
}

/** The section of docs/benchmarks.md. */
export function upstreamSection(r: Awaited<ReturnType<typeof upstreamBench>>, measured: string): string {
  const row = (what: string, s: number, rss: number) =>
    `| ${what} | ${s.toFixed(1)} | ${(r.pulled.entries / s).toFixed(1)} | ${rss} |`;
  return [
    '## Provincial exchange',
    '',
    `Measured by \`npm run bench -- --upstream-only\` ${measured}.`,
    '',
    `${r.pulled.entries.toLocaleString()} rows (one enterprise each, the 20-department bench catalogue), once ` +
      `uploaded as one CSV file to the bulk import and once pulled from the simulated provincial platform as ` +
      `${r.pulled.batches} batch${r.pulled.batches === 1 ? '' : 'es'} of at most 10,000 entries ` +
      `(bench/upstream-simulator.ts), each into its own ` +
      `database on the same Temporal server, one after the other: time from the upload or the pull until ` +
      `every task is in its department inbox.`,
    '',
    '| path | s until every task is in its inbox | listings/s | worker peak RSS MiB |',
    '|---|---:|---:|---:|',
    row('bulk import (POST /office/imports)', r.imported.inboxSeconds, r.imported.workerPeakRssMiB),
    row('pulled from the provincial platform', r.pulled.inboxSeconds, r.pulled.workerPeakRssMiB),
    '',
    `Pulled batches applied (every listing started) after ${r.pulled.appliedSeconds.toFixed(1)} s; ` +
      `the import started every listing after ${r.imported.importSeconds.toFixed(1)} s. ` +
      `Rate of the pull against the import: ${r.ratio.toFixed(2)}.`,
    '',
  ].join('\n');
}
