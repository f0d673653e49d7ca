/** Subjects' records, objections (异议) and credit repairs (信用修复); authority and office decisions. */
import { z } from 'zod';
import { PageQueryFields, pageOf } from '../../domain/pagination';
import {
  CaseKind,
  CaseStatus,
  Extension,
  ObjectionDecision,
  RepairAcceptance,
  RepairDecision,
} from '../../domain/case';
import { CaseId, CreditRecordId, EntryId } from '../../domain/ids';
import { Attachment, RepairApplication, RepairRegime } from '../../domain/repair';
import { addRuleIssue } from '../../domain/rule-issue';
import { text } from '../../domain/text';
import { defineRoute, type AnyRoute } from '../route';
import { EntryIdParams } from '../schemas';
import type { CaseService } from '../services/case-service';
import { CaseView, SubjectRecordView } from '../views/case-views';

const CaseIdParams = z.object({ caseId: CaseId }).strict();
const CasesQuery = z
  .object({
    kind: CaseKind.optional(),
    status: CaseStatus.optional(),
    open: z.enum(['true', 'false']).optional(),
    overdue: z.enum(['true', 'false']).optional(),
    ...PageQueryFields,
  })
  .strict();
const CasePage = pageOf(CaseView);
const EligibilityView = z.strictObject({
  eligible: z.boolean(),
  regime: RepairRegime,
  regimeLabel: z.string(),
  earliestDate: z.string().optional(),
  refusals: z.array(z.strictObject({ rule: z.string(), message: z.string(), source: z.string() })),
});

const ObjectionBody = z
  .object({
    entryId: EntryId.optional().describe('名单条目编号（对名单条目提出异议时）'),
    recordId: CreditRecordId.optional().describe('信用记录编号（对信用档案中的一条记录提出异议时）'),
    reason: text({ min: 5, max: 5000, tooShort: '请说明异议理由（至少5个字）' }),
    evidence: z.array(Attachment).max(20).default([]),
  })
  .strict()
  .superRefine((b, ctx) => {
    if ((b.entryId === undefined) === (b.recordId === undefined))
      addRuleIssue(
        ctx,
        [b.entryId === undefined ? 'entryId' : 'recordId'],
        '请指定异议的对象：entryId（名单条目）或 recordId（信用记录），二者选一',
      );
  });
const ExtensionBody = Extension;
const ObjectionDecisionBody = ObjectionDecision;
const AcceptanceBody = RepairAcceptance;
const RepairDecisionBody = RepairDecision;

const bool = (v?: string) => (v === undefined ? undefined : v === 'true');

export function caseRoutes(svc: CaseService): AnyRoute[] {
  const subject = '信用主体';
  const authority = '认定单位';
  const office = '信用办';
  return [
    defineRoute({
      method: 'get',
      path: '/subjects/me/records',
      tag: subject,
      roles: ['subject'],
      summary: '我的红黑名单记录（含异议标记与办理中的案件）',
      response: z.array(SubjectRecordView),
      handler: ({ req }) => svc.records(req.principal!.subjectId!),
    }),
    defineRoute({
      method: 'get',
      path: '/subjects/me/records/:entryId/repair-eligibility',
      tag: subject,
      roles: ['subject'],
      summary: '能否申请信用修复（说明依据的规则）',
      params: EntryIdParams,
      response: EligibilityView,
      errors: [404],
      handler: ({ params, req }) => svc.eligibility(req.principal!.subjectId!, params.entryId),
    }),
    defineRoute({
      method: 'post',
      path: '/subjects/me/objections',
      tag: subject,
      roles: ['subject'],
      summary: '对记录提出异议：名单条目（entryId）或信用档案中的一条信用记录（recordId）；记录立即标注“异议处理中”',
      body: ObjectionBody,
      response: CaseView,
      status: 201,
      errors: [404, 409],
      audit: { action: 'objection.file', target: (_i, r) => ({ kind: 'case', id: (r as { caseId: string }).caseId }) },
      handler: async ({ body, req }) => ({ status: 201, body: await svc.fileObjection(req.principal!, body) }),
    }),
    defineRoute({
      method: 'post',
      path: '/subjects/me/repairs',
      tag: subject,
      roles: ['subject'],
      summary: '申请信用修复（信用承诺书 + 履约证明）',
      body: RepairApplication,
      response: CaseView,
      status: 201,
      errors: [404, 409, 422],
      audit: { action: 'repair.apply', target: (_i, r) => ({ kind: 'case', id: (r as { caseId: string }).caseId }) },
      handler: async ({ body, req }) => ({ status: 201, body: await svc.applyRepair(req.principal!, body) }),
    }),
    defineRoute({
      method: 'get',
      path: '/subjects/me/cases',
      tag: subject,
      roles: ['subject'],
      summary: '我的异议与修复申请及进度',
      query: CasesQuery,
      response: CasePage,
      handler: ({ query, req }) =>
        svc.cases({
          subjectId: req.principal!.subjectId!,
          kind: query.kind,
          status: query.status,
          open: bool(query.open),
          page: query,
        }),
    }),
    defineRoute({
      method: 'get',
      path: '/subjects/me/cases/:caseId',
      tag: subject,
      roles: ['subject'],
      summary: '案件详情与时间线',
      params: CaseIdParams,
      response: CaseView,
      errors: [404],
      handler: ({ params, req }) => svc.caseOf(params.caseId, (c) => c.subjectId === req.principal!.subjectId),
    }),

    defineRoute({
      method: 'get',
      path: '/authority/cases',
      tag: authority,
      roles: ['authority'],
      summary: '本单位待办的异议与修复（含期限、逾期）',
      query: CasesQuery,
      response: CasePage,
      handler: ({ query, req }) =>
        svc.cases({
          authority: req.principal!.authority!,
          kind: query.kind,
          status: query.status,
          open: bool(query.open),
          page: query,
          overdue: bool(query.overdue),
        }),
    }),
    defineRoute({
      method: 'post',
      path: '/authority/objections/:caseId/extension',
      tag: authority,
      roles: ['authority'],
      summary: '延长异议核查期限（须说明理由，累计有上限）',
      params: CaseIdParams,
      body: ExtensionBody,
      response: CaseView,
      errors: [404, 409],
      audit: {
        action: 'objection.extend',
        target: ({ params }) => ({ kind: 'case', id: params.caseId }),
        before: ({ params }) => svc.caseOf(params.caseId, () => true).catch(() => null),
      },
      handler: ({ params, body, req }) => svc.extendObjection(req.principal!, params.caseId, body),
    }),
    defineRoute({
      method: 'post',
      path: '/authority/objections/:caseId/decision',
      tag: authority,
      roles: ['authority'],
      summary: '异议处理决定：成立（移出或更正）/ 不成立',
      params: CaseIdParams,
      body: ObjectionDecisionBody,
      response: CaseView,
      errors: [404, 409],
      audit: {
        action: 'objection.decide',
        target: ({ params }) => ({ kind: 'case', id: params.caseId }),
        before: ({ params }) => svc.caseOf(params.caseId, () => true).catch(() => null),
      },
      handler: ({ params, body, req }) => svc.decideObjection(req.principal!, params.caseId, body),
    }),
    defineRoute({
      method: 'post',
      path: '/authority/repairs/:caseId/decision',
      tag: authority,
      roles: ['authority'],
      summary: '信用修复审核决定',
      params: CaseIdParams,
      body: RepairDecisionBody,
      response: CaseView,
      errors: [404, 409],
      audit: {
        action: 'repair.decide',
        target: ({ params }) => ({ kind: 'case', id: params.caseId }),
        before: ({ params }) => svc.caseOf(params.caseId, () => true).catch(() => null),
      },
      handler: ({ params, body, req }) => svc.decideRepair(req.principal!, params.caseId, body),
    }),

    defineRoute({
      method: 'get',
      path: '/office/cases',
      tag: office,
      roles: ['office', 'auditor'],
      summary: '全部异议与修复（期限、逾期）',
      query: CasesQuery,
      response: CasePage,
      handler: ({ query }) =>
        svc.cases({
          kind: query.kind,
          status: query.status,
          open: bool(query.open),
          overdue: bool(query.overdue),
          page: query,
        }),
    }),
    defineRoute({
      method: 'post',
      path: '/office/repairs/:caseId/acceptance',
      tag: office,
      roles: ['office'],
      summary: '受理或不予受理信用修复申请',
      params: CaseIdParams,
      body: AcceptanceBody,
      response: CaseView,
      errors: [404, 409],
      audit: {
        action: 'repair.accept',
        target: ({ params }) => ({ kind: 'case', id: params.caseId }),
        before: ({ params }) => svc.caseOf(params.caseId, () => true).catch(() => null),
      },
      handler: ({ params, body, req }) => svc.acceptRepair(req.principal!, params.caseId, body),
    }),
  ];
}
