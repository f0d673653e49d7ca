/**
 * The import workflow driving a credit-record file (kind `credit_records`) on the time-skipping test
 * server with a real mongod: the valid rows become records of the uploading department, counters
 * exact; a chunk whose writes landed but whose row updates were lost (a crash between the two) is
 * retried without miscounting a created record as unchanged; the same rows again change nothing.
 */
import { ApplicationFailure } from '@temporalio/common';
import mongoose from 'mongoose';
import { createImportActivities } from '../../activities/import-activities';
import { CreditRecordModel } from '../../db/credit-records';
import { ImportModel, ImportRowModel, type ImportDoc } from '../../db/models';
import { creditRecordIdOf, CreditRecordInput } from '../../domain/credit-record';
import { importWorkflow, importWorkflowId } from '../../workflows/import';
import { connectTestDb } from '../support/mongo';
import { prepareWorkflowTests, TASK_QUEUE, withWorker } from '../support/workflow-env';
import { uscc } from '../support/import-files';

const T0 = '2026-11-02T02:00:00Z';

beforeAll(async () => {
  await connectTestDb('workflow_record_import');
  await prepareWorkflowTests();
});
afterAll(() => mongoose.disconnect());

const record = (i: number, over: Record<string, unknown> = {}) =>
  CreditRecordInput.parse({
    recordClass: 'administrative_penalty',
    sourceRecordId: `WF-${i}`,
    subject: { type: 'enterprise', uscc: uscc(800_000 + i), name: `流程导入企业${i}有限公司` },
    decisionDocument: { number: `沧税罚〔流程〕${i}号`, date: '2026-10-01' },
    title: '未按规定期限办理纳税申报',
    severity: 'general',
    ...over,
  });

/** A credit-record import of the tax bureau with `n` valid rows (lines 2…) and one refused row at the end. */
async function anImport(importId: string, records: CreditRecordInput[]): Promise<void> {
  await ImportRowModel.collection.insertMany([
    ...records.map((r, i) => ({
      _id: `${importId}:${i + 2}`,
      importId,
      line: i + 2,
      status: 'valid',
      record: r,
      recordId: creditRecordIdOf('tax', r.sourceRecordId),
    })),
    { _id: `${importId}:${records.length + 2}`, importId, line: records.length + 2, status: 'refused', reason: 'x' },
  ] as never[]);
  const doc: ImportDoc = {
    _id: importId,
    importId,
    kind: 'credit_records',
    departmentId: 'tax',
    departmentName: '沧州市税务局',
    filename: 'r.csv',
    format: 'csv',
    status: 'running',
    createdAt: T0,
    by: '税务局李四',
    bySub: 't',
    total: records.length + 1,
    valid: records.length,
    refused: 1,
    processed: 0,
    created: 0,
    corrected: 0,
    existing: 0,
    refusedRows: [{ line: records.length + 2, reason: 'x' }],
    refusedRowsTruncated: false,
  };
  await ImportModel.collection.insertOne(doc as never);
}

const run = (importId: string, replace: Parameters<typeof withWorker>[2] = {}) =>
  withWorker(
    T0,
    async (env) => {
      const h = await env.client.workflow.start(importWorkflow, {
        workflowId: importWorkflowId(importId),
        taskQueue: TASK_QUEUE,
        args: [{ importId, taskQueue: TASK_QUEUE }],
      });
      await h.result();
    },
    replace,
  );

it('applies the rows as the department, counts exactly, and a repeat changes nothing', async () => {
  const records = Array.from({ length: 5 }, (_, i) => record(i));
  await anImport('I00000000000000000r01', records);
  await run('I00000000000000000r01');
  expect(await ImportModel.findById('I00000000000000000r01').lean()).toMatchObject({
    status: 'completed',
    total: 6,
    valid: 5,
    refused: 1,
    processed: 5,
    created: 5,
    corrected: 0,
    existing: 0,
  });
  const stored = await CreditRecordModel.find({ sourceRecordId: /^WF-[0-4]$/ }).lean();
  expect(stored.map((d) => [d.sourceRecordId, d.departmentId, d.departmentName, d.version]).sort()).toEqual([
    ['WF-0', 'tax', '沧州市税务局', 1],
    ['WF-1', 'tax', '沧州市税务局', 1],
    ['WF-2', 'tax', '沧州市税务局', 1],
    ['WF-3', 'tax', '沧州市税务局', 1],
    ['WF-4', 'tax', '沧州市税务局', 1],
  ]);

  // the same rows once more, one of them changed
  await anImport('I00000000000000000r02', [...records.slice(0, 4), record(4, { penalty: '罚款人民币一千元' })]);
  await run('I00000000000000000r02');
  expect(await ImportModel.findById('I00000000000000000r02').lean()).toMatchObject({
    status: 'completed',
    processed: 5,
    created: 0,
    corrected: 1,
    existing: 4,
  });
  expect((await CreditRecordModel.findOne({ sourceRecordId: 'WF-4' }).lean())?.version).toBe(2);
  expect((await CreditRecordModel.findOne({ sourceRecordId: 'WF-0' }).lean())?.version).toBe(1);
});

it('counts a record as created when its chunk is retried after the records were written', async () => {
  const importId = 'I00000000000000000r03';
  await anImport(importId, [record(10), record(11), record(12)]);
  const real = createImportActivities(undefined as never).startImportChunk;
  let attempts = 0;
  // the first attempt writes the records, then "crashes" before its row updates count
  const crashOnce = async (input: Parameters<typeof real>[0]) => {
    const out = await real(input);
    if (++attempts === 1) {
      await ImportRowModel.updateMany({ importId, status: 'applied' }, { $set: { status: 'valid' } });
      throw ApplicationFailure.retryable('worker lost');
    }
    return out;
  };
  await run(importId, { startImportChunk: crashOnce });
  expect(attempts).toBeGreaterThanOrEqual(2);
  expect(await ImportModel.findById(importId).lean()).toMatchObject({
    status: 'completed',
    processed: 3,
    created: 3,
    corrected: 0,
    existing: 0,
  });
  expect(await CreditRecordModel.countDocuments({ sourceRecordId: /^WF-1[0-2]$/, version: 1 })).toBe(3);
});
