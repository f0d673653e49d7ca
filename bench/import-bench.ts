/**
 * Import benchmark (`npm run bench -- --import-only`): a list file of N rows (one enterprise each,
 * matching the 20-department bench catalogue) uploaded through the API; times until the upload is
 * answered, until the import has started every listing, and until every listing's tasks are in the
 * department inboxes.
 */
import type { Server } from 'node:http';
import path from 'node:path';
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
import { BENCH_DEPARTMENTS, benchCatalogue, peakRssMiB, until } from './fanout-bench';
import { startServer, stopServer } from './load';
import type { BenchStack } from './stack';
import { benchUscc } from './subjects';

export interface ImportFigures {
  rows: number;
  /** uploaded one after the other, each under the upload limit */
  files: number;
  uploadSeconds: number;
  importSeconds: number;
  inboxSeconds: number;
  workerPeakRssMiB: number;
}

/** Rows per uploaded file: 20,000 of these rows are about 7.7 MiB, under the upload limit (MAX_UPLOAD_BYTES). */
const ROWS_PER_FILE = 20_000;

/** A list file of `n` rows from row `from` on, one enterprise each, its decision numbers new on every call. */
export function listFile(n: number, from = 0): Buffer {
  const t = importTemplate(cstDate(new Date()));
  const col = (h: string) => t.header.indexOf(h);
  const rows = Array.from({ length: n }, (_, k) => {
    const i = from + k;
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
  const worker = await startServer(
    path.join(__dirname, 'fanout-worker.js'),
    { TEMPORAL_ADDRESS: stack.temporalAddress, MONGODB_URI: mongoUri, XINLIAN_MEASURES_DIR: measuresDir },
    ['xinlian'],
  );
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
  let created = 0;
  try {
    // a file holds at most MAX_UPLOAD_BYTES, so more rows than ROWS_PER_FILE go up as several files, one after
    // the other, as an office would upload them
    const files = Array.from({ length: Math.ceil(n / ROWS_PER_FILE) }, (_, f) =>
      listFile(Math.min(ROWS_PER_FILE, n - f * ROWS_PER_FILE), f * ROWS_PER_FILE),
    );
    const mib = files.reduce((sum, f) => sum + f.length, 0) / 2 ** 20;
    log(`  ${n.toLocaleString()} rows, ${mib.toFixed(1)} MiB of CSV in ${files.length} file(s)`);
    const t0 = Date.now();
    const importIds: string[] = [];
    for (const [f, file] of files.entries()) {
      const res = await fetch(`${base}?filename=bench-${f + 1}.csv`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'text/csv' },
        body: file,
      });
      if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
      importIds.push(((await res.json()) as ImportView).importId);
    }
    const uploadSeconds = (Date.now() - t0) / 1000;
    log(`  every upload answered (rows checked and stored) in ${uploadSeconds.toFixed(1)} s`);
    for (const importId of importIds) {
      let view: ImportView | undefined;
      await until(async () => {
        view = (await (await fetch(`${base}/${importId}`, { headers })).json()) as ImportView;
        return view.status !== 'running';
      }, 3 * 3600_000);
      if (view!.status !== 'completed') throw new Error(`import ended ${view!.status}: ${JSON.stringify(view)}`);
      created += view!.created;
    }
    if (created !== n) throw new Error(`the imports created ${created} listings of ${n}`);
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
    return { rows: n, files: files.length, uploadSeconds, importSeconds, inboxSeconds, workerPeakRssMiB: rss };
  } finally {
    await new Promise((r) => server.close(r));
    await checkLog.close();
    await connection.close();
    await mongoose.disconnect();
    await stopServer(worker);
  }
}
