/**
 * The import workflow on the time-skipping test server with a real mongod: a chunk that fails for good
 * ends the import as failed with the reason, a cancelled import is closed as failed, a long import
 * continues as new and still completes once. The chunk activity is replaced where a test needs it.
 */
import { ApplicationFailure } from '@temporalio/common';
import mongoose from 'mongoose';
import { ImportModel, type ImportDoc } from '../../db/models';
import { importWorkflow, importWorkflowId } from '../../workflows/import';
import { connectTestDb } from '../support/mongo';
import { prepareWorkflowTests, TASK_QUEUE, withWorker } from '../support/workflow-env';

const T0 = '2026-11-02T02:00:00Z';

beforeAll(async () => {
  await connectTestDb('workflow_import');
  await prepareWorkflowTests();
});
afterAll(() => mongoose.disconnect());

/** An import document with no rows left to start (the chunk activity is what the test makes it). */
async function anImport(importId: string): Promise<void> {
  const doc: ImportDoc = {
    _id: importId,
    importId,
    filename: 'x.csv',
    format: 'csv',
    status: 'running',
    createdAt: T0,
    by: '信用办',
    bySub: 'o',
    total: 0,
    valid: 0,
    refused: 0,
    processed: 0,
    created: 0,
    existing: 0,
    refusedRows: [],
    refusedRowsTruncated: false,
  };
  await ImportModel.collection.insertOne(doc as never);
}

const start = (env: Parameters<Parameters<typeof withWorker>[1]>[0], importId: string, extra: object = {}) =>
  env.client.workflow.start(importWorkflow, {
    workflowId: importWorkflowId(importId),
    taskQueue: TASK_QUEUE,
    args: [{ importId, taskQueue: TASK_QUEUE, ...extra }],
  });

it('marks the import failed, with the reason, when a chunk fails for good', async () => {
  const importId = 'I000000000000000000f1';
  await anImport(importId);
  // what the workflow sees once the retries are used up (non-retryable here, to keep the test short)
  const failing = async () => {
    throw ApplicationFailure.nonRetryable('MongoServerSelectionError: connection refused');
  };
  await withWorker(
    T0,
    async (env) => {
      const result = await (await start(env, importId)).result();
      expect(result).toMatchObject({ status: 'failed', processed: 0 });
    },
    { startImportChunk: failing },
  );
  const doc = (await ImportModel.findById(importId).lean())!;
  expect(doc.status).toBe('failed');
  expect(doc.error).toBe(
    '导入中断：启动名单流程多次失败（MongoServerSelectionError: connection refused）。已启动的行不受影响；排除故障后重新上传同一文件即可继续（已存在的条目不会重复创建）',
  );
  expect(doc.finishedAt).toBeDefined();
});

it('closes a cancelled import as failed', async () => {
  const importId = 'I000000000000000000c2';
  await anImport(importId);
  const slow = () =>
    new Promise<{ started: number; more: boolean }>((r) => setTimeout(() => r({ started: 0, more: true }), 500));
  await withWorker(
    T0,
    async (env) => {
      const h = await start(env, importId);
      await new Promise((r) => setTimeout(r, 200));
      await h.cancel();
      await expect(h.result()).resolves.toMatchObject({ status: 'failed' });
    },
    { startImportChunk: slow },
  );
  expect((await ImportModel.findById(importId).lean())?.error).toMatch(/^导入已被取消/);
});

it('continues as new on a long import and completes once', async () => {
  const importId = 'I000000000000000000a3';
  await anImport(importId);
  let chunks = 0;
  const twelve = async () => ({ started: 200, more: ++chunks < 12 });
  await withWorker(
    T0,
    async (env) => {
      const h = await start(env, importId, { continueAsNewAtHistoryLength: 20 });
      await expect(h.result()).resolves.toMatchObject({ status: 'completed' });
      expect((await env.client.workflow.getHandle(h.workflowId, h.firstExecutionRunId).describe()).status.name).toBe(
        'CONTINUED_AS_NEW',
      );
    },
    { startImportChunk: twelve },
  );
  expect(chunks).toBe(12);
  expect(await ImportModel.findById(importId).lean()).toMatchObject({
    status: 'completed',
    finishedAt: expect.any(String),
  });
});
