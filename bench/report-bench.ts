/**
 * Credit report benchmark (`npm run bench -- --reports-only`; also part of the full run):
 * - one report for a subject with 1,000 records, issued by the product (credit file from MongoDB,
 *   content, layout, PDF, SHA-256, the one insert), against rendering the same rows with bare pdfkit
 *   (the same font, one text line per row, no layout) — the ratio and the PDF sizes;
 * - a batch of reports for 100 subjects (10 records each), against 100 bare renders;
 * - record intake: N records in one CSV file through the import path (ImportService.uploadRecords, the
 *   import workflow on a worker process), time until all are visible in the credit files.
 */
import { performance } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import mongoose from 'mongoose';
import PDFDocument from 'pdfkit';
import { connectMongo, ImportModel } from '../db/models';
import { cstDate } from '../domain/calendar';
import { addMonths } from '../domain/calendar';
import { CreditRecordInput } from '../domain/credit-record';
import { CreditFileService } from '../api/services/credit-file-service';
import { CreditRecordService } from '../api/services/credit-record-service';
import { ImportService } from '../api/services/import-service';
import { toCsvText } from '../domain/csv';
import { recordTemplate } from '../domain/credit-record-file';
import { startProductWorker, until } from './fanout-bench';
import { stopServer } from './load';
import { ReportService } from '../api/services/report-service';
import { loadPdfFonts } from '../infra/pdf';
import type { BenchStack } from './stack';
import { benchUscc } from './subjects';

export interface ReportFigures {
  oneRecords: number;
  oneProductMs: number;
  oneBareMs: number;
  oneProductBytes: number;
  oneBareBytes: number;
  batchSubjects: number;
  batchProductMs: number;
  batchBareMs: number;
  batchBytesMean: number;
  intakeRecords: number;
  intakeFileMiB: number;
  intakeUploadSeconds: number;
  intakeSeconds: number;
  rounds: number;
}

const today = () => cstDate(new Date());

function penalties(uscc: string, n: number, tag: string): CreditRecordInput[] {
  const date = addMonths(today(), -2);
  return Array.from({ length: n }, (_, i) =>
    CreditRecordInput.parse({
      recordClass: 'administrative_penalty',
      sourceRecordId: `${tag}-${i}`,
      subject: { type: 'enterprise', uscc, name: `压测企业${tag}有限公司` },
      decisionDocument: { number: `沧税罚〔2026〕${tag}${i}号`, date },
      title: '未按规定期限办理纳税申报和报送纳税资料',
      severity: 'general',
      penalty: `罚款人民币${(i % 9) + 1}千元，责令限期改正`,
      legalBasis: '《中华人民共和国税收征收管理法》第六十二条',
    }),
  );
}

/**
 * The same rows with pdfkit alone: the same font, parsed once as the product does, one line of text per
 * row, pages as pdfkit breaks them.
 */
async function bareRender(rows: string[]): Promise<Buffer> {
  const fonts = loadPdfFonts();
  const doc = new PDFDocument({ size: 'A4', margin: 56 });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
  });
  doc.registerFont('cjk', fonts.regular.font as never);
  doc.font('cjk').fontSize(8.5);
  for (const r of rows) doc.text(r);
  doc.end();
  return done;
}

const rowText = (r: CreditRecordInput) =>
  [
    r.decisionDocument.number,
    r.title,
    'penalty' in r ? r.penalty : '',
    '国家税务总局沧州市税务局',
    r.decisionDocument.date,
  ].join('  ');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function reportBench(
  stack: BenchStack,
  opts: { intake: number; batch: number; rounds: number },
  log: (s: string) => void,
): Promise<ReportFigures> {
  const uri = stack.mongoUri.replace('/xinlian_bench?', '/xinlian_reports?');
  await connectMongo(uri);
  await mongoose.connection.db!.dropDatabase();
  await connectMongo(uri);
  const records = new CreditRecordService();
  const files = new CreditFileService();
  const reports = new ReportService(files, { issuer: '压测出具单位', publicBaseUrl: 'http://127.0.0.1:3000' });
  const who = { departmentId: 'tax', departmentName: '国家税务总局沧州市税务局', by: '压测' };
  const requester = { sub: 'bench', name: '压测', role: 'subject' };
  const period = { from: addMonths(today(), -36), to: today() };
  loadPdfFonts(); // read the font files once, before anything is timed

  // one subject, 1,000 records
  const big = benchUscc(900_000_001);
  const bigRecords = penalties(big, 1000, 'B');
  for (let i = 0; i < bigRecords.length; i += 1000) await records.deliver(who, bigRecords.slice(i, i + 1000));
  await reports.issue({ subjectId: big, kind: 'special', period, requester }); // warm-up
  await bareRender(bigRecords.map(rowText));
  const product: number[] = [];
  const bare: number[] = [];
  let productBytes = 0;
  let bareBytes = 0;
  for (let r = 0; r < opts.rounds; r++) {
    let t = performance.now();
    const issued = await reports.issue({ subjectId: big, kind: 'special', period, requester });
    product.push(performance.now() - t);
    productBytes = issued.size;
    t = performance.now();
    bareBytes = (await bareRender(bigRecords.map(rowText))).length;
    bare.push(performance.now() - t);
  }
  log(`  1 report, 1,000 records: product ${median(product).toFixed(0)} ms, bare pdfkit ${median(bare).toFixed(0)} ms`);

  // a batch: N subjects, 10 records each
  const subjects = Array.from({ length: opts.batch }, (_, i) => benchUscc(910_000_000 + i));
  const perSubject = new Map(subjects.map((s, i) => [s, penalties(s, 10, `S${i}`)]));
  await records.deliver(who, [...perSubject.values()].flat().slice(0, 1000));
  for (let i = 1000; i < opts.batch * 10; i += 1000)
    await records.deliver(who, [...perSubject.values()].flat().slice(i, i + 1000));
  let t = performance.now();
  let bytes = 0;
  for (const s of subjects)
    bytes += (await reports.issue({ subjectId: s, kind: 'special', period, requester, batchId: 'Bbench' })).size;
  const batchProductMs = performance.now() - t;
  t = performance.now();
  for (const s of subjects) await bareRender(perSubject.get(s)!.map(rowText));
  const batchBareMs = performance.now() - t;
  log(
    `  batch of ${opts.batch}: product ${(batchProductMs / 1000).toFixed(1)} ` +
      `s, bare pdfkit ${(batchBareMs / 1000).toFixed(1)} s`,
  );

  // intake: one file of N records for 1,000 subjects, through the import path a department uses
  const intake = await fileIntake(stack, uri, opts.intake, log);
  await mongoose.disconnect();
  return {
    oneRecords: 1000,
    oneProductMs: median(product),
    oneBareMs: median(bare),
    oneProductBytes: productBytes,
    oneBareBytes: bareBytes,
    batchSubjects: opts.batch,
    batchProductMs,
    batchBareMs,
    batchBytesMean: bytes / opts.batch,
    intakeRecords: opts.intake,
    ...intake,
    rounds: opts.rounds,
  };
}

const INTAKE_SUBJECTS = 1000;

/** A CSV of `n` general penalties of the tax bureau, spread over 1,000 subjects. */
function intakeFile(n: number): Buffer {
  const t = recordTemplate(today(), '沧州市税务局');
  const col = (h: string) => t.header.indexOf(h);
  const date = addMonths(today(), -2);
  const rows = Array.from({ length: n }, (_, i) => {
    const r = [...t.example];
    r[col('记录编号')] = `I${i}`;
    r[col('主体名称')] = `压测企业I${i % INTAKE_SUBJECTS}有限公司`;
    r[col('统一社会信用代码/身份证号')] = benchUscc(920_000_000 + (i % INTAKE_SUBJECTS));
    r[col('决定文书号')] = `沧税罚〔2026〕I${i}号`;
    r[col('决定日期')] = date;
    r[col('处罚内容')] = `罚款人民币${(i % 9) + 1}千元，责令限期改正`;
    return r;
  });
  return Buffer.from(toCsvText(t.header, rows));
}

/** Uploads the file, waits for the import to complete, then checks every record is in its subject's file. */
async function fileIntake(
  stack: BenchStack,
  mongoUri: string,
  n: number,
  log: (s: string) => void,
): Promise<Pick<ReportFigures, 'intakeFileMiB' | 'intakeUploadSeconds' | 'intakeSeconds'>> {
  const worker = await startProductWorker({ TEMPORAL_ADDRESS: stack.temporalAddress, MONGODB_URI: mongoUri });
  const connection = await Connection.connect({ address: stack.temporalAddress });
  try {
    const imports = new ImportService(new Client({ connection }), 'bench-xinlian');
    const file = intakeFile(n);
    const t0 = performance.now();
    const view = await imports.uploadRecords({
      bytes: file,
      filename: 'intake.csv',
      contentType: 'text/csv',
      by: { sub: 'bench', name: '压测' },
      department: { departmentId: 'tax', departmentName: '沧州市税务局' },
    });
    const uploadSeconds = (performance.now() - t0) / 1000;
    await until(
      async () => (await ImportModel.findById(view.importId, { status: 1 }).lean())?.status !== 'running',
      3600_000,
    );
    const done = (await ImportModel.findById(view.importId).lean())!;
    if (done.status !== 'completed' || done.created !== n)
      throw new Error(`intake import ended ${done.status}: ${JSON.stringify({ ...done, refusedRows: undefined })}`);
    const files = new CreditFileService();
    let visible = 0;
    for (let s = 0; s < INTAKE_SUBJECTS; s++)
      visible += (await files.fileOf(benchUscc(920_000_000 + s))).items.filter((i) => i.inPublicView).length;
    const seconds = (performance.now() - t0) / 1000;
    if (visible !== n) throw new Error(`intake: ${visible} of ${n} records visible in the credit files`);
    log(
      `  intake of ${n.toLocaleString()} records from one file (${(file.length / 2 ** 20).toFixed(1)} MiB): ` +
        `upload answered in ${uploadSeconds.toFixed(1)} s, ` +
        `all visible in the credit files after ${seconds.toFixed(1)} s`,
    );
    return { intakeFileMiB: file.length / 2 ** 20, intakeUploadSeconds: uploadSeconds, intakeSeconds: seconds };
  } finally {
    await connection.close();
    await stopServer(worker);
  }
}

export function reportSection(f: ReportFigures, measured: string): string {
  const kib = (b: number) => `${(b / 1024).toFixed(0)} KiB`;
  return [
    '## Credit reports',
    '',
    `Measured by \`npm run bench -- --reports-only\` ${measured}.`,
    '',
    'Product = `ReportService.issue`: the credit file from MongoDB, the report content, the ' +
      'layout of `infra/pdf` (tables, header row repeated on each page, QR code, page numbers), ' +
      'the PDF with the Noto Sans CJK subset embedded, its SHA-256 and the one insert of the ' +
      'snapshot. Bare = pdfkit alone with the same font (parsed once, as the product keeps it) ' +
      'writing the same rows as one text line each. The bare time is also the yardstick of the ' +
      "machine's load during the run (it is shared): ratios compare across runs, absolute times do not.",
    '',
    '| case | product | bare pdfkit | ratio | product PDF | bare PDF |',
    '|---|---:|---:|---:|---:|---:|',
    `| 1 report, ${f.oneRecords.toLocaleString()} records ` +
      `(median of ${f.rounds}) | ${f.oneProductMs.toFixed(0)} ms | ` +
      `${f.oneBareMs.toFixed(0)} ms | ${(f.oneProductMs / f.oneBareMs).toFixed(2)} ` +
      `| ${kib(f.oneProductBytes)} | ${kib(f.oneBareBytes)} |`,
    `| batch of ${f.batchSubjects} subjects × 10 records | ${(f.batchProductMs / 1000).toFixed(1)} s | ` +
      `${(f.batchBareMs / 1000).toFixed(1)} s | ` +
      `${(f.batchProductMs / f.batchBareMs).toFixed(2)} | ${kib(f.batchBytesMean)} each | |`,
    '',
    `Record intake: ${f.intakeRecords.toLocaleString()} records for 1,000 subjects in one CSV file ` +
      `(${f.intakeFileMiB.toFixed(1)} MiB, under the 64 MiB CSV limit) through the import service that \`POST ` +
      `/departments/me/credit-records/imports\` calls, without the HTTP transfer (read and checked in a thread, ` +
      `rows stored, the import ` +
      `workflow applying 1,000 rows per activity on a worker process): upload answered after ` +
      `${f.intakeUploadSeconds.toFixed(1)} s, every record visible in its subject's credit file ` +
      `(read back through \`CreditFileService.fileOf\` for all 1,000 subjects) after ` +
      `${f.intakeSeconds.toFixed(1)} s (${(f.intakeRecords / f.intakeSeconds).toFixed(0)} records/s).`,
    '',
  ].join('\n');
}
