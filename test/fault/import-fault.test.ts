/**
 * Bulk import under faults on real servers: a worker killed with SIGKILL in the middle of an import of
 * about 2,000 rows and restarted; the Temporal dev server and mongod restarted mid-import. Every valid
 * row must be started exactly once and the counters must be exact (created vs already existing).
 * The listings go to a task queue no worker polls: this test is about the import, and the listing
 * workflows' own fault tolerance is fault.test.ts's.
 */
import type { ChildProcess } from 'node:child_process';
import mongoose from 'mongoose';
import { ImportService } from '../../api/services/import-service';
import { startListing } from '../../api/services/listing-start';
import { connectMongo, ImportModel, ImportRowModel, ListingModel } from '../../db/models';
import { parseImportFile } from '../../domain/import-file';
import { startFaultStack, until, type FaultStack } from '../support/fault-stack';
import { csvFile, row, validRows } from '../support/import-files';

jest.setTimeout(300_000);

const VALID = 2000;
const PARKED = 'import-fault-listings';

let stack: FaultStack;
let imports: ImportService;

beforeAll(async () => {
  stack = await startFaultStack('import-fault');
  await connectMongo(stack.mongoUri());
  imports = new ImportService(stack.client, stack.taskQueue, PARKED);
});

afterAll(async () => {
  await mongoose.disconnect();
  await stack?.stop();
});

/** 2,000 valid rows (the first `existing` of them listed beforehand) and 20 refused ones. */
async function upload(tag: string, existing: number) {
  const good = validRows(VALID, tag);
  const bad = Array.from({ length: 20 }, (_, i) => row({ 主体名称: '', 决定文书号: `${tag}〔坏〕${i}号` }));
  const file = csvFile([...good, ...bad]);
  const parsed = await parseImportFile(file);
  const entryIds = parsed.rows.flatMap((r) => (r.status === 'valid' ? [r.entryId] : []));
  for (const r of parsed.rows.slice(0, existing))
    if (r.status === 'valid') await startListing(stack.client, PARKED, r.request);
  const view = await imports.upload({
    bytes: file,
    filename: `${tag}.csv`,
    contentType: 'text/csv',
    by: { sub: 'o', name: '信用办' },
  });
  expect(view).toMatchObject({ total: VALID + 20, valid: VALID, refused: 20, status: 'running' });
  return { importId: view.importId, entryIds };
}

const progress = async (importId: string) => (await ImportModel.findById(importId).lean())!;

/** Completed, every valid row started once, and the counters exactly as the rows and listings say. */
async function expectExact(importId: string, entryIds: string[], existing: number) {
  await until(async () => (await progress(importId)).status !== 'running');
  expect(await progress(importId)).toMatchObject({
    status: 'completed',
    total: VALID + 20,
    valid: VALID,
    refused: 20,
    processed: VALID,
    created: VALID - existing,
    existing,
  });
  expect(await ImportRowModel.countDocuments({ importId, status: 'valid' })).toBe(0);
  expect(await ImportRowModel.countDocuments({ importId, status: 'started', created: true })).toBe(VALID - existing);
  expect(await ImportRowModel.countDocuments({ importId, status: 'refused' })).toBe(20);
  expect(await ListingModel.countDocuments({ _id: { $in: entryIds } })).toBe(VALID);
  // one listing workflow per row: Temporal's visibility agrees (it may lag a moment behind)
  const ids = new Set(entryIds.map((id) => `listing-${id}`));
  await until(async () => {
    let n = 0;
    for await (const wf of stack.client.workflow.list({
      query: `WorkflowType = 'listingWorkflow' AND TaskQueue = '${PARKED}'`,
    }))
      if (ids.has(wf.workflowId)) n++;
    return n === VALID;
  }, 60_000);
}

it('starts every valid row exactly once when the worker is killed (SIGKILL) mid-import and restarted', async () => {
  const { importId, entryIds } = await upload('kill', 150);
  let worker: ChildProcess = await stack.startWorker();
  await until(async () => (await progress(importId)).processed >= 300, 120_000);
  await stack.stopWorker(worker, 'SIGKILL');
  const atKill = await ImportRowModel.countDocuments({ importId, status: 'started' });
  expect(atKill).toBeLessThan(VALID); // killed in the middle, not after the end
  worker = await stack.startWorker();
  try {
    await expectExact(importId, entryIds, 150);
  } finally {
    await stack.stopWorker(worker, 'SIGTERM');
  }
});

it('starts every valid row exactly once when the Temporal server and mongod restart mid-import', async () => {
  const { importId, entryIds } = await upload('restart', 0);
  const worker = await stack.startWorker();
  try {
    await until(async () => (await progress(importId)).processed >= 200, 120_000);
    expect(await ImportRowModel.countDocuments({ importId, status: 'started' })).toBeLessThan(VALID);
    await stack.restartTemporal();
    await stack.restartMongo();
    await expectExact(importId, entryIds, 0);
  } finally {
    await stack.stopWorker(worker, 'SIGTERM');
  }
});
