/**
 * The provincial platform's side of the exchange as the API serves it: a pushed batch taken in (the
 * service exchange), and the batches with their receipts read back by the platform and the office.
 */
import type { Client } from '@temporalio/client';
import type { FieldMapping } from '../../domain/upstream-exchange';
import { mapPage, type PageRequest } from '../../domain/pagination';
import { findBatch, UpstreamBatchModel, type UpstreamBatchDoc } from '../../db/upstream-exchange';
import { findPage, type SortKey } from '../../db/paging';
import { HttpError, ruleViolation } from '../errors';
import { toUpstreamBatchView, toUpstreamFeedbackView } from '../views/upstream-views';
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { cstDate } from '../../domain/cst';
import { feedbackBatchId, type FeedbackPeriod } from '../../domain/upstream-feedback';
import { FeedbackBatchModel, openFeedbackBatch, type FeedbackBatchDoc } from '../../db/upstream-feedback';
import { upstreamFeedbackWorkflow } from '../../workflows/upstream';
import { takeInBatch } from './upstream-intake';
import { upstreamFeedbackWorkflowId } from '../../domain/workflow-ids';

const NEWEST_FIRST: SortKey[] = [
  { field: 'receivedAt', dir: -1 },
  { field: '_id', dir: -1 },
];

const CREATED_NEWEST_FIRST: SortKey[] = [
  { field: 'createdAt', dir: -1 },
  { field: '_id', dir: -1 },
];

export class UpstreamService {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly mapping: FieldMapping,
  ) {}

  /** Takes in a pushed batch; a repeated delivery answers the batch as first received. */
  async push(body: unknown) {
    const intake = await takeInBatch(
      { client: this.client, taskQueue: this.taskQueue, mapping: this.mapping },
      body,
      'push',
    );
    if (intake.kind === 'invalid') throw new HttpError(422, 'rule_violated', intake.message);
    if (intake.kind === 'conflict')
      throw new HttpError(
        409,
        'conflict',
        `批次编号 ${intake.batch._id} 已用于另一批记录（${intake.batch.receivedAt} 收到）；更正的记录请以新批次编号发送`,
      );
    return {
      status: intake.kind === 'stored' ? 202 : 200,
      body: { repeated: intake.kind === 'duplicate', batch: toUpstreamBatchView(intake.batch) },
    };
  }

  async get(batchId: string) {
    const batch = await findBatch(batchId);
    if (!batch) throw new HttpError(404, 'not_found', `批次 ${batchId} 未收到`);
    return toUpstreamBatchView(batch);
  }

  /** Batches, newest first, a page at a time, with the total on the first page. */
  async list(page: PageRequest) {
    return mapPage(
      await findPage<UpstreamBatchDoc>(UpstreamBatchModel, {}, NEWEST_FIRST, page, { total: true }),
      toUpstreamBatchView,
    );
  }

  /**
   * Sends a period's feedback up now (the quarterly schedule sends the quarter before on its own). The
   * same period again finds its batch: sent once, or still being sent.
   */
  async sendFeedback(period: FeedbackPeriod, now = new Date()) {
    if (period.to > cstDate(now))
      throw ruleViolation('to', [`截止日不能晚于今天（${cstDate(now)}）：未来的反馈尚未发生`]);
    const batchId = feedbackBatchId(period);
    await openFeedbackBatch(batchId, period, now);
    const before = (await FeedbackBatchModel.findById(batchId).lean<FeedbackBatchDoc>())!;
    if (before.status !== 'sent')
      await this.client.workflow.start(upstreamFeedbackWorkflow, {
        workflowId: upstreamFeedbackWorkflowId(batchId),
        taskQueue: this.taskQueue,
        args: [{ period }],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      });
    return { status: before.attempts === 0 ? 202 : 200, body: toUpstreamFeedbackView(before) };
  }

  async feedbackBatch(batchId: string) {
    const doc = await FeedbackBatchModel.findById(batchId).lean<FeedbackBatchDoc>();
    if (!doc) throw new HttpError(404, 'not_found', `反馈批次 ${batchId} 不存在`);
    return toUpstreamFeedbackView(doc);
  }

  /** Feedback batches, newest first, a page at a time, with the total on the first page. */
  async feedbackBatches(page: PageRequest) {
    return mapPage(
      await findPage<FeedbackBatchDoc>(FeedbackBatchModel, {}, CREATED_NEWEST_FIRST, page, { total: true }),
      toUpstreamFeedbackView,
    );
  }
}
