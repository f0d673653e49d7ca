/**
 * Authorisations (授权): the subject grants a third party access to its credit reports for a purpose
 * and a period, and can revoke it; the third party obtains reports while an authorisation is valid.
 */
import { z } from 'zod';
import { PageQuery, mapPage, pageOf } from '../../domain/pagination';
import { AuthorisationGrant } from '../../domain/authorisation';
import { refineReportPeriod, reportPeriodWhen } from '../../domain/credit-file';
import { ReportRequest } from '../../domain/credit-report';
import { SubjectIdParam } from '../../domain/subject';
import { defineRoute, type AnyRoute } from '../route';
import type { AuthorisationService } from '../services/authorisation-service';
import type { ReportService } from '../services/report-service';
import { periodOf } from './reports';
import { ReportView, toReportView } from '../views/credit-views';
import { AuthorisationView, toAuthorisationView } from '../views/authorisation-views';

const ThirdPartyReportBody = ReportRequest.extend({ subjectId: SubjectIdParam })
  .strict()
  .superRefine(refineReportPeriod, reportPeriodWhen);

export function authorisationRoutes(auths: AuthorisationService, reports: ReportService): AnyRoute[] {
  const tag = '授权查询';
  return [
    defineRoute({
      method: 'post',
      path: '/subjects/me/authorisations',
      tag,
      roles: ['subject'],
      summary: '授权第三方查询本主体的信用报告（用途、期限、报告种类）',
      body: AuthorisationGrant,
      response: AuthorisationView,
      status: 201,
      audit: {
        action: 'authorisation.grant',
        target: (_i, out) => ({
          kind: 'authorisation',
          id: (out as { authorisationId?: string })?.authorisationId ?? '',
        }),
      },
      handler: async ({ body, req }) =>
        toAuthorisationView(
          await auths.grant({ subjectId: req.principal!.subjectId!, name: req.principal!.name }, body),
        ),
    }),
    defineRoute({
      method: 'get',
      path: '/subjects/me/authorisations',
      tag,
      roles: ['subject'],
      summary: '本主体作出的授权（最新的在前，分页）',
      query: PageQuery,
      response: pageOf(AuthorisationView),
      handler: async ({ query, req }) =>
        mapPage(await auths.ofSubject(req.principal!.subjectId!, query), toAuthorisationView),
    }),
    defineRoute({
      method: 'post',
      path: '/subjects/me/authorisations/:authorisationId/revocation',
      tag,
      roles: ['subject'],
      summary: '撤销一项授权（立即生效）',
      params: z.object({ authorisationId: z.string().regex(/^A[0-9a-f]{20}$/, '授权编号格式不正确') }).strict(),
      response: AuthorisationView,
      errors: [404, 409],
      audit: {
        action: 'authorisation.revoke',
        target: ({ params }) => ({ kind: 'authorisation', id: params.authorisationId }),
      },
      handler: async ({ params, req }) =>
        toAuthorisationView(await auths.revoke(req.principal!.subjectId!, params.authorisationId, req.principal!.name)),
    }),
    defineRoute({
      method: 'get',
      path: '/third-party/authorisations',
      tag,
      roles: ['third_party'],
      summary: '本单位获得的授权（最新的在前，分页）',
      query: PageQuery,
      response: pageOf(AuthorisationView),
      handler: async ({ query, req }) =>
        mapPage(await auths.ofGrantee(req.principal!.subjectId!, query), toAuthorisationView),
    }),
    defineRoute({
      method: 'post',
      path: '/third-party/reports',
      tag,
      roles: ['third_party'],
      summary: '凭主体的有效授权获取其信用报告（无有效授权：403）',
      body: ThirdPartyReportBody,
      response: ReportView,
      status: 201,
      errors: [403],
      handler: async ({ body, req }) => {
        const p = req.principal!;
        const period = periodOf(body);
        const a = await auths.validFor(p.subjectId!, body.subjectId, body.kind);
        const r = await reports.issue({
          subjectId: body.subjectId,
          kind: body.kind,
          period,
          requester: { sub: p.sub, name: p.name, role: p.role, purpose: a.purpose, authorisationId: a.authorisationId },
          fallbackName: a.subjectName,
          requestId: req.requestId,
        });
        return toReportView(r, reports.verifyUrl(r.reportNo));
      },
    }),
  ];
}
