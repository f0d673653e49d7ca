/**
 * 信用服务机构名录: the office maintains the directory (create, change, recommend / decline / withdraw,
 * each audited), the public reads the recommended agencies without signing in, departments record the
 * agency reports they used for a matter, and supervision counts those uses per agency and period.
 */
import { z } from 'zod';
import {
  AgencyFields,
  AgencyInput,
  AgencyKind,
  AgencyReportUse,
  AgencyUsccParam,
  RecommendationChange,
  RecommendationStatus,
} from '../../domain/credit-agency';
import { toCsvText } from '../../domain/csv';
import { PageQueryFields, mapPage, pageOf } from '../../domain/pagination';
import type { Catalogue } from '../../measures/catalogue';
import { defineRoute, RawResponse, type AnyRoute } from '../route';
import type { AgencyService } from '../services/agency-service';
import {
  AgencyDetailView,
  AgencyUseView,
  AgencyView,
  PublicAgencyView,
  toAgencyUseView,
  toAgencyView,
  toPublicAgencyView,
} from '../views/agency-views';
import { Period, period } from './supervision';

const Created = <T extends z.ZodType>(view: T) => z.strictObject({ created: z.boolean(), agency: view });
const AgencyFigureView = z.strictObject({
  uscc: z.string(),
  name: z.string(),
  kind: AgencyKind,
  kindLabel: z.string(),
  status: RecommendationStatus,
  statusLabel: z.string(),
  uses: z.number().int().min(0).describe('期间内各部门登记使用其报告的次数'),
  departments: z.number().int().min(0).describe('使用过其报告的部门数'),
  matters: z.number().int().min(0).describe('涉及的事项数'),
});
const Figures = z.strictObject({ from: z.string(), to: z.string(), agencies: z.array(AgencyFigureView) });
const FIGURE_COLUMNS = ['统一社会信用代码', '机构名称', '类别', '推荐状态', '使用次数', '使用部门数', '事项数'];

export function agencyRoutes(agencies: AgencyService, catalogue: Catalogue): AnyRoute[] {
  const tag = '信用服务机构';
  const target = ({ params, body }: { params?: { uscc: string }; body?: object }) => ({
    kind: 'credit_agency',
    id: params?.uscc ?? (body as { uscc?: string } | undefined)?.uscc ?? '',
  });
  const before = async ({ params }: { params: { uscc: string } }) =>
    toAgencyView(await agencies.get(params.uscc)) as unknown;
  return [
    defineRoute({
      method: 'post',
      path: '/office/agencies',
      tag,
      roles: ['office'],
      summary: '登记信用服务机构（同一统一社会信用代码再次提交相同内容：200；内容不同：409）',
      body: AgencyInput,
      response: Created(AgencyView),
      status: 201,
      alsoStatus: [200],
      errors: [409, 422],
      audit: { action: 'agency.create', target },
      handler: async ({ body, req }) => {
        const r = await agencies.create(body, { name: req.principal!.name });
        return { status: r.created ? 201 : 200, body: { created: r.created, agency: toAgencyView(r.agency) } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/office/agencies',
      tag,
      roles: ['office', 'auditor'],
      summary: '信用服务机构名录（全部状态，按名称，分页；可按类别、推荐状态筛选）',
      query: z.strictObject({
        kind: AgencyKind.optional(),
        status: RecommendationStatus.optional().describe('推荐状态'),
        ...PageQueryFields,
      }),
      response: pageOf(AgencyView),
      handler: async ({ query }) =>
        mapPage(await agencies.list({ kind: query.kind, status: query.status }, query), toAgencyView),
    }),
    defineRoute({
      method: 'get',
      path: '/office/agencies/:uscc',
      tag,
      roles: ['office', 'auditor'],
      summary: '一家信用服务机构：登记信息、推荐状态变更记录及其信用档案概要',
      params: AgencyUsccParam,
      response: AgencyDetailView,
      errors: [404],
      handler: async ({ params }) => {
        const d = await agencies.detail(params.uscc);
        return { ...toAgencyView(d.agency), creditFile: d.creditFile };
      },
    }),
    defineRoute({
      method: 'put',
      path: '/office/agencies/:uscc',
      tag,
      roles: ['office'],
      summary: '变更信用服务机构的登记信息（推荐状态另行变更）',
      params: AgencyUsccParam,
      body: AgencyFields,
      response: AgencyView,
      errors: [404, 409, 422],
      audit: { action: 'agency.change', target, before },
      handler: async ({ params, body }) => toAgencyView(await agencies.change(params.uscc, body)),
    }),
    defineRoute({
      method: 'post',
      path: '/office/agencies/:uscc/recommendation',
      tag,
      roles: ['office'],
      summary: '推荐、不予推荐或撤销推荐（须说明理由；每次变更的日期和理由都保留）',
      params: AgencyUsccParam,
      body: RecommendationChange,
      response: AgencyView,
      errors: [404, 409, 422],
      audit: { action: 'agency.recommendation', target, before },
      handler: async ({ params, body, req }) =>
        toAgencyView(await agencies.changeStatus(params.uscc, body, { name: req.principal!.name })),
    }),
    defineRoute({
      method: 'get',
      path: '/public/agencies',
      tag: '信用公示',
      roles: ['public'],
      summary: '信用服务机构推荐名录（无需登录；仅列推荐中的机构，按名称，分页；可按类别筛选）',
      query: z.strictObject({ kind: AgencyKind.optional(), ...PageQueryFields }),
      response: pageOf(PublicAgencyView),
      handler: async ({ query }) => mapPage(await agencies.published(query.kind, query), toPublicAgencyView),
    }),
    defineRoute({
      method: 'post',
      path: '/departments/me/agency-reports',
      tag,
      roles: ['department'],
      summary: '登记本部门在办理事项中使用的第三方信用评价报告（须为名录中推荐的机构；同一报告同一事项再次登记：200）',
      body: AgencyReportUse,
      response: z.strictObject({ created: z.boolean(), use: AgencyUseView }),
      status: 201,
      alsoStatus: [200],
      errors: [409, 422],
      audit: {
        action: 'agency.report_use',
        target: (_i, out) => ({
          kind: 'agency_report_use',
          id: (out as { use?: { useId?: string } })?.use?.useId ?? '',
        }),
      },
      handler: async ({ body, req }) => {
        const p = req.principal!;
        const departmentId = p.departmentId!;
        const departmentName = catalogue.departments.find((d) => d.id === departmentId)?.name ?? p.name;
        const r = await agencies.recordUse({ departmentId, departmentName, by: p.name }, body);
        return { status: r.created ? 201 : 200, body: { created: r.created, use: toAgencyUseView(r.use) } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/departments/me/agency-reports',
      tag,
      roles: ['department'],
      summary: '本部门登记的第三方信用评价报告使用记录（最新的在前，分页）',
      query: z.strictObject({ ...PageQueryFields }),
      response: pageOf(AgencyUseView),
      handler: async ({ query, req }) =>
        mapPage(await agencies.usesOf(req.principal!.departmentId!, query), toAgencyUseView),
    }),
    defineRoute({
      method: 'get',
      path: '/office/supervision/agencies',
      tag: '督查考核',
      roles: ['office', 'auditor'],
      summary: '各信用服务机构报告的使用次数（按使用日期统计期间；format=csv 导出）',
      query: Period,
      response: Figures,
      alsoProduces: ['text/csv'],
      errors: [422],
      handler: async ({ query }) => {
        const { from, to } = period(query);
        const rows = await agencies.figures(from, to);
        if (query.format !== 'csv') return { from, to, agencies: rows };
        const csv = toCsvText(
          FIGURE_COLUMNS,
          rows.map((a) => [a.uscc, a.name, a.kindLabel, a.statusLabel, a.uses, a.departments, a.matters]),
        );
        return new RawResponse('text/csv; charset=utf-8', csv, `agency_uses_${from}_${to}.csv`);
      },
    }),
  ];
}
