/** 逢办必查 endpoints for departments: check a subject before handling a matter, then record per measure. */
import { z } from 'zod';
import { PageQueryFields, pageOf } from '../../domain/pagination';
import { CheckOutcome } from '../../domain/check';
import { SubjectIdParam } from '../../domain/subject';
import { text } from '../../domain/text';
import { MatterCode } from '../../domain/vocabulary';
import { defineRoute, type AnyRoute } from '../route';
import { CheckRecordView } from '../views/check-views';
import type { CheckService } from '../services/check-service';

export const CheckAnswer = CheckOutcome.extend({
  checkId: z.string(),
  checkedAt: z.string(),
  subjectId: z.string(),
  departmentId: z.string(),
  matter: z.string(),
}).strict();

const CheckBody = z
  .object({
    subjectId: SubjectIdParam.describe('统一社会信用代码或公民身份号码'),
    matter: MatterCode.describe('办理的行政事项'),
  })
  .strict();
const BatchBody = z
  .object({
    matter: MatterCode,
    subjectIds: z.array(SubjectIdParam).min(1, '至少一个主体').max(1000, '一次最多核查1000个主体'),
  })
  .strict();
const DecisionsBody = z
  .object({
    decisions: z
      .array(
        z
          .object({
            measureId: text({ min: 1, max: 200 }),
            applied: z.boolean(),
            reason: text({ max: 1000 }).optional(),
          })
          .strict(),
      )
      .max(200),
  })
  .strict();
const CheckIdParams = z.strictObject({ checkId: z.uuid('核查编号应为 UUID') }).strict();
const HistoryQuery = z.object({ subjectId: SubjectIdParam.optional(), ...PageQueryFields }).strict();

export function checkRoutes(svc: CheckService): AnyRoute[] {
  const tag = '逢办必查';
  return [
    defineRoute({
      method: 'post',
      path: '/departments/me/checks',
      tag,
      roles: ['department'],
      summary: '办理前核查主体：本部门在该事项上应执行的奖惩措施（每次核查均留痕）',
      body: CheckBody,
      response: CheckAnswer,
      handler: ({ body, req }) => svc.check(req.principal!, body.subjectId, body.matter),
    }),
    defineRoute({
      method: 'post',
      path: '/departments/me/checks/batch',
      tag,
      roles: ['department'],
      summary: '批量核查（最多1000个主体）',
      body: BatchBody,
      response: z.strictObject({
        batchId: z.string(),
        matter: z.string(),
        count: z.number(),
        hits: z.number(),
        results: z.array(CheckAnswer),
      }),
      handler: ({ body, req }) => svc.checkBatch(req.principal!, body.subjectIds, body.matter),
    }),
    defineRoute({
      method: 'post',
      path: '/departments/me/checks/:checkId/decisions',
      tag,
      roles: ['department'],
      summary: '逐项填报措施是否执行；未执行须说明理由（每次核查填报一次）',
      params: CheckIdParams,
      body: DecisionsBody,
      response: CheckRecordView,
      errors: [404, 409],
      audit: { action: 'check.decide', target: ({ params }) => ({ kind: 'check', id: params.checkId }) },
      handler: ({ params, body, req }) => svc.decide(req.principal!, params.checkId, body.decisions),
    }),
    defineRoute({
      method: 'get',
      path: '/departments/me/checks',
      tag,
      roles: ['department'],
      summary: '本部门核查记录（最新的在前，分页；第一页给出总数）',
      query: HistoryQuery,
      response: pageOf(CheckRecordView),
      handler: ({ query, req }) => svc.history(req.principal!, query),
    }),
  ];
}
