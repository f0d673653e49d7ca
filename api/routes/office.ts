/** Credit office (信用办) endpoints: start, read and remove listings; follow department tasks. */
import { z } from 'zod';
import { ListingRequest } from '../../domain/listing';
import { defineRoute, type AnyRoute } from '../route';
import {
  EntryIdParams,
  EventView,
  ListingPage,
  ListingsQuery,
  ListingView,
  RemovalBody,
  StartListingResult,
  OverdueQuery,
  TaskPage,
  TaskView,
} from '../schemas';
import type { ListingService } from '../services/listing-service';
import { scopedRequest, scopeOf } from '../services/listing-scope';

export function officeRoutes(svc: ListingService): AnyRoute[] {
  const tag = '信用办';
  return [
    defineRoute({
      method: 'post',
      path: '/office/listings',
      tag,
      roles: ['office', 'county_office'],
      summary: '列入红/黑名单（启动名单流程；同一决定文书重复提交不重复启动；县级信用办列入本地区主体）',
      body: ListingRequest,
      response: StartListingResult,
      status: 201,
      alsoStatus: [200], // the same decision again: the existing entry
      audit: {
        action: 'listing.create',
        target: (_i, r) => ({ kind: 'listing', id: (r as { entryId: string }).entryId }),
      },
      errors: [403, 422],
      handler: async ({ body, req }) => {
        const r = await svc.start(await scopedRequest(req.principal!, body), req.principal!.name);
        return { status: r.created ? 201 : 200, body: { ...r, listing: await svc.get(r.entryId) } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/office/listings',
      tag,
      roles: ['office', 'auditor', 'county_office'],
      summary: '名单条目列表（最新的在前，分页；第一页给出总数；县级信用办：本地区的）',
      query: ListingsQuery,
      response: ListingPage,
      handler: ({ query, req }) => svc.list(query, scopeOf(req.principal!)),
    }),
    defineRoute({
      method: 'get',
      path: '/office/listings/:entryId',
      tag,
      roles: ['office', 'auditor', 'county_office'],
      summary: '名单条目详情',
      params: EntryIdParams,
      response: ListingView,
      errors: [404],
      handler: ({ params, req }) => svc.get(params.entryId, scopeOf(req.principal!)),
    }),
    defineRoute({
      method: 'get',
      path: '/office/listings/:entryId/tasks',
      tag,
      roles: ['office', 'auditor', 'county_office'],
      summary: '各部门任务进度',
      params: EntryIdParams,
      response: z.array(TaskView),
      errors: [404],
      handler: ({ params, req }) => svc.tasks(params.entryId, scopeOf(req.principal!)),
    }),
    defineRoute({
      method: 'get',
      path: '/office/listings/:entryId/events',
      tag,
      roles: ['office', 'auditor', 'county_office'],
      summary: '名单流程时间线',
      params: EntryIdParams,
      response: z.array(EventView),
      errors: [404],
      handler: ({ params, req }) => svc.events(params.entryId, scopeOf(req.principal!)),
    }),
    defineRoute({
      method: 'post',
      path: '/office/listings/:entryId/removal',
      tag,
      roles: ['office', 'county_office'],
      summary: '移出名单（各部门任务解除措施后返回；县级信用办移出本地区的）',
      params: EntryIdParams,
      body: RemovalBody,
      response: ListingView,
      errors: [404, 409],
      audit: {
        action: 'listing.remove',
        target: ({ params }) => ({ kind: 'listing', id: params.entryId }),
        before: ({ params }) => svc.get(params.entryId).catch(() => null),
      },
      handler: ({ params, body, req }) =>
        svc.remove(params.entryId, req.principal!.name, body.reason, scopeOf(req.principal!)),
    }),
    defineRoute({
      method: 'get',
      path: '/office/tasks/overdue',
      tag,
      roles: ['office', 'auditor'],
      summary: '逾期未签收或未反馈的任务（期限最早的在前，分页；第一页给出总数）',
      query: OverdueQuery,
      response: TaskPage,
      handler: ({ query }) => svc.overdueTasks(query),
    }),
  ];
}
