/**
 * Measures list editions (措施清单版本): a department's own drafts and submissions
 * (`/departments/me/editions…`), the office's review, publication and city-wide suspension
 * (`/office/editions…`, `/office/measure-suspensions`), and the difference of two editions for both.
 */
import { z } from 'zod';
import {
  EditionDraft,
  EditionStatus,
  PublicationRequest,
  ReviewRequest,
  SuspensionLiftRequest,
  SuspensionRequest,
} from '../../domain/measure-edition';
import { defineRoute, type AnyRoute } from '../route';
import type { EditionService } from '../services/edition-service';
import {
  EditionDiffView,
  EditionFileView,
  EditionSummaryView,
  EditionView,
  SuspensionLiftView,
  SuspensionView,
  type EditionView as EditionViewT,
} from '../views/edition-views';

const TAG = '措施清单版本';
const Number_ = z.coerce.number().int('版本序号应为正整数').min(1, '版本序号应为正整数').max(100_000);
const OwnParams = z.strictObject({ number: Number_ });
const DeptParams = z.strictObject({
  departmentId: z.string().regex(/^[a-z0-9-]+$/, '部门编码只含小写字母、数字和连字符'),
  number: Number_,
});
const DiffQuery = z.strictObject({ from: Number_, to: Number_ });
const target = (_i: unknown, r: unknown) => ({ kind: 'measure_edition', id: (r as EditionViewT).id });

export function editionRoutes(svc: EditionService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/departments/me/editions',
      tag: TAG,
      roles: ['department'],
      summary: '本部门措施清单的各版本（新版本在前）',
      response: z.array(EditionSummaryView),
      handler: ({ req }) => svc.list({ departmentId: req.principal!.departmentId! }),
    }),
    defineRoute({
      method: 'post',
      path: '/departments/me/editions',
      tag: TAG,
      roles: ['department'],
      summary: '起草新版本：复制本部门现行版本的措施（一次只能有一个未发布的版本）',
      response: EditionView,
      status: 201,
      errors: [409],
      audit: { action: 'edition.draft', target },
      handler: ({ req }) => svc.createDraft(req.principal!),
    }),
    defineRoute({
      method: 'get',
      path: '/departments/me/editions/diff',
      tag: TAG,
      roles: ['department'],
      summary: '本部门两个版本之间的差异：新增、修改、退出的措施',
      query: DiffQuery,
      response: EditionDiffView,
      errors: [400, 404],
      handler: ({ query, req }) => svc.diff(req.principal!.departmentId!, query.from, query.to),
    }),
    defineRoute({
      method: 'get',
      path: '/departments/me/editions/:number',
      tag: TAG,
      roles: ['department'],
      summary: '本部门的一个版本，含全部措施与审核意见',
      params: OwnParams,
      response: EditionView,
      errors: [404],
      handler: ({ params, req }) => svc.view(req.principal!.departmentId!, params.number),
    }),
    defineRoute({
      method: 'put',
      path: '/departments/me/editions/:number',
      tag: TAG,
      roles: ['department'],
      summary: '保存草稿（或退回的版本）：整份措施清单，格式与 measures/data/*.json 相同（也用于导入）',
      params: OwnParams,
      body: EditionDraft,
      response: EditionView,
      errors: [400, 403, 404, 409, 422],
      audit: { action: 'edition.save', target },
      handler: ({ params, body, req }) => svc.saveDraft(req.principal!, params.number, body),
    }),
    defineRoute({
      method: 'post',
      path: '/departments/me/editions/:number/submission',
      tag: TAG,
      roles: ['department'],
      summary: '提交信用办审核',
      params: OwnParams,
      response: EditionView,
      errors: [404, 409, 422],
      audit: { action: 'edition.submit', target },
      handler: ({ params, req }) => svc.submit(req.principal!, params.number),
    }),
    defineRoute({
      method: 'get',
      path: '/departments/me/editions/:number/export',
      tag: TAG,
      roles: ['department'],
      summary: '导出为措施清单文件（JSON，与 measures/data/*.json 格式相同）',
      params: OwnParams,
      response: EditionFileView,
      errors: [404],
      handler: ({ params, req }) => svc.exportFile(req.principal!.departmentId!, params.number),
    }),
    defineRoute({
      method: 'get',
      path: '/office/editions',
      tag: TAG,
      roles: ['office', 'auditor'],
      summary: '各部门措施清单的各版本；可按状态筛选（如 submitted 待审核）',
      query: z.strictObject({ status: EditionStatus.optional(), departmentId: z.string().max(100).optional() }),
      response: z.array(EditionSummaryView),
      handler: ({ query }) => svc.list(query),
    }),
    defineRoute({
      method: 'get',
      path: '/office/editions/:departmentId/diff',
      tag: TAG,
      roles: ['office', 'auditor'],
      summary: '一个部门两个版本之间的差异',
      params: DeptParams.pick({ departmentId: true }),
      query: DiffQuery,
      response: EditionDiffView,
      errors: [400, 404],
      handler: ({ params, query }) => svc.diff(params.departmentId, query.from, query.to),
    }),
    defineRoute({
      method: 'get',
      path: '/office/editions/:departmentId/:number',
      tag: TAG,
      roles: ['office', 'auditor'],
      summary: '一个版本，含全部措施与审核意见',
      params: DeptParams,
      response: EditionView,
      errors: [404],
      handler: ({ params }) => svc.view(params.departmentId, params.number),
    }),
    defineRoute({
      method: 'get',
      path: '/office/editions/:departmentId/:number/export',
      tag: TAG,
      roles: ['office', 'auditor'],
      summary: '导出为措施清单文件（JSON）',
      params: DeptParams,
      response: EditionFileView,
      errors: [404],
      handler: ({ params }) => svc.exportFile(params.departmentId, params.number),
    }),
    defineRoute({
      method: 'post',
      path: '/office/editions/:departmentId/:number/review',
      tag: TAG,
      roles: ['office'],
      summary: '审核：通过，或逐项提出意见退回修改',
      params: DeptParams,
      body: ReviewRequest,
      response: EditionView,
      errors: [400, 404, 409, 422],
      audit: { action: 'edition.review', target },
      handler: ({ params, body, req }) => svc.review(params.departmentId, params.number, body, req.principal!),
    }),
    defineRoute({
      method: 'post',
      path: '/office/editions/:departmentId/:number/publication',
      tag: TAG,
      roles: ['office'],
      summary: '发布：确定生效日期，并决定在办名单条目保持原措施或按新版本重新匹配',
      params: DeptParams,
      body: PublicationRequest,
      response: EditionView,
      errors: [400, 404, 409, 422],
      audit: { action: 'edition.publish', target },
      handler: ({ params, body, req }) => svc.publish(params.departmentId, params.number, body, req.principal!),
    }),
    defineRoute({
      method: 'get',
      path: '/office/measure-suspensions',
      tag: TAG,
      roles: ['office', 'auditor'],
      summary: '全市暂停实施的措施（不当联结）',
      response: z.array(SuspensionView),
      handler: () => svc.suspensions(),
    }),
    defineRoute({
      method: 'post',
      path: '/office/measure-suspensions',
      tag: TAG,
      roles: ['office'],
      summary: '认定措施为不当联结，全市暂停实施，并从所有在办名单条目中解除',
      body: SuspensionRequest,
      response: SuspensionView,
      status: 201,
      errors: [400, 409, 422],
      audit: {
        action: 'measure.suspend',
        target: (_i, r) => ({ kind: 'measure', id: (r as z.infer<typeof SuspensionView>).measureId }),
      },
      handler: ({ body, req }) => svc.suspend(body, req.principal!),
    }),
    defineRoute({
      method: 'post',
      path: '/office/measure-suspensions/:measureId/lifting',
      tag: TAG,
      roles: ['office'],
      summary: '解除暂停：措施恢复实施，仍符合条件的在办名单条目重新获得该措施（说明理由）',
      params: z.strictObject({
        measureId: z
          .string()
          .max(200)
          .regex(/^[a-z0-9-]+\.[a-z0-9-]+$/, '措施编号应为“部门编号.措施代码”，如 tax.no-bid'),
      }),
      body: SuspensionLiftRequest,
      response: SuspensionLiftView,
      errors: [400, 409],
      audit: {
        action: 'measure.unsuspend',
        target: (_i, r) => ({ kind: 'measure', id: (r as z.infer<typeof SuspensionLiftView>).measureId }),
      },
      handler: ({ params, body, req }) => svc.liftSuspension(params.measureId, body, req.principal!),
    }),
  ];
}
