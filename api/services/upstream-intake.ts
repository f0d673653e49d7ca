/**
 * Taking in a batch from the provincial platform, one code path for both exchange modes (the push routes
 * and the pull activity) and both forms (a batch, or a file delivery: manifest and data files, each file
 * checked against the manifest first): the envelope checked, its digest compared, every row read through the field
 * mapping (a refused row is stored with its reason, the others to apply), the batch and its rows stored
 * once by the batch id, and the batch's workflow started (idempotent by its id) to apply the rows.
 */
import { WorkflowIdConflictPolicy, type Client } from '@temporalio/client';
import {
  batchOfFiles,
  entriesDigest,
  FilePackage,
  readUpstreamRow,
  reasonOf,
  UpstreamBatch,
  type FieldMapping,
} from '../../domain/upstream-exchange';
import { upstreamBatchWorkflowId } from '../../domain/workflow-ids';
import { storeBatch, type ExchangeMode, type UpstreamBatchDoc, type UpstreamRowDoc } from '../../db/upstream-exchange';
import { upstreamBatchWorkflow } from '../../workflows/upstream';

export type Intake =
  /** the envelope is not a batch, or its digest is not its entries': nothing stored */
  | { kind: 'invalid'; message: string }
  /** stored now, or before (a repeated delivery): its rows are applied by its workflow */
  | { kind: 'stored' | 'duplicate'; batch: UpstreamBatchDoc }
  /** the batch id was taken by a batch with other entries: nothing stored */
  | { kind: 'conflict'; batch: UpstreamBatchDoc };

/** Reads a batch's rows: each entry mapped and checked, a refused one done at once with its reason. */
export function rowsOf(batch: UpstreamBatch, mapping: FieldMapping): UpstreamRowDoc[] {
  return batch.entries.map((raw, index) => {
    const read = readUpstreamRow(raw, mapping);
    const base = { _id: `${batch.batchId}:${index}`, batchId: batch.batchId, index };
    if (!read.ok)
      return {
        ...base,
        ...(read.upstreamRecordId ? { upstreamRecordId: read.upstreamRecordId } : {}),
        status: 'done',
        result: 'refused',
        reason: read.reason,
      };
    return { ...base, upstreamRecordId: read.entry.upstreamRecordId, status: 'pending', entry: read.entry };
  });
}

export async function takeInBatch(
  deps: { client: Client; taskQueue: string; mapping: FieldMapping },
  raw: unknown,
  mode: ExchangeMode,
  now = new Date(),
): Promise<Intake> {
  // a file exchange delivery: its files checked against the manifest, then its entries are the batch
  if (typeof raw === 'object' && raw !== null && 'manifest' in raw) {
    const pkg = FilePackage.safeParse(raw);
    if (!pkg.success) return { kind: 'invalid', message: reasonOf(pkg.error) };
    const files = batchOfFiles(pkg.data);
    if (!files.ok) return { kind: 'invalid', message: files.reason };
    raw = files.batch;
  }
  const parsed = UpstreamBatch.safeParse(raw);
  if (!parsed.success) return { kind: 'invalid', message: reasonOf(parsed.error) };
  const batch = parsed.data;
  const digest = entriesDigest(batch.entries);
  if (batch.sha256 && batch.sha256 !== digest)
    return {
      kind: 'invalid',
      message: `批次 ${batch.batchId} 的校验值不符：sha256 为 ${batch.sha256}，记录计算得 ${digest}；整批未接收，请核对后重新发送`,
    };
  const rows = rowsOf(batch, deps.mapping);
  const doc: UpstreamBatchDoc = {
    _id: batch.batchId,
    sender: batch.sender,
    sentAt: batch.sentAt,
    mode,
    receivedAt: now.toISOString(),
    digest,
    rows: rows.length,
    status: 'applying',
  };
  const stored = await storeBatch(doc, rows);
  const kept = stored.stored ? doc : stored.existing;
  if (kept.digest !== digest) return { kind: 'conflict', batch: kept };
  // started on every delivery, so a batch stored by a delivery that died before this line is applied too
  if (kept.status === 'applying')
    await deps.client.workflow.start(upstreamBatchWorkflow, {
      workflowId: upstreamBatchWorkflowId(batch.batchId),
      taskQueue: deps.taskQueue,
      args: [{ batchId: batch.batchId, taskQueue: deps.taskQueue }],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    });
  return { kind: stored.stored ? 'stored' : 'duplicate', batch: kept };
}
