/**
 * The service exchange with the provincial credit platform (GB/T 39443-2020; docs/upstream-exchange.md):
 * the platform pushes batches and reads their receipts; the office and auditors read every batch.
 */
import { z } from 'zod';
import { FilePackage, UpstreamBatch } from '../../domain/upstream-exchange';
import { PageQuery } from '../../domain/pagination';
import { token } from '../../domain/text';
import { defineRoute, type AnyRoute } from '../route';
import {
  UpstreamBatchList,
  UpstreamBatchView,
  UpstreamFeedbackList,
  UpstreamFeedbackView,
  UpstreamPushView,
} from '../views/upstream-views';
import { FeedbackPeriod } from '../../domain/upstream-feedback';
import type { UpstreamService } from '../services/upstream-service';

const BatchIdParams = z.strictObject({ batchId: token({ max: 64, what: '批次编号' }) });
const FeedbackIdParams = z.strictObject({
  batchId: z.string().regex(/^CZ-FB-\d{8}-\d{8}$/, '反馈批次编号形如 CZ-FB-20260701-20260930'),
});

export function exchangeRoutes(svc: UpstreamService): AnyRoute[] {
  const tag = '上级平台数据交换';
  return [
    defineRoute({
      method: 'post',
      path: '/exchange/upstream/batches',
      tag,
      roles: ['platform'],
      summary:
        '上级平台推送一批名单记录（请求体不超过 1 MiB，约 1,000 条；更大的批次请拆分或由本系统拉取）。' +
        '逐条校验，不合格的记录在回执中列明原因，其余照常处理；同一批次重复推送不重复处理',
      body: UpstreamBatch,
      response: UpstreamPushView,
      status: 202,
      alsoStatus: [200],
      errors: [409, 413],
      audit: {
        action: 'upstream.batch_received',
        target: ({ body }) => ({ kind: 'upstream_batch', id: body.batchId }),
      },
      handler: ({ body }) => svc.push(body),
    }),
    defineRoute({
      method: 'post',
      path: '/exchange/upstream/file-batches',
      tag,
      roles: ['platform'],
      summary:
        '上级平台以文件交换方式推送一批（交换清单与数据文件，每个数据文件为 JSON Lines，一行一条记录；' +
        '请求体不超过 1 MiB）。先按清单核对每个文件（是否随附、SHA-256、条数），不符则整批拒收；其余同批次推送',
      body: FilePackage,
      response: UpstreamPushView,
      status: 202,
      alsoStatus: [200],
      errors: [409, 413],
      audit: {
        action: 'upstream.batch_received',
        target: ({ body }) => ({ kind: 'upstream_batch', id: body.manifest.batchId }),
      },
      handler: ({ body }) => svc.push(body),
    }),
    defineRoute({
      method: 'get',
      path: '/exchange/upstream/batches/:batchId',
      tag,
      roles: ['platform', 'office', 'auditor'],
      summary: '一个批次的处理情况与回执',
      params: BatchIdParams,
      response: UpstreamBatchView,
      errors: [404],
      handler: ({ params }) => svc.get(params.batchId),
    }),
    defineRoute({
      method: 'get',
      path: '/office/upstream/batches',
      tag,
      roles: ['office', 'auditor'],
      summary: '上级平台下发的批次（推送与拉取，最新的在前，分页；第一页给出总数）',
      query: PageQuery,
      response: UpstreamBatchList,
      handler: ({ query }) => svc.list(query),
    }),
    defineRoute({
      method: 'post',
      path: '/office/upstream/feedback-batches',
      tag,
      roles: ['office'],
      summary:
        '向上级平台报送一个期间的执行反馈与核查记录（来自上级平台的名单条目）；每季度初自动报送上一季度，' +
        '此处可补报或提前报送。同一期间只报送一次；被拒收或平台不可用时自动重试',
      body: FeedbackPeriod,
      response: UpstreamFeedbackView,
      status: 202,
      alsoStatus: [200],
      audit: {
        action: 'upstream.feedback_requested',
        target: (_i, r) => ({ kind: 'upstream_feedback', id: (r as { batchId: string }).batchId }),
      },
      handler: ({ body }) => svc.sendFeedback(body),
    }),
    defineRoute({
      method: 'get',
      path: '/office/upstream/feedback-batches',
      tag,
      roles: ['office', 'auditor'],
      summary: '向上级平台报送的反馈批次（最新的在前，分页；第一页给出总数）',
      query: PageQuery,
      response: UpstreamFeedbackList,
      handler: ({ query }) => svc.feedbackBatches(query),
    }),
    defineRoute({
      method: 'get',
      path: '/office/upstream/feedback-batches/:batchId',
      tag,
      roles: ['office', 'auditor'],
      summary: '一个反馈批次的报送情况',
      params: FeedbackIdParams,
      response: UpstreamFeedbackView,
      errors: [404],
      handler: ({ params }) => svc.feedbackBatch(params.batchId),
    }),
  ];
}
