/**
 * Credit records (信用档案): departments deliver and withdraw records as themselves; the credit file is
 * read by the subject itself, by a department handling the subject, and by the office (and auditor).
 */
import { z } from 'zod';
import { CreditRecordBatch, CreditRecordInput, CreditRecordWithdrawal } from '../../domain/credit-record';
import { CreditRecordId } from '../../domain/ids';
import { SubjectIdParam } from '../../domain/subject';
import { versionsOf } from '../../db/credit-records';
import type { Catalogue } from '../../measures/catalogue';
import type { Principal } from '../auth';
import { HttpError } from '../errors';
import { defineRoute, type AnyRoute } from '../route';
import type { CreditFileService } from '../services/credit-file-service';
import type { CreditRecordService, Deliverer } from '../services/credit-record-service';
import {
  CreditFileView,
  DeliveryResultView,
  RecordVersionView,
  toCreditFileView,
  toVersionView,
} from '../views/credit-views';

const BatchResult = z
  .object({
    received: z.number(),
    created: z.number(),
    corrected: z.number(),
    unchanged: z.number(),
    results: z.array(DeliveryResultView),
  })
  .strict();

export function creditRecordRoutes(
  records: CreditRecordService,
  files: CreditFileService,
  catalogue: Catalogue,
): AnyRoute[] {
  const tag = '信用档案';
  const deliverer = (p: Principal): Deliverer => {
    const departmentId = p.departmentId!;
    return {
      departmentId,
      departmentName: catalogue.departments.find((d) => d.id === departmentId)?.name ?? p.name,
      by: p.name,
    };
  };
  return [
    defineRoute({
      method: 'post',
      path: '/departments/me/credit-records',
      tag,
      roles: ['department'],
      summary: '报送一条信用记录（同一记录编号再次报送：内容相同不变，内容不同为更正版本）',
      body: CreditRecordInput,
      response: DeliveryResultView,
      status: 201,
      alsoStatus: [200], // the same record again (unchanged) or a new version of it (corrected)
      errors: [409],
      audit: { action: 'credit_record.deliver', target: (_i, out) => ({ kind: 'credit_record', id: recordIdOf(out) }) },
      handler: async ({ body, req }) => {
        const [r] = await records.deliver(deliverer(req.principal!), [body]);
        return { status: r.result === 'created' ? 201 : 200, body: r };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/departments/me/credit-records/batch',
      tag,
      roles: ['department'],
      summary: '批量报送信用记录（最多1000条；任一条有误则整批不保存，并指出第几条的哪个字段）',
      body: CreditRecordBatch,
      response: BatchResult,
      errors: [409],
      audit: {
        action: 'credit_record.deliver_batch',
        target: ({ body }) => ({ kind: 'credit_record_batch', id: `${body.records.length} records` }),
      },
      handler: async ({ body, req }) => {
        const results = await records.deliver(deliverer(req.principal!), body.records);
        const count = (k: string) => results.filter((r) => r.result === k).length;
        return {
          received: body.records.length,
          created: count('created'),
          corrected: count('corrected'),
          unchanged: count('unchanged'),
          results,
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/departments/me/credit-records/withdrawal',
      tag,
      roles: ['department'],
      summary: '撤回本部门报送的一条信用记录（新增撤回版本，原内容留档）',
      body: CreditRecordWithdrawal,
      response: DeliveryResultView,
      errors: [404],
      audit: {
        action: 'credit_record.withdraw',
        target: (_i, out) => ({ kind: 'credit_record', id: recordIdOf(out) }),
      },
      handler: ({ body, req }) => records.withdraw(deliverer(req.principal!), body.sourceRecordId, body.reason),
    }),
    defineRoute({
      method: 'get',
      path: '/departments/me/credit-files/:subjectId',
      tag,
      roles: ['department'],
      summary: '所办理主体的信用档案（需本部门近期逢办必查核查过该主体）',
      params: z.object({ subjectId: SubjectIdParam }).strict(),
      response: CreditFileView,
      errors: [403],
      handler: async ({ params, req }) => {
        await files.assertDepartmentHandles(req.principal!.departmentId!, params.subjectId);
        return toCreditFileView(await files.fileOf(params.subjectId));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/subjects/me/credit-file',
      tag,
      roles: ['subject'],
      summary: '我的信用档案：公示中的信息与档案（公示期满、已修复等），异议处理中的标注',
      response: CreditFileView,
      handler: async ({ req }) =>
        toCreditFileView(await files.fileOf(req.principal!.subjectId!, { fallbackName: req.principal!.name })),
    }),
    defineRoute({
      method: 'get',
      path: '/office/credit-files/:subjectId',
      tag,
      roles: ['office', 'auditor'],
      summary: '任一主体的信用档案（含来源单位已撤回的记录）',
      params: z.object({ subjectId: SubjectIdParam }).strict(),
      response: CreditFileView,
      handler: async ({ params }) => toCreditFileView(await files.fileOf(params.subjectId, { withWithdrawn: true })),
    }),
    defineRoute({
      method: 'get',
      path: '/office/credit-records/:recordId/versions',
      tag,
      roles: ['office', 'auditor'],
      summary: '一条信用记录的全部版本（报送、更正、撤回）',
      params: z.object({ recordId: CreditRecordId }).strict(),
      response: z.array(RecordVersionView),
      errors: [404],
      handler: async ({ params }) => {
        const versions = await versionsOf(params.recordId);
        if (!versions) throw new HttpError(404, 'not_found', `没有编号为 ${params.recordId} 的信用记录`);
        return versions.map(toVersionView);
      },
    }),
  ];
}

const recordIdOf = (out: unknown) => (out as { recordId?: string } | undefined)?.recordId ?? '';
