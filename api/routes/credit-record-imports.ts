/**
 * Credit-record files (信用记录批量报送): a department uploads a CSV or XLSX file of its records, delivered
 * as itself through the import workflow the list files use (progress, refused rows with line and reason,
 * the rest applied; a repeated file changes nothing), and reads its own imports back.
 */
import { z } from 'zod';
import { XLSX_TYPE } from '../../domain/spreadsheet';
import { PageQuery } from '../../domain/pagination';
import type { Catalogue } from '../../measures/catalogue';
import type { Principal } from '../auth';
import { defineRoute, type AnyRoute } from '../route';
import { ImportIdParams, ImportList, ImportUploadQuery, ImportView } from '../schemas';
import type { ImportService } from '../services/import-service';
import { MAX_UPLOAD_BYTES, UPLOAD_LIMITS, UPLOAD_TYPES } from './imports';

export function creditRecordImportRoutes(svc: ImportService, catalogue: Catalogue): AnyRoute[] {
  const tag = '信用档案';
  const base = '/departments/me/credit-records/imports';
  const department = (p: Principal) => ({
    departmentId: p.departmentId!,
    departmentName: catalogue.departments.find((d) => d.id === p.departmentId)?.name ?? p.name,
  });
  const own = (p: Principal) => ({ departmentId: p.departmentId! });
  return [
    defineRoute({
      method: 'post',
      path: base,
      tag,
      roles: ['department'],
      summary:
        `上传信用记录文件批量报送（CSV 或 XLSX，请求体为文件本身，${UPLOAD_LIMITS}；以本部门名义报送，` +
        '同一记录编号内容相同不变、不同为更正版本）',
      query: ImportUploadQuery,
      rawBody: { types: UPLOAD_TYPES, maxBytes: MAX_UPLOAD_BYTES },
      response: ImportView,
      status: 202,
      errors: [413, 415, 429, 503],
      audit: {
        action: 'credit_record.import',
        target: (_i, r) => ({ kind: 'import', id: (r as ImportView).importId }),
      },
      handler: ({ query, raw, req }) =>
        svc.uploadRecords({
          bytes: raw!.bytes,
          contentType: raw!.contentType,
          filename: query.filename,
          by: req.principal!,
          department: department(req.principal!),
        }),
    }),
    defineRoute({
      method: 'get',
      path: base,
      tag,
      roles: ['department'],
      summary: '本部门的信用记录文件导入（最新的在前，分页；第一页给出总数）',
      query: PageQuery,
      response: ImportList,
      handler: ({ query, req }) => svc.list(query, own(req.principal!)),
    }),
    // the templates come before /:importId, which would otherwise take "template.csv" for an id
    ...(['csv', 'xlsx'] as const).map((format) =>
      defineRoute({
        method: 'get',
        path: `${base}/template.${format}`,
        tag,
        roles: ['department'],
        summary: `信用记录导入模板（${format.toUpperCase()}，含一行示例）`,
        response: z.string(),
        produces: format === 'csv' ? 'text/csv' : XLSX_TYPE,
        handler: ({ req }) => svc.recordTemplate(format, department(req.principal!).departmentName),
      }),
    ),
    defineRoute({
      method: 'get',
      path: `${base}/:importId`,
      tag,
      roles: ['department'],
      summary: '本部门一次信用记录文件导入的进度与结果',
      params: ImportIdParams,
      response: ImportView,
      errors: [404],
      handler: ({ params, req }) => svc.get(params.importId, own(req.principal!)),
    }),
    defineRoute({
      method: 'get',
      path: `${base}/:importId/refused.csv`,
      tag,
      roles: ['department'],
      summary: '全部被拒绝的行（CSV：行号、字段、原因）',
      params: ImportIdParams,
      response: z.string(),
      produces: 'text/csv',
      errors: [404],
      handler: ({ params, req }) => svc.refusedCsv(params.importId, own(req.principal!)),
    }),
  ];
}
