/**
 * A credit-record file import under faults on real servers: the worker (from dist/) killed with SIGKILL
 * in the middle of an import of 20,000 records and restarted. Every valid row must be applied exactly
 * once, each record stored once at version 1, and the counters exact (created vs already there).
 */
import type { ChildProcess } from 'node:child_process';
import mongoose from 'mongoose';
import { ImportService } from '../../api/services/import-service';
import { CreditRecordService } from '../../api/services/credit-record-service';
import { CreditRecordModel } from '../../db/credit-records';
import { connectMongo, ImportModel, ImportRowModel } from '../../db/models';
import { toCsvText } from '../../domain/csv';
import { parseCreditRecordFile, recordTemplate } from '../../domain/credit-record-file';
import { startFaultStack, until, type FaultStack } from '../support/fault-stack';
import { daysFromToday, today } from '../support/fixtures';
import { uscc } from '../support/import-files';

jest.setTimeout(300_000);

const VALID = 20_000;
const EXISTING = 1_500;
const TAX = { departmentId: 'tax', departmentName: '沧州市税务局' };

let stack: FaultStack;
let imports: ImportService;

beforeAll(async () => {
  stack = await startFaultStack('record-import-fault');
  await connectMongo(stack.mongoUri());
  imports = new ImportService(stack.client, stack.taskQueue);
});

afterAll(async () => {
  await mongoose.disconnect();
  await stack?.stop();
});

function recordFile(): Buffer {
  const t = recordTemplate(today, TAX.departmentName);
  const col = (h: string) => t.header.indexOf(h);
  const rows = Array.from({ length: VALID + 10 }, (_, i) => {
    const r = [...t.example];
    r[col('记录编号')] = `FAULT-${i}`;
    r[col('主体名称')] = `故障导入企业${i % 500}有限公司`;
    r[col('统一社会信用代码/身份证号')] = uscc(600_000 + (i % 500));
    r[col('决定文书号')] = `沧税罚〔故障〕${i}号`;
    r[col('决定日期')] = daysFromToday(-30);
    if (i >= VALID) r[col('主体名称')] = ''; // 10 refused rows at the end
    return r;
  });
  return Buffer.from(toCsvText(t.header, rows));
}

const progress = async (importId: string) => (await ImportModel.findById(importId).lean())!;

it('applies every valid row exactly once when the worker is killed (SIGKILL) mid-import and restarted', async () => {
  const file = recordFile();
  // the first rows' records are there already (delivered through the API before)
  const parsed = await parseCreditRecordFile(file, {}, TAX);
  const first = parsed.rows.slice(0, EXISTING).flatMap((r) => (r.status === 'valid' ? [r.record] : []));
  for (let i = 0; i < first.length; i += 1000)
    await new CreditRecordService().deliver({ ...TAX, by: '税务局' }, first.slice(i, i + 1000));
  const view = await imports.uploadRecords({
    bytes: file,
    filename: 'fault.csv',
    contentType: 'text/csv',
    by: { sub: 't', name: '税务局李四' },
    department: TAX,
  });
  expect(view).toMatchObject({ total: VALID + 10, valid: VALID, refused: 10, status: 'running' });
  const { importId } = view;

  let worker: ChildProcess = await stack.startWorker();
  await until(async () => (await progress(importId)).processed >= 3000, 120_000);
  await stack.stopWorker(worker, 'SIGKILL');
  expect(await ImportRowModel.countDocuments({ importId, status: 'applied' })).toBeLessThan(VALID);
  worker = await stack.startWorker();
  try {
    await until(async () => (await progress(importId)).status !== 'running', 240_000);
  } finally {
    await stack.stopWorker(worker, 'SIGTERM');
  }
  expect(await progress(importId)).toMatchObject({
    status: 'completed',
    total: VALID + 10,
    valid: VALID,
    refused: 10,
    processed: VALID,
    created: VALID - EXISTING,
    corrected: 0,
    existing: EXISTING,
  });
  expect(await ImportRowModel.countDocuments({ importId, status: 'valid' })).toBe(0);
  expect(await ImportRowModel.countDocuments({ importId, status: 'applied', outcome: 'created' })).toBe(
    VALID - EXISTING,
  );
  expect(await CreditRecordModel.countDocuments({ departmentId: 'tax', sourceRecordId: /^FAULT-/ })).toBe(VALID);
  expect(await CreditRecordModel.countDocuments({ sourceRecordId: /^FAULT-/, version: { $ne: 1 } })).toBe(0);
});
