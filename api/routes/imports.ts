/** Bulk import of list files (名单批量导入) for the credit office: upload, progress, refused rows, templates. */
import { z } from 'zod';
import { MAX_FILE_MIB, XLSX_TYPE } from '../../domain/spreadsheet';
import { PageQuery } from '../../domain/pagination';
import { defineRoute, type AnyRoute } from '../route';
import { ImportIdParams, ImportList, ImportUploadQuery, ImportView } from '../schemas';
import type { ImportService } from '../services/import-service';

/** Types a browser or client may declare for a CSV or XLSX file; the file's own bytes decide which it is. */
export const UPLOAD_TYPES = [
  'text/csv',
  'application/csv',
  'application/vnd.ms-excel',
  XLSX_TYPE,
  'application/octet-stream',
];
/** The largest request body of an upload: a CSV's limit (an XLSX has a lower one, checked by the service). */
export const MAX_UPLOAD_BYTES = MAX_FILE_MIB.csv * 2 ** 20;
/** How the limits read in the API document. */
export const UPLOAD_LIMITS = `CSV 最大 ${MAX_FILE_MIB.csv} MiB，XLSX 最大 ${MAX_FILE_MIB.xlsx} MiB`;

export function importRoutes(svc: ImportService): AnyRoute[] {
  const tag = '批量导入';
  const readers: AnyRoute['roles'] = ['office', 'auditor'];
  return [
    defineRoute({
      method: 'post',
      path: '/office/imports',
      tag,
      roles: ['office'],
      summary: `上传名单文件批量列入（CSV 或 XLSX，请求体为文件本身，${UPLOAD_LIMITS}；校验后逐行启动名单流程）`,
      query: ImportUploadQuery,
      rawBody: { types: UPLOAD_TYPES, maxBytes: MAX_UPLOAD_BYTES },
      response: ImportView,
      status: 202,
      errors: [413, 415, 429, 503],
      audit: { action: 'import.create', target: (_i, r) => ({ kind: 'import', id: (r as ImportView).importId }) },
      handler: ({ query, raw, req }) =>
        svc.upload({ bytes: raw!.bytes, contentType: raw!.contentType, filename: query.filename, by: req.principal! }),
    }),
    defineRoute({
      method: 'get',
      path: '/office/imports',
      tag,
      roles: readers,
      summary: '批量导入（最新的在前，分页；第一页给出总数）',
      query: PageQuery,
      response: ImportList,
      handler: ({ query }) => svc.list(query),
    }),
    // the templates come before /:importId, which would otherwise take "template.csv" for an id
    ...(['csv', 'xlsx'] as const).map((format) =>
      defineRoute({
        method: 'get',
        path: `/office/imports/template.${format}`,
        tag,
        roles: readers,
        summary: `导入模板（${format.toUpperCase()}，含一行示例）`,
        response: z.string(),
        produces: format === 'csv' ? 'text/csv' : XLSX_TYPE,
        handler: () => svc.template(format),
      }),
    ),
    defineRoute({
      method: 'get',
      path: '/office/imports/:importId',
      tag,
      roles: readers,
      summary: '批量导入的进度与结果',
      params: ImportIdParams,
      response: ImportView,
      errors: [404],
      handler: ({ params }) => svc.get(params.importId),
    }),
    defineRoute({
      method: 'get',
      path: '/office/imports/:importId/refused.csv',
      tag,
      roles: readers,
      summary: '全部被拒绝的行（CSV：行号、字段、原因）',
      params: ImportIdParams,
      response: z.string(),
      produces: 'text/csv',
      errors: [404],
      handler: ({ params }) => svc.refusedCsv(params.importId),
    }),
  ];
}
