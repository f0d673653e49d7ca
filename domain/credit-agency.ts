/**
 * Credit service agencies (信用服务机构名录): the firms that sell credit reporting, rating, consulting and
 * management services, as the office keeps them in its directory. Each is a market subject identified by
 * its USCC, so the same code opens its own credit file (records and listings) everywhere else.
 *
 * A credit reporting firm (征信机构) must have filed with a PBOC branch (企业征信机构备案管理办法, 2016),
 * and its filing number is part of its entry. The recommendation status changes only by the transitions
 * below, each with its decision date and reason, kept in order as the entry's history. Pure: no I/O.
 */
import { z } from 'zod';
import { cstDate } from './calendar';
import { CivilDate } from './dates';
import { MatterCode } from './vocabulary';
import { addRuleIssue } from './rule-issue';
import { Subject, SubjectIdParam } from './subject';
import { text } from './text';

export const AGENCY_KINDS = {
  credit_reporting: '征信',
  credit_rating: '信用评级',
  credit_consulting: '信用咨询',
  credit_management: '信用管理',
  other: '其他',
} as const;
export type AgencyKind = keyof typeof AGENCY_KINDS;
export const AgencyKind = z.enum(Object.keys(AGENCY_KINDS) as [AgencyKind, ...AgencyKind[]]).describe(
  `机构类别：${Object.entries(AGENCY_KINDS)
    .map(([k, v]) => `${k} ${v}`)
    .join(' / ')}`,
);

export const RECOMMENDATION_STATUSES = {
  pending: '待评审',
  recommended: '推荐',
  not_recommended: '不予推荐',
  withdrawn: '撤销推荐',
} as const;
export type RecommendationStatus = keyof typeof RECOMMENDATION_STATUSES;
export const RecommendationStatus = z.enum(
  Object.keys(RECOMMENDATION_STATUSES) as [RecommendationStatus, ...RecommendationStatus[]],
);

/** Which status may follow which (pending is only the status of a new entry). */
const TRANSITIONS: Record<RecommendationStatus, RecommendationStatus[]> = {
  pending: ['recommended', 'not_recommended'],
  recommended: ['withdrawn'],
  not_recommended: ['recommended'],
  withdrawn: ['recommended'],
};

const uscc = Subject.options[0].shape.uscc;
const Name = text({ min: 2, max: 100, tooShort: '名称至少2个字' });

const Filing = z
  .strictObject({
    authority: z
      .string()
      .regex(
        /^中国人民银行[\u4e00-\u9fff（）()]{2,40}$/,
        '备案机关应为中国人民银行的分支机构，如“中国人民银行河北省分行”',
      )
      .describe('备案机关（中国人民银行分支机构）'),
    number: z
      .string()
      .regex(/^[0-9A-Za-z\u4e00-\u9fff（）()〔〕-]{2,50}$/, '备案号应为2–50个字符（汉字、字母、数字、括号或连字符）')
      .describe('备案号（企业征信机构备案证书编号）'),
  })
  .describe('企业征信机构备案：征信机构必填');

const Contact = z.strictObject({
  person: text({ min: 1, max: 50 }).optional().describe('联系人'),
  phone: z
    .string()
    .regex(/^[0-9][0-9-]{4,19}$/, '联系电话应为5–20位数字，可含连字符，如 0317-2021234')
    .describe('联系电话'),
  address: text({ min: 1, max: 200 }).optional().describe('地址'),
});

/** What the office states about an agency (everything but its USCC and recommendation status). */
const AgencyFieldsShape = {
  name: Name.describe('机构名称'),
  subjectType: z.enum(['enterprise', 'other_org']).default('enterprise').describe('主体类型：企业 / 其他组织'),
  kind: AgencyKind,
  filing: Filing.optional(),
  services: z
    .array(text({ min: 1, max: 200 }))
    .min(1, '至少填写一项服务内容')
    .max(20, '服务内容最多20项')
    .describe('服务内容'),
  contact: Contact.describe('联系方式'),
};

const filingRule = (a: { kind: AgencyKind; filing?: unknown }, ctx: z.RefinementCtx) => {
  if (a.kind === 'credit_reporting' && !a.filing)
    addRuleIssue(ctx, ['filing'], '征信机构须填写企业征信机构备案的备案机关（中国人民银行分支机构）和备案号');
};
const rulesWhen = { when: (p: { issues: unknown[] }) => p.issues.length === 0 };

export const AgencyFields = z.strictObject(AgencyFieldsShape).superRefine(filingRule, rulesWhen);
export type AgencyFields = z.infer<typeof AgencyFields>;

export const AgencyInput = z
  .strictObject({ uscc: uscc.describe('统一社会信用代码'), ...AgencyFieldsShape })
  .superRefine(filingRule, rulesWhen);
export type AgencyInput = z.infer<typeof AgencyInput>;

export const AgencyUsccParam = z.strictObject({ uscc: uscc.describe('机构的统一社会信用代码') });

/** A change of recommendation status, decided on a day (not after today) for a reason. */
export const RecommendationChange = z
  .strictObject({
    status: RecommendationStatus.exclude(['pending']).describe(
      '新状态：recommended 推荐 / not_recommended 不予推荐 / withdrawn 撤销推荐',
    ),
    reason: text({ min: 2, max: 500, tooShort: '理由至少2个字' }).describe('理由'),
    decidedOn: CivilDate.optional().describe('决定日期（缺省为今天，不能晚于今天）'),
  })
  .superRefine((c, ctx) => {
    if (c.decidedOn && c.decidedOn > cstDate(new Date())) addRuleIssue(ctx, ['decidedOn'], '决定日期不能晚于今天');
  }, rulesWhen);
export type RecommendationChange = z.infer<typeof RecommendationChange>;

export interface StatusChange {
  status: RecommendationStatus;
  previous?: RecommendationStatus;
  decidedOn: string;
  reason: string;
  by: string;
  at: string;
}

/** Why a change may not follow the current status and history, or undefined when it may. */
export function refuseChange(
  current: RecommendationStatus,
  history: StatusChange[],
  to: RecommendationStatus,
  decidedOn: string,
): { status: 409 | 422; field: string; message: string } | undefined {
  if (current === to) return { status: 409, field: 'body.status', message: `该机构已是“${label(to)}”状态` };
  if (!TRANSITIONS[current].includes(to)) {
    const allowed = TRANSITIONS[current].map(label).join('、');
    return {
      status: 422,
      field: 'body.status',
      message: `当前状态“${label(current)}”不能改为“${label(to)}”，只能改为：${allowed}`,
    };
  }
  const last = history[history.length - 1];
  if (last && decidedOn < last.decidedOn)
    return { status: 422, field: 'body.decidedOn', message: `决定日期不能早于上一次变更的日期 ${last.decidedOn}` };
  return undefined;
}

const label = (s: RecommendationStatus) => RECOMMENDATION_STATUSES[s];

/** The status on a day: that of the last change decided on or before it (pending before any). */
export function statusOn(history: StatusChange[], day: string): RecommendationStatus {
  let s: RecommendationStatus = 'pending';
  for (const h of history) if (h.decidedOn <= day) s = h.status;
  return s;
}

/** The day of the change that made the agency recommended, while it is. */
export function recommendedSince(history: StatusChange[]): string | undefined {
  const last = history[history.length - 1];
  return last?.status === 'recommended' ? last.decidedOn : undefined;
}

/**
 * A department's use of an agency's report (第三方信用评价报告) for a matter: which agency, which report,
 * on which day, for which matter and, when it concerns one, which subject.
 */
export const AgencyReportUse = z
  .strictObject({
    agencyUscc: uscc.describe('出具报告的信用服务机构的统一社会信用代码'),
    reportNo: z
      .string()
      .regex(
        /^[0-9A-Za-z\u4e00-\u9fff（）()〔〕_-]{1,64}$/,
        '报告编号应为1–64个字符（汉字、字母、数字、括号、下划线或连字符）',
      )
      .describe('该机构出具的报告编号'),
    matter: MatterCode.describe('使用该报告的办理事项（事项编码）'),
    subjectId: SubjectIdParam.optional().describe('被评价主体的统一社会信用代码或公民身份号码'),
    usedOn: CivilDate.describe('使用日期（不能晚于今天）'),
    note: text({ min: 1, max: 500 }).optional().describe('备注'),
  })
  .superRefine((u, ctx) => {
    if (u.usedOn > cstDate(new Date())) addRuleIssue(ctx, ['usedOn'], '使用日期不能晚于今天');
  }, rulesWhen);
export type AgencyReportUse = z.infer<typeof AgencyReportUse>;
