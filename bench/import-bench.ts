/**
 * Import benchmark (`npm run bench -- --import-only`): a list file of N rows (one enterprise each,
 * matching the 20-department bench catalogue) uploaded through the API; times until the upload is
 * answered, until the import has started every listing, and until every listing's tasks are in the
 * department inboxes.
 */
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import mongoose from 'mongoose';
import { createApp } from '../api/app';
import { listen } from '../api/listen';
import { TokenService } from '../api/auth';
import type { ImportView } from '../api/schemas';
import { CheckLog } from '../db/check-log';
import { connectMongo, TaskModel } from '../db/models';
import { cstDate } from '../domain/cst';
import { toCsvText } from '../domain/csv';
import { importTemplate } from '../domain/import-file';
import { loadCatalogue } from '../measures/catalogue';
import { BENCH_DEPARTMENTS, benchCatalogue, peakRssMiB, startProductWorker, until } from './fanout-bench';
import { stopServer } from './load';
import type { BenchStack } from './stack';
import { benchUscc } from './subjects';

export interface ImportFigures {
  rows: number;
  uploadSeconds: number;
  importSeconds: number;
  inboxSeconds: number;
  workerPeakRssMiB: number;
}

/** A list file of `n` rows, one enterprise each, its decision numbers new on every call. */
export function listFile(n: number): Buffer {
  const t = importTemplate(cstDate(new Date()));
  const col = (h: string) => t.header.indexOf(h);
  const rows = Array.from({ length: n }, (_, i) => {
    const r = [...t.example];
    r[col('主体名称')] = `压测企业${i}有限公司`;
    r[col('统一社会信用代码/身份证号')] = benchUscc(i);
    r[col('决定文书号')] = `压测导入〔${Date.now()}〕${i}号`;
    return r;
  });
  return Buffer.from(toCsvText(t.header, rows));
}

export async function importBench(stack: BenchStack, n: number, log: (s: string) => void): Promise<ImportFigures> {
  const measuresDir = benchCatalogue();
  const mongoUri = stack.mongoUri.replace('/xinlian_bench?', '/xinlian_import?');
  const worker = await startProductWorker({
    TEMPORAL_ADDRESS: stack.temporalAddress,
    MONGODB_URI: mongoUri,
    XINLIAN_MEASURES_DIR: measuresDir,
  });
  await connectMongo(mongoUri);
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const tokens = new TokenService('bench-secret-bench-secret-bench-secret');
  const checkLog = new CheckLog().start();
  const app = createApp({
    client: new Client({ connection }),
    taskQueue: 'bench-xinlian',
    catalogue: loadCatalogue(measuresDir),
    tokens,
    checkLog,
    rateLimitPerMinute: 10_000_000,
  });
  const server: Server = await listen(app, 0, '127.0.0.1');
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1/office/imports`;
  const headers = { authorization: `Bearer ${await tokens.issue({ sub: 'bench', name: '压测', role: 'office' })}` };
  try {
    const file = listFile(n);
    log(`  ${n.toLocaleString()} rows, ${(file.length / 2 ** 20).toFixed(1)} MiB of CSV`);
    const t0 = Date.now();
    const res = await fetch(`${base}?filename=bench.csv`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'text/csv' },
      body: file,
    });
    if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
    const uploadSeconds = (Date.now() - t0) / 1000;
    const { importId } = (await res.json()) as ImportView;
    log(`  upload answered (rows checked and stored) in ${uploadSeconds.toFixed(1)} s`);
    let view: ImportView | undefined;
    await until(async () => {
      view = (await (await fetch(`${base}/${importId}`, { headers })).json()) as ImportView;
      return view.status !== 'running';
    }, 3 * 3600_000);
    if (view!.status !== 'completed' || view!.created !== n)
      throw new Error(`import ended ${view!.status}: ${JSON.stringify(view)}`);
    const importSeconds = (Date.now() - t0) / 1000;
    log(
      `  import completed (every listing started) after ` +
        `${importSeconds.toFixed(1)} s (${(n / importSeconds).toFixed(1)} rows/s)`,
    );
    await until(async () => (await TaskModel.estimatedDocumentCount()) >= n * BENCH_DEPARTMENTS, 3 * 3600_000);
    const inboxSeconds = (Date.now() - t0) / 1000;
    const rss = peakRssMiB(worker.pid!);
    log(
      `  every task in its inbox (${(n * BENCH_DEPARTMENTS).toLocaleString()} tasks) after ` +
        `${inboxSeconds.toFixed(1)} s (${(n / inboxSeconds).toFixed(1)} listings/s); worker peak RSS ${rss} MiB`,
    );
    return { rows: n, uploadSeconds, importSeconds, inboxSeconds, workerPeakRssMiB: rss };
  } finally {
    await new Promise((r) => server.close(r));
    await checkLog.close();
    await connection.close();
    await mongoose.disconnect();
    await stopServer(worker);
  }
}
