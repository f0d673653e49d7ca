/**
 * Credit records (信用档案): a subject's public credit information, one schema per class of the national
 * public credit information catalogue (全国公共信用信息基础目录), as a department delivers it. Red/black
 * list entries are not records: they come from the listings Xinlian runs (domain/credit-file.ts).
 *
 * A record is identified by its source department and that department's own record id, so a repeated
 * delivery maps to the same record; a changed delivery is a new version (correction), never an overwrite.
 * Publicity periods come from the rules table (domain/rules.ts): minor penalties are not published,
 * general ones 3 months–1 year, serious ones 1–3 years; other negative information at most 5 years.
 */
import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import { z } from 'zod';
import { addMonths, cstDate } from './calendar';
import { CivilDate } from './dates';
export { CreditRecordId } from './ids';
import { monthsRule } from './rules';
import { addRuleIssue, whenFieldsValid } from './rule-issue';
import { text, token } from './text';
import { Subject, subjectId } from './subject';
import { Severity, SEVERITY_LABELS } from './vocabulary';

/** The classes a department may deliver, with what the catalogue says of them. */
export const RECORD_CLASSES = {
  administrative_license: { label: '行政许可', negative: false },
  administrative_penalty: { label: '行政处罚', negative: true },
  administrative_coercion: { label: '行政强制', negative: true },
  credit_commitment: { label: '信用承诺', negative: false },
  credit_evaluation: { label: '信用评价', negative: false },
  business_abnormal: { label: '经营异常名录', negative: true },
  criminal_judgment: { label: '刑事裁判', negative: true },
  honour: { label: '诚实守信（表彰荣誉）', negative: false },
} as const satisfies Record<string, { label: string; negative: boolean }>;
export type RecordClass = keyof typeof RECORD_CLASSES;
export const RECORD_CLASS_CODES = Object.keys(RECORD_CLASSES) as [RecordClass, ...RecordClass[]];

export const COMMITMENT_TYPES = {
  approval_substitute: '审批替代型',
  proactive: '主动公示型',
  industry_self_discipline: '行业自律型',
  credit_repair: '信用修复型',
} as const;
export const COMMITMENT_FULFILMENT = { pending: '履约中', kept: '已履约', violated: '违诺' } as const;
export const EVALUATION_GRADES = ['A', 'B', 'C', 'D'] as const;

/** Required text of up to `max` characters: one rule for every text field (domain/text.ts). */
const required = (max: number) => text({ min: 1, max });

const base = {
  sourceRecordId: token({ max: 64, what: '来源单位记录编号' }).describe(
    '来源单位自己的记录编号：同一编号再次报送视为同一条记录',
  ),
  subject: Subject,
  decisionDocument: z
    .object({ number: required(100).describe('决定文书号/证书编号'), date: CivilDate.describe('决定（作出）日期') })
    .strict(),
  title: required(200).describe('事项名称或事由'),
  content: required(2000).optional().describe('内容摘要'),
  legalBasis: required(500).optional().describe('依据'),
  validFrom: CivilDate.optional().describe('有效期自'),
  validUntil: CivilDate.optional().describe('有效期至（经营异常：移出日期）'),
  repairedOn: CivilDate.optional().describe('信用修复日期（由认定单位报送，“谁认定、谁修复”）'),
};
const publicityUntil = CivilDate.optional().describe('公示截止日期（缺省为规则允许的最长期限）');

const License = z.strictObject({
  recordClass: z.literal('administrative_license'),
  ...base,
  licenseCategory: required(50).optional().describe('许可类别'),
});
const Penalty = z.strictObject({
  recordClass: z.literal('administrative_penalty'),
  ...base,
  severity: Severity.describe('失信程度：minor 轻微 / general 一般 / serious 严重'),
  simpleProcedure: z.boolean().default(false).describe('是否适用简易程序'),
  penalty: required(500).optional().describe('处罚种类和内容'),
  publicityUntil,
});
const Coercion = z.strictObject({
  recordClass: z.literal('administrative_coercion'),
  ...base,
  measure: required(200).optional().describe('强制措施或强制执行方式'),
  publicityUntil,
});
const Commitment = z.strictObject({
  recordClass: z.literal('credit_commitment'),
  ...base,
  commitmentType: z.enum(Object.keys(COMMITMENT_TYPES) as [keyof typeof COMMITMENT_TYPES]).describe('承诺类型'),
  fulfilment: z
    .enum(Object.keys(COMMITMENT_FULFILMENT) as [keyof typeof COMMITMENT_FULFILMENT])
    .describe('履约情况：pending 履约中 / kept 已履约 / violated 违诺'),
  publicityUntil,
});
const Evaluation = z.strictObject({
  recordClass: z.literal('credit_evaluation'),
  ...base,
  scheme: required(100).describe('评价体系，如“纳税信用等级评价”'),
  grade: z.enum(EVALUATION_GRADES).describe('评价等级 A–D'),
});
const Abnormal = z.strictObject({
  recordClass: z.literal('business_abnormal'),
  ...base,
  publicityUntil,
});
const Criminal = z.strictObject({
  recordClass: z.literal('criminal_judgment'),
  ...base,
  court: required(100).describe('审判机关'),
  publicityUntil,
});
const Honour = z.strictObject({
  recordClass: z.literal('honour'),
  ...base,
  grantor: required(100).describe('授予单位'),
});

/** Fields the cross-field rules compare: when one of them is itself invalid, the rules would only mislead. */
const CROSS_CHECKED = new Set([
  'decisionDocument',
  'validFrom',
  'validUntil',
  'repairedOn',
  'severity',
  'publicityUntil',
]);

export const CreditRecordInput = z
  .discriminatedUnion('recordClass', [License, Penalty, Coercion, Commitment, Evaluation, Abnormal, Criminal, Honour], {
    error: (iss) =>
      iss.code === 'invalid_union' ? `未知的信息类别，应为以下之一：${RECORD_CLASS_CODES.join('、')}` : undefined,
  })
  .superRefine((r, ctx) => {
    // rules between fields, against today and the rules table: 422 (domain/rule-issue.ts)
    const issue = (path: string, message: string) => addRuleIssue(ctx, [path], message);
    const decided = r.decisionDocument.date;
    const today = cstDate(new Date());
    if (decided > today) issue('decisionDocument', '决定日期不能晚于今天');
    if (r.validFrom && r.validFrom < decided) issue('validFrom', '有效期自不能早于决定日期');
    if (r.validUntil && r.validUntil < (r.validFrom ?? decided))
      issue('validUntil', '有效期至不能早于有效期自（或决定日期）');
    if (r.repairedOn && (r.repairedOn < decided || r.repairedOn > today))
      issue('repairedOn', '信用修复日期应在决定日期与今天之间');
    if (r.recordClass === 'administrative_penalty' && r.simpleProcedure && r.severity !== 'minor')
      issue('severity', '适用简易程序的行政处罚属于轻微失信信息，severity 应为 minor');
    if ('publicityUntil' in r && r.publicityUntil) {
      const { min, max } = publicityBounds(r);
      if (r.publicityUntil <= decided) issue('publicityUntil', '公示截止日期必须晚于决定日期');
      else if (r.publicityUntil > addMonths(decided, max))
        issue(
          'publicityUntil',
          `${publicityWhat(r)}公示期最长${max}个月，公示截止日期不得晚于 ${addMonths(decided, max)}`,
        );
      else if (min > 0 && r.publicityUntil < addMonths(decided, min))
        issue(
          'publicityUntil',
          `${publicityWhat(r)}公示期最短${min}个月，公示截止日期不得早于 ${addMonths(decided, min)}`,
        );
    }
  }, whenFieldsValid(CROSS_CHECKED));
export type CreditRecordInput = z.infer<typeof CreditRecordInput>;

/** A batch of up to 1,000 records: validated as a whole, and the same record id may not say two things. */
export const CreditRecordBatch = z
  .object({ records: z.array(CreditRecordInput).min(1).max(1000) })
  .strict()
  .superRefine((b, ctx) => {
    const seen = new Map<string, { index: number; digest: string }>();
    b.records.forEach((r, index) => {
      const prior = seen.get(r.sourceRecordId);
      const digest = recordDigest(r);
      if (prior && prior.digest !== digest) {
        addRuleIssue(
          ctx,
          ['records', index, 'sourceRecordId'],
          `记录编号“${r.sourceRecordId}”与第 ${prior.index} 条相同而内容不同`,
        );
      } else if (!prior) seen.set(r.sourceRecordId, { index, digest });
    });
  });

function publicityWhat(r: CreditRecordInput): string {
  const label = RECORD_CLASSES[r.recordClass].label;
  return r.recordClass === 'administrative_penalty' ? `${SEVERITY_LABELS[r.severity]}${label}信息` : `${label}信息`;
}

/** The publicity period the rules allow a record, in months from its decision date. */
export function publicityBounds(r: CreditRecordInput): { min: number; max: number } {
  const on = r.decisionDocument.date;
  if (r.recordClass === 'administrative_penalty') {
    const max = monthsRule(`publicity.max.${r.severity}`, on) ?? monthsRule('publicity.max.other', on) ?? 60;
    const min = r.severity === 'minor' ? 0 : (monthsRule(`publicity.min.${r.severity}`, on) ?? 0);
    return { min, max };
  }
  return { min: 0, max: monthsRule('publicity.max.other', on) ?? 60 };
}

/**
 * The last day a record is published (inclusive), or undefined for information published while it is
 * valid (licences, grades, honours, kept commitments): the given date, else the longest the rules allow.
 */
export function publicityEnd(r: CreditRecordInput): string | undefined {
  if (!isNegative(r)) return r.validUntil;
  const given = 'publicityUntil' in r ? r.publicityUntil : undefined;
  const cap = addMonths(r.decisionDocument.date, publicityBounds(r).max);
  const ends = given ?? (r.validUntil && r.validUntil < cap ? r.validUntil : cap);
  return ends;
}

/** Untrustworthy (失信) information: negative classes, and a broken commitment (违诺). */
export function isNegative(r: CreditRecordInput): boolean {
  if (r.recordClass === 'credit_commitment') return r.fulfilment === 'violated';
  return RECORD_CLASSES[r.recordClass].negative;
}

/** The record's id: one per source department and its own record id. */
export function creditRecordIdOf(departmentId: string, sourceRecordId: string): string {
  return 'CR' + createHash('sha256').update(`${departmentId}|${sourceRecordId}`).digest('hex').slice(0, 20);
}

/** What decides whether a delivery changes a record: the parsed content, keys in a stable order. */
export function recordDigest(r: CreditRecordInput): string {
  return createHash('sha256').update(stringify(r)).digest('hex');
}

export const recordSubjectId = (r: CreditRecordInput) => subjectId(r.subject);

export const CreditRecordWithdrawal = z
  .object({
    sourceRecordId: base.sourceRecordId,
    reason: required(500).describe('撤回理由'),
  })
  .strict();
