/**
 * Notices (告知书): the subject's own on its records page (list, PDF, HTML); the office's view of a
 * listing's serving record, each notice's content, its print document (HTML) and PDF; generating the
 * notices of a listing made before notices existed.
 */
import { z } from 'zod';
import { NoticeNoParam } from '../../domain/notice';
import { defineRoute, RawResponse, type AnyRoute } from '../route';
import { EntryIdParams } from '../schemas';
import type { NoticeService } from '../services/notice-service';
import { NOTICE_HTML_CSP } from '../views/notice-html';
import { NoticeDetailView, NoticeServingView, NoticeView } from '../views/notice-views';

const NoticeNo = z.object({ noticeNo: NoticeNoParam }).strict();
/** The offices of every level (a county office sees its own region's listings) and the auditor. */
const OFFICE = ['office', 'auditor', 'county_office'] as const;

export function noticeRoutes(notices: NoticeService): AnyRoute[] {
  const tag = '告知书';
  const pdf = (noticeNo: string, bytes: Buffer) => new RawResponse('application/pdf', bytes, `${noticeNo}.pdf`);
  const html = (body: string) =>
    new RawResponse('text/html; charset=utf-8', body, undefined, { 'Content-Security-Policy': NOTICE_HTML_CSP });
  return [
    defineRoute({
      method: 'get',
      path: '/subjects/me/notices',
      tag,
      roles: ['subject'],
      summary: '送达本主体的告知书（事前告知书、信用修复告知书），最新在前',
      response: z.array(NoticeView),
      handler: ({ req }) => notices.ofSubject(req.principal!.subjectId!),
    }),
    defineRoute({
      method: 'get',
      path: '/subjects/me/notices/:noticeNo.pdf',
      tag,
      roles: ['subject'],
      summary: '下载本主体的告知书 PDF',
      params: NoticeNo,
      response: z.unknown(),
      produces: 'application/pdf',
      errors: [404],
      handler: async ({ params, req }) => pdf(params.noticeNo, await notices.pdf(req.principal!, params.noticeNo)),
    }),
    defineRoute({
      method: 'get',
      path: '/subjects/me/notices/:noticeNo.html',
      tag,
      roles: ['subject'],
      summary: '本主体的告知书（HTML，可打印）',
      params: NoticeNo,
      response: z.unknown(),
      produces: 'text/html',
      errors: [404],
      handler: async ({ params, req }) => html(await notices.html(req.principal!, params.noticeNo)),
    }),
    defineRoute({
      method: 'get',
      path: '/office/listings/:entryId/notices',
      tag,
      roles: [...OFFICE],
      summary: '名单条目的告知书送达记录：送达日期与所送达的告知书（编号、内容 SHA-256）',
      params: EntryIdParams,
      response: NoticeServingView,
      errors: [404],
      handler: ({ params, req }) => notices.servingOf(params.entryId, req.principal!),
    }),
    defineRoute({
      method: 'post',
      path: '/office/listings/:entryId/notices',
      tag,
      roles: ['office'],
      summary: '为告知书功能上线前列入的名单条目补充生成告知书（已有的不变，答 200）',
      params: EntryIdParams,
      response: z.object({ created: z.boolean(), serving: NoticeServingView }).strict(),
      status: 201,
      alsoStatus: [200],
      errors: [404, 409],
      audit: {
        action: 'notice.generate',
        target: ({ params }) => ({ kind: 'listing', id: params.entryId }),
      },
      handler: async ({ params, req }) => {
        const r = await notices.generateFor(params.entryId, req.principal!.name);
        return { status: r.created ? 201 : 200, body: r };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/office/notices/:noticeNo.pdf',
      tag,
      roles: [...OFFICE],
      summary: '告知书 PDF（打印、存档）',
      params: NoticeNo,
      response: z.unknown(),
      produces: 'application/pdf',
      errors: [404],
      handler: async ({ params, req }) => pdf(params.noticeNo, await notices.pdf(req.principal!, params.noticeNo)),
    }),
    defineRoute({
      method: 'get',
      path: '/office/notices/:noticeNo.html',
      tag,
      roles: [...OFFICE],
      summary: '告知书打印页（HTML）',
      params: NoticeNo,
      response: z.unknown(),
      produces: 'text/html',
      errors: [404],
      handler: async ({ params, req }) => html(await notices.html(req.principal!, params.noticeNo)),
    }),
    defineRoute({
      method: 'get',
      path: '/office/notices/:noticeNo',
      tag,
      roles: [...OFFICE],
      summary: '告知书及其内容（与 PDF、打印页相同）',
      params: NoticeNo,
      response: NoticeDetailView,
      errors: [404],
      handler: ({ params, req }) => notices.detail(req.principal!, params.noticeNo),
    }),
  ];
}
