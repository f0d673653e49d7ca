/**
 * Controlled vocabularies of the domain: list kinds, categories, severities, subject types and the
 * 11 application areas of the Cangzhou measures document. Codes are stable English identifiers;
 * labels are what people read.
 */
import { z } from 'zod';

export const LIST_KINDS = ['red', 'black'] as const;
export const ListKind = z.enum(LIST_KINDS);
export type ListKind = z.infer<typeof ListKind>;
export const LIST_KIND_LABELS: Record<ListKind, string> = { red: '红名单', black: '黑名单' };

export const SEVERITIES = ['minor', 'general', 'serious'] as const;
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;
export const SEVERITY_LABELS: Record<Severity, string> = { minor: '轻微', general: '一般', serious: '严重' };

export const SUBJECT_TYPES = ['enterprise', 'individual', 'other_org'] as const;
export const SubjectType = z.enum(SUBJECT_TYPES);
export type SubjectType = z.infer<typeof SubjectType>;
export const SUBJECT_TYPE_LABELS: Record<SubjectType, string> = {
  enterprise: '企业',
  individual: '自然人',
  other_org: '其他组织',
};

/** List categories: which red or black list an entry belongs to. */
export const CATEGORIES = {
  // black lists (失信)
  dishonest_judgment_debtor: { kind: 'black', label: '失信被执行人' },
  major_tax_violation: { kind: 'black', label: '重大税收违法失信主体' },
  procurement_serious_violation: { kind: 'black', label: '政府采购严重违法失信行为记录名单' },
  wage_arrears: { kind: 'black', label: '拖欠农民工工资失信联合惩戒对象名单' },
  market_serious_violation: { kind: 'black', label: '市场监督管理严重违法失信名单' },
  work_safety_serious: { kind: 'black', label: '安全生产严重失信主体名单' },
  environmental_serious: { kind: 'black', label: '生态环境领域严重失信主体名单' },
  construction_market_black: { kind: 'black', label: '建筑市场主体黑名单' },
  // red lists (守信)
  tax_a_level: { kind: 'red', label: '纳税信用A级纳税人' },
  customs_aeo: { kind: 'red', label: '海关高级认证企业' },
  contract_abiding: { kind: 'red', label: '守合同重信用企业' },
  integrity_model: { kind: 'red', label: '诚信典型' },
} as const satisfies Record<string, { kind: ListKind; label: string }>;
export type Category = keyof typeof CATEGORIES;
export const CATEGORY_CODES = Object.keys(CATEGORIES) as [Category, ...Category[]];
export const CategoryCode = z.enum(CATEGORY_CODES);

/** The 11 application areas (应用领域) of the source document. */
export const AREAS = {
  government_procurement: '政府采购',
  land_use_rights: '国有土地使用权出让',
  construction_bidding: '工程建设招投标',
  state_asset_transfer: '国有产权交易',
  fiscal_subsidy: '财政性资金补助',
  tax_incentive: '税收优惠',
  awards_ratings: '评先评优',
  qualification_review: '资质资格审核',
  public_resource_allocation: '公共资源配置',
  civil_service_hiring: '公务员及事业单位招录',
  other: '其他',
} as const;
export type Area = keyof typeof AREAS;
export const AREA_CODES = Object.keys(AREAS) as [Area, ...Area[]];
export const AreaCode = z.enum(AREA_CODES);

/**
 * An administrative matter is an area code, optionally refined: `construction_bidding.bid_award`.
 * A measure that lists an area applies to every finer matter inside it.
 */
export const MatterCode = z
  .string()
  .regex(
    /^[a-z_]+(\.[a-z0-9_]+)*$/,
    '事项编码格式应为“领域编码”或“领域编码.细分事项”，如 construction_bidding.bid_award',
  )
  // a pattern rather than a refinement, so that the OpenAPI document says it too
  .regex(new RegExp(`^(?:${AREA_CODES.join('|')})(?:\\.|$)`), `事项编码须以以下领域之一开头：${AREA_CODES.join(', ')}`);

export function matterArea(matter: string): Area {
  return matter.split('.')[0] as Area;
}
