/**
 * The import workflow (名单批量导入): one execution per uploaded file, id `import-<importId>`. The rows
 * are in MongoDB (stored at upload); the workflow only drives the activity that starts the next chunk
 * of listings until none is left, then closes the import. Thin and deterministic: its history grows by
 * a handful of events per 200 rows, and it continues as new when Temporal suggests it.
 */
import {
  ActivityFailure,
  CancellationScope,
  continueAsNew,
  isCancellation,
  proxyActivities,
} from '@temporalio/workflow';
import type { ImportActivities, ImportCounts } from '../activities/import-activities';
import { RETRY_FOREVER, shouldContinueAsNew } from './common';
export { importWorkflowId } from '../domain/workflow-ids';

export interface ImportInput {
  importId: string;
  /** Task queue of the listing workflows it starts. */
  taskQueue: string;
  /** Tests: continue as new once history reaches this length instead of when the server suggests it. */
  continueAsNewAtHistoryLength?: number;
}

const { startImportChunk } = proxyActivities<ImportActivities>({
  startToCloseTimeout: '10 minutes',
  // a killed worker's chunk is retried within seconds, not at the end of the 10 minutes
  heartbeatTimeout: '20 seconds',
  // transient outages (Temporal, MongoDB) are retried for about half an hour before the import fails
  retry: { ...RETRY_FOREVER, maximumAttempts: 35 },
});
const { finishImport } = proxyActivities<ImportActivities>({
  startToCloseTimeout: '1 minute',
  retry: RETRY_FOREVER,
});

export async function importWorkflow(input: ImportInput): Promise<ImportCounts> {
  try {
    for (;;) {
      const { more } = await startImportChunk({ importId: input.importId, taskQueue: input.taskQueue });
      if (!more) break;
      if (shouldContinueAsNew(input.continueAsNewAtHistoryLength)) return continueAsNew<typeof importWorkflow>(input);
    }
  } catch (e) {
    const error = isCancellation(e)
      ? '导入已被取消：已启动的行不受影响，重新上传同一文件可继续（已存在的条目不会重复创建）'
      : `导入中断：启动名单流程多次失败（${e instanceof ActivityFailure && e.cause ? e.cause.message : (e as Error).message}）。` +
        '已启动的行不受影响；排除故障后重新上传同一文件即可继续（已存在的条目不会重复创建）';
    // the import is closed even when the workflow is being cancelled
    return CancellationScope.nonCancellable(() => finishImport({ importId: input.importId, error }));
  }
  return finishImport({ importId: input.importId });
}
