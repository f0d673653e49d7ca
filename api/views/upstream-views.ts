/** What the API answers about a batch from the provincial platform: the stored batch, named for people. */
import { z } from 'zod';
import { pageOf } from '../../domain/pagination';
import { DeliveryStatus, ExchangeReceipt } from '../../domain/upstream-exchange';
import type { UpstreamBatchDoc } from '../../db/upstream-exchange';
import type { FeedbackBatchDoc } from '../../db/upstream-feedback';
import { FeedbackPeriod } from '../../domain/upstream-feedback';

const STATUS_LABELS = { applying: '处理中', applied: '已处理', refused: '整批拒收' } as const;
const DELIVERY_LABELS = { pending: '待发送', sent: '已送达', failed: '发送失败' } as const;

export const UpstreamBatchView = z.strictObject({
  batchId: z.string(),
  sender: z.string(),
  sentAt: z.string(),
  mode: z.enum(['push', 'pull']).describe('push：上级平台推送；pull：按计划拉取'),
  receivedAt: z.string(),
  rows: z.number().int().min(0).describe('记录条数'),
  status: z.enum(['applying', 'applied', 'refused']),
  statusLabel: z.string(),
  appliedAt: z.string().optional(),
  refusal: z.string().optional().describe('整批拒收的原因'),
  receipt: ExchangeReceipt.optional().describe('回执（处理完毕后给出）'),
  receiptDelivery: z
    .strictObject({
      status: DeliveryStatus,
      statusLabel: z.string(),
      attempts: z.number().int().min(0),
      lastError: z.string().optional(),
      sentAt: z.string().optional(),
    })
    .optional()
    .describe('拉取批次的回执回传情况'),
});
export type UpstreamBatchView = z.infer<typeof UpstreamBatchView>;
export const UpstreamBatchList = pageOf(UpstreamBatchView);

/** A push's answer: the batch, and whether this delivery was its first. */
export const UpstreamPushView = z.strictObject({
  repeated: z.boolean().describe('true：同一批次此前已收到，本次未重复处理'),
  batch: UpstreamBatchView,
});

export function toUpstreamBatchView(doc: UpstreamBatchDoc): UpstreamBatchView {
  const { _id, digest: _d, receiptDelivery, ...rest } = doc;
  return {
    batchId: _id,
    ...rest,
    statusLabel: STATUS_LABELS[doc.status],
    ...(receiptDelivery
      ? { receiptDelivery: { ...receiptDelivery, statusLabel: DELIVERY_LABELS[receiptDelivery.status] } }
      : {}),
  };
}

const FEEDBACK_STATUS_LABELS = { pending: '报送中', sent: '已报送', failed: '报送失败' } as const;

/** A feedback batch sent up (one per period). */
export const UpstreamFeedbackView = z.strictObject({
  batchId: z.string(),
  period: FeedbackPeriod,
  createdAt: z.string(),
  status: DeliveryStatus,
  statusLabel: z.string(),
  attempts: z.number().int().min(0),
  feedback: z.number().int().min(0).optional().describe('报送的执行反馈条数'),
  checks: z.number().int().min(0).optional().describe('报送的核查记录条数'),
  lastError: z.string().optional(),
  lastRefusal: z.string().optional().describe('上级平台最近一次拒收的理由（之后会再次报送）'),
  sentAt: z.string().optional(),
});
export const UpstreamFeedbackList = pageOf(UpstreamFeedbackView);

export function toUpstreamFeedbackView(doc: FeedbackBatchDoc): z.infer<typeof UpstreamFeedbackView> {
  const { _id, ...rest } = doc;
  return { batchId: _id, ...rest, statusLabel: FEEDBACK_STATUS_LABELS[doc.status] };
}
