/**
 * A new value for one of the city's own periods (the rows of domain/rules.ts marked `confirmed: false`),
 * as the credit office enters it: always a new row from an effective date, never an edit of a row in
 * force, with the document that decided it. Rules are chosen by the date of the act they govern and
 * plans are recorded in workflow history, so new cases use the new row and running ones keep theirs.
 */
import { z } from 'zod';
import { CivilDate } from './dates';
import { text } from './text';
import { ruleFor, RuleNotFoundError, RULES, type Rule, type RuleKey } from './rules';

export const PERIOD_LABELS: Partial<Record<RuleKey, string>> = {
  'listing.noticeWindow': '事前告知期（工作日）',
  'task.ackPeriod': '部门签收时限（工作日）',
  'task.reminderBefore': '签收截止前提醒（工作日）',
  'task.feedbackPeriod': '首次反馈时限（工作日）',
  'redList.maxValidity': '红名单最长有效期（月）',
  'objection.verifyPeriod': '异议核查时限（工作日）',
  'objection.reminderBefore': '核查截止前提醒（工作日）',
  'objection.extensionMax': '异议累计延长上限（工作日）',
  'repair.acceptPeriod': '修复申请受理时限（工作日）',
  'repair.decisionPeriod': '修复审核决定时限（工作日）',
  'repair.totalPeriod': '修复总办理时限（工作日）',
  'repair.reapplyAfterRejection': '驳回后再次申请间隔（日）',
  'repair.maxApprovedPerFiveYears': '5年内修复次数上限（次）',
};

/** The keys that have city-configured rows at all. */
export const CITY_KEYS = [...new Set(RULES.filter((r) => !r.confirmed).map((r) => r.key))];

export const CityPeriodRequest = z
  .object({
    key: z.enum(CITY_KEYS as [RuleKey, ...RuleKey[]]).describe('期限名称（规则键），如 objection.verifyPeriod'),
    value: z.number().int('期限须为整数').positive('期限须为正数：不能为零或负数'),
    effectiveFrom: CivilDate.describe('生效日期（不早于今天）；按行为发生日适用，在办案件不受影响'),
    document: z
      .object({
        number: text({ min: 2, max: 100 }).describe('决定文件文号'),
        title: text({ min: 2, max: 200 }).describe('文件名称'),
        date: CivilDate.describe('印发日期'),
      })
      .strict(),
  })
  .strict();
export type CityPeriodRequest = z.infer<typeof CityPeriodRequest>;

/** The row a request becomes, or what is wrong with it (field and reason). */
export function cityPeriodRow(
  r: CityPeriodRequest,
  today: string,
  table: readonly Rule[],
): { row: Rule } | { path: string[]; message: string } {
  if (r.effectiveFrom < today) return { path: ['effectiveFrom'], message: `生效日期不能早于今天（${today}）` };
  if (r.document.date > today) return { path: ['document', 'date'], message: '文件印发日期不能晚于今天' };
  let inForce: Rule;
  try {
    inForce = ruleFor(r.key, r.effectiveFrom, table);
  } catch (e) {
    if (e instanceof RuleNotFoundError) return { path: ['key'], message: '该期限在生效日期没有可替换的规则' };
    throw e;
  }
  if (inForce.confirmed)
    return {
      path: ['key'],
      message: `该期限在${r.effectiveFrom}由国家规定确定（${inForce.source}），本市不能调整`,
    };
  if (inForce.effectiveFrom === r.effectiveFrom)
    return { path: ['effectiveFrom'], message: `该期限自${r.effectiveFrom}起已有一行，请选择其他生效日期` };
  return {
    row: {
      key: r.key,
      period: { unit: inForce.period.unit, value: r.value } as Rule['period'],
      effectiveFrom: r.effectiveFrom,
      source: `${r.document.title}（${r.document.number}，${r.document.date}）`,
      confirmed: false,
    },
  };
}
