/** Department (部门) endpoints: inbox, acknowledgement (签收), execution feedback (反馈), outbox pull. */
import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../route';
import {
  AcknowledgeBody,
  FeedbackBody,
  FeedbackView,
  InboxPage,
  InboxQuery,
  OutboxQuery,
  OutboxView,
  TaskIdParams,
  TaskView,
} from '../schemas';
import type { ListingService } from '../services/listing-service';

export function departmentRoutes(svc: ListingService): AnyRoute[] {
  const tag = '部门';
  const dept = (req: { principal?: { departmentId?: string } }) => req.principal!.departmentId!;
  return [
    defineRoute({
      method: 'get',
      path: '/departments/me/inbox',
      tag,
      roles: ['department'],
      summary: '本部门待办任务（最新的在前，分页；第一页给出总数）',
      query: InboxQuery,
      response: InboxPage,
      handler: ({ query, req }) => svc.inbox(dept(req), query),
    }),
    defineRoute({
      method: 'post',
      path: '/departments/me/tasks/:taskId/acknowledgement',
      tag,
      roles: ['department'],
      summary: '签收任务',
      params: TaskIdParams,
      body: AcknowledgeBody,
      response: TaskView,
      errors: [404, 409],
      audit: {
        action: 'task.acknowledge',
        target: ({ params }) => ({ kind: 'task', id: params.taskId }),
        before: ({ params, req }) => svc.taskOf(dept(req), params.taskId).catch(() => null),
      },
      handler: ({ params, body, req }) => svc.acknowledge(dept(req), params.taskId, req.principal!.name, body.note),
    }),
    defineRoute({
      method: 'post',
      path: '/departments/me/tasks/:taskId/feedback',
      tag,
      roles: ['department'],
      summary: '反馈措施执行情况（可多次）',
      params: TaskIdParams,
      body: FeedbackBody,
      response: z.strictObject({ feedbackId: z.string(), task: TaskView }),
      status: 201,
      errors: [404, 409],
      audit: {
        action: 'task.feedback',
        target: ({ params }) => ({ kind: 'task', id: params.taskId }),
        before: ({ params, req }) => svc.taskOf(dept(req), params.taskId).catch(() => null),
      },
      handler: ({ params, body, req }) => svc.feedback(dept(req), params.taskId, { ...body, by: req.principal!.name }),
    }),
    defineRoute({
      method: 'get',
      path: '/departments/me/tasks/:taskId/feedback',
      tag,
      roles: ['department'],
      summary: '本任务的反馈记录',
      params: TaskIdParams,
      response: z.array(FeedbackView),
      errors: [404],
      handler: ({ params, req }) => svc.feedbackOf(dept(req), params.taskId),
    }),
    defineRoute({
      method: 'get',
      path: '/departments/me/outbox',
      tag,
      roles: ['department'],
      summary: '拉取推送给本部门的消息（任务、提醒、解除），after 为上次最后一条消息的 id',
      query: OutboxQuery,
      response: z.array(OutboxView),
      handler: ({ query, req }) => svc.outbox('department', dept(req), query.after, query.limit),
    }),
  ];
}
