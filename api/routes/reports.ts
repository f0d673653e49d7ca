/**
 * Credit reports (信用报告): the subject requests its own; a department requests them for subjects it is
 * handling (one, or every bidder of a tender); the office lists and withdraws; the PDF goes to whoever
 * may see the report; anyone verifies a report number without signing in.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { PageQuery, PageQueryFields, mapPage, pageOf } from '../../domain/pagination';
import { cstDate } from '../../domain/calendar';
import { refineReportPeriod, reportPeriodWhen, reportPeriod } from '../../domain/credit-file';
import { ReportKind, ReportNoParam, ReportRequest } from '../../domain/credit-report';
import { SubjectIdParam } from '../../domain/subject';
import { text } from '../../domain/text';
import type { Principal } from '../auth';
import { defineRoute, RawResponse, type AnyRoute } from '../route';
import type { CreditFileService } from '../services/credit-file-service';
import { STATUS_LABELS, type ReportService } from '../services/report-service';
import { ReportDetailView, ReportView, toReportView } from '../views/credit-views';

const ReportPage = pageOf(ReportView);

const Purpose = text({ min: 2, max: 200 }).describe('用途，如“参加某项目投标”');
// the period's rules (at most 5 years, not in the future, from before to) answer 422 from the schema
const SubjectReportBody = ReportRequest.extend({ purpose: Purpose.optional() })
  .strict()
  .superRefine(refineReportPeriod, reportPeriodWhen);
const DepartmentReportBody = ReportRequest.extend({ subjectId: SubjectIdParam, purpose: Purpose })
  .strict()
  .superRefine(refineReportPeriod, reportPeriodWhen);
const BatchReportBody = z
  .object({
    kind: ReportKind,
    subjectIds: z.array(SubjectIdParam).min(1).max(100).describe('本批主体（如一次招标的全部投标人），最多100个'),
    purpose: Purpose,
    from: ReportRequest.shape.from,
    to: ReportRequest.shape.to,
  })
  .strict()
  .superRefine(refineReportPeriod, reportPeriodWhen);
const ReportNo = z.object({ reportNo: ReportNoParam }).strict();

const VerifyView = z
  .object({
    reportNo: z.string(),
    status: z.enum(['valid', 'withdrawn', 'changed']),
    statusLabel: z.string(),
    kind: z.enum(['public', 'special']),
    kindLabel: z.string(),
    issuedAt: z.string(),
    period: z.object({ from: z.string(), to: z.string() }).strict(),
    subjectName: z.string(),
    sha256: z.string(),
    withdrawnAt: z.string().optional(),
  })
  .strict();

/** The chosen period with its defaults (the body's schema refused a period the rules do not allow). */
export function periodOf(body: { from?: string; to?: string }) {
  const p = reportPeriod(body, cstDate(new Date()));
  if (!p.ok) throw new Error(`report period: ${p.message}`);
  return { from: p.from, to: p.to };
}

const requesterOf = (p: Principal, purpose?: string) => ({
  sub: p.sub,
  name: p.name,
  role: p.role,
  ...(p.departmentId ? { departmentId: p.departmentId } : {}),
  ...(purpose ? { purpose } : {}),
});

export function reportRoutes(reports: ReportService, files: CreditFileService): AnyRoute[] {
  const tag = '信用报告';
  const view = (r: Parameters<typeof toReportView>[0]) => toReportView(r, reports.verifyUrl(r.reportNo));
  return [
    defineRoute({
      method: 'post',
      path: '/subjects/me/reports',
      tag,
      roles: ['subject'],
      summary: '申请本主体的信用报告：special 专项信用报告（无违法违规记录证明版）/ public 公共信用信息报告',
      body: SubjectReportBody,
      response: ReportView,
      status: 201,
      handler: async ({ body, req }) => {
        const p = req.principal!;
        const r = await reports.issue({
          subjectId: p.subjectId!,
          kind: body.kind,
          period: periodOf(body),
          requester: requesterOf(p, body.purpose),
          fallbackName: p.name,
          requestId: req.requestId,
        });
        return view(r);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/subjects/me/reports',
      tag,
      roles: ['subject'],
      summary: '就本主体出具的全部信用报告：谁申请、用途、时间（最新的在前，分页）',
      response: ReportPage,
      query: PageQuery,
      handler: async ({ query, req }) => mapPage(await reports.ofSubject(req.principal!.subjectId!, query), view),
    }),
    defineRoute({
      method: 'post',
      path: '/departments/me/reports',
      tag,
      roles: ['department'],
      summary: '为所办理的主体出具信用报告（需本部门近期逢办必查核查过该主体）',
      body: DepartmentReportBody,
      response: ReportView,
      status: 201,
      errors: [403],
      handler: async ({ body, req }) => {
        const p = req.principal!;
        const period = periodOf(body);
        await files.assertDepartmentHandles(p.departmentId!, body.subjectId);
        return view(
          await reports.issue({
            subjectId: body.subjectId,
            kind: body.kind,
            period,
            requester: requesterOf(p, body.purpose),
            requestId: req.requestId,
          }),
        );
      },
    }),
    defineRoute({
      method: 'post',
      path: '/departments/me/reports/batch',
      tag,
      roles: ['department'],
      summary: '批量出具信用报告（如一次招标的全部投标人，最多100个；每个主体均需近期核查）',
      body: BatchReportBody,
      response: z.object({ batchId: z.string(), reports: z.array(ReportView) }).strict(),
      status: 201,
      errors: [403],
      audit: {
        action: 'credit_report.issue_batch',
        target: (_i, out) => ({ kind: 'credit_report_batch', id: (out as { batchId?: string })?.batchId ?? '' }),
      },
      handler: async ({ body, req }) => {
        const p = req.principal!;
        const period = periodOf(body);
        const subjectIds = [...new Set(body.subjectIds)];
        // every subject is checked before any report is issued: all or none
        for (const s of subjectIds) await files.assertDepartmentHandles(p.departmentId!, s);
        const batchId = `B${randomUUID().replaceAll('-', '').slice(0, 20)}`;
        const out = [];
        for (const subjectId of subjectIds) {
          out.push(
            view(
              await reports.issue({
                subjectId,
                kind: body.kind,
                period,
                requester: requesterOf(p, body.purpose),
                batchId,
                requestId: req.requestId,
              }),
            ),
          );
        }
        return { batchId, reports: out };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/departments/me/reports',
      tag,
      roles: ['department'],
      summary: '本部门出具的信用报告（可按批次）',
      query: z
        .object({
          batchId: z
            .string()
            .regex(/^B[0-9a-f]{20}$/)
            .optional(),
          ...PageQueryFields,
        })
        .strict(),
      response: ReportPage,
      handler: async ({ query, req }) =>
        mapPage(
          await reports.list({ departmentId: req.principal!.departmentId!, batchId: query.batchId }, query),
          view,
        ),
    }),
    defineRoute({
      method: 'get',
      path: '/reports/:reportNo.pdf',
      tag,
      roles: ['subject', 'department', 'office', 'auditor', 'third_party'],
      summary: '信用报告 PDF（申请人、本主体、信用办、审计可取）',
      params: ReportNo,
      response: z.unknown(),
      produces: 'application/pdf',
      errors: [404],
      handler: async ({ params, req }) => {
        const { pdf } = await reports.pdfFor(req.principal!, params.reportNo);
        return new RawResponse('application/pdf', pdf, `${params.reportNo}.pdf`);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/reports/:reportNo',
      tag,
      roles: ['subject', 'department', 'office', 'auditor', 'third_party'],
      summary: '信用报告及其内容（与 PDF 相同）和当前状态',
      params: ReportNo,
      response: ReportDetailView,
      errors: [404],
      handler: async ({ params, req }) => {
        const r = await reports.metaFor(req.principal!, params.reportNo);
        const status = await reports.statusOf(r);
        return { ...view(r), status, statusLabel: STATUS_LABELS[status], content: r.content };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/office/reports',
      tag,
      roles: ['office', 'auditor'],
      summary: '已出具的信用报告（最新的在前，分页，可按主体；第一页给出总数）',
      query: z.object({ subjectId: SubjectIdParam.optional(), ...PageQueryFields }).strict(),
      response: ReportPage,
      handler: async ({ query }) => mapPage(await reports.list({ subjectId: query.subjectId }, query), view),
    }),
    defineRoute({
      method: 'post',
      path: '/office/reports/:reportNo/withdrawal',
      tag,
      roles: ['office'],
      summary: '撤销误出具的信用报告（须说明理由）',
      params: ReportNo,
      body: z.object({ reason: text({ min: 2, max: 500 }).describe('撤销理由') }).strict(),
      response: ReportView,
      errors: [404, 409],
      audit: {
        action: 'credit_report.withdraw',
        target: ({ params }) => ({ kind: 'credit_report', id: params.reportNo }),
      },
      handler: async ({ params, body, req }) =>
        view(await reports.withdraw(params.reportNo, req.principal!.name, body.reason)),
    }),
    defineRoute({
      method: 'get',
      path: '/public/reports/:reportNo',
      tag: '信用公示',
      roles: ['public'],
      summary: '信用报告验证（无需登录）：状态 valid 有效 / withdrawn 已撤销 / changed 内容已变化，及 PDF 的 SHA-256',
      // any string: a malformed number is as unknown as a well-formed one that was never issued
      params: z.object({ reportNo: z.string().max(64) }).strict(),
      response: VerifyView,
      errors: [404],
      handler: ({ params }) => reports.verify(params.reportNo),
    }),
  ];
}
