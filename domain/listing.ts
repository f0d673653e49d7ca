/** A red- or black-list entry (名单条目) as the credit office submits it. */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CivilDate } from './dates';
import { addMonths, cstDate } from './calendar';
import { monthsRule, ruleInForce, RULES } from './rules';
import { Subject, subjectId } from './subject';
import { CATEGORIES, CategoryCode, LIST_KIND_LABELS, ListKind, Severity, SEVERITY_LABELS } from './vocabulary';
import { LegalBasis } from './measure';
import { text } from './text';
import { addRuleIssue, whenFieldsValid } from './rule-issue';
import { OrgId } from './organisation';

/** Fields the cross-field rules below compare: when one of them is itself invalid, the rules would only mislead. */
const CROSS_CHECKED = new Set([
  'listKind',
  'category',
  'severity',
  'decisionDocument',
  'noticeServedOn',
  'effectiveDate',
  'validUntil',
]);

/** The fields of a request, without the cross-field rules: what a stored request looks like (API views). */
export const ListingRequestFields = z.object({
  subject: Subject,
  listKind: ListKind.describe('red 红名单 / black 黑名单'),
  category: CategoryCode.describe('名单类别'),
  severity: Severity.optional().describe('失信程度（黑名单必填）'),
  authority: text({ min: 2, max: 100 }).describe('认定单位'),
  legalBasis: z.array(LegalBasis).min(1, '至少填写一项认定依据'),
  decisionDocument: z.object({ number: text({ min: 2, max: 100 }).describe('决定文书号'), date: CivilDate }).strict(),
  reason: text({ min: 2, max: 2000 }).describe('认定事实与理由'),
  noticeServedOn: CivilDate.optional().describe('事前告知书送达日期（如已随决定书“两书同达”送达）；缺省为今天'),
  effectiveDate: CivilDate.describe('拟生效日期；实际生效不早于事前告知期届满'),
  validUntil: CivilDate.describe('有效期至（含）'),
  region: OrgId.optional().describe(
    '主体注册地所在县（市、区）或园区的机构编号（见 GET /organisations）；缺省为市本级。县级信用办列入时为本县',
  ),
});

export const ListingRequest = ListingRequestFields.strict().superRefine((r, ctx) => {
  const cat = CATEGORIES[r.category];
  if (cat.kind !== r.listKind) {
    addRuleIssue(
      ctx,
      ['category'],
      `名单类别“${cat.label}”属于${LIST_KIND_LABELS[cat.kind]}，与 listKind=${r.listKind} 不符`,
    );
  }
  if (r.listKind === 'black' && !r.severity) {
    addRuleIssue(ctx, ['severity'], '黑名单条目必须填写失信程度 severity（minor/general/serious）');
  }
  if (r.validUntil <= r.effectiveDate) {
    addRuleIssue(ctx, ['validUntil'], '有效期至必须晚于生效日期');
  }
  if (r.noticeServedOn && r.noticeServedOn > cstDate(new Date())) {
    addRuleIssue(ctx, ['noticeServedOn'], '告知书送达日期不能晚于今天');
  }
  // the notice window is planned from the rule in force when the notice was served
  if (r.noticeServedOn && !ruleInForce('listing.noticeWindow', r.noticeServedOn)) {
    const from = RULES.filter((x) => x.key === 'listing.noticeWindow').map((x) => x.effectiveFrom);
    addRuleIssue(ctx, ['noticeServedOn'], `告知书送达日期不能早于事前告知期限规定的施行日期 ${from.sort()[0]}`);
  }
  if (r.decisionDocument.date > r.effectiveDate) {
    addRuleIssue(ctx, ['decisionDocument', 'date'], '决定日期不能晚于生效日期');
  }
  const max =
    r.listKind === 'black' && r.severity
      ? monthsRule(`publicity.max.${r.severity}`, r.decisionDocument.date)
      : monthsRule('redList.maxValidity', r.decisionDocument.date);
  if (max !== undefined && r.validUntil > addMonths(r.effectiveDate, max)) {
    const what = r.listKind === 'black' && r.severity ? `${SEVERITY_LABELS[r.severity]}失信信息公示期` : '红名单有效期';
    addRuleIssue(ctx, ['validUntil'], `${what}最长${max}个月，有效期至不得晚于 ${addMonths(r.effectiveDate, max)}`);
  }
}, whenFieldsValid(CROSS_CHECKED));
export type ListingRequest = z.infer<typeof ListingRequest>;

/**
 * The business key of an entry: one decision document lists one subject on one list once, so
 * repeating the same request maps to the same entry (and the same workflow).
 */
export function entryIdOf(r: ListingRequest): string {
  const key = [r.listKind, r.category, subjectId(r.subject), r.decisionDocument.number].join('|');
  return 'E' + createHash('sha256').update(key).digest('hex').slice(0, 20);
}

export { listingWorkflowId } from './workflow-ids';
