/**
 * A subject's authorisation (授权) for a third party to obtain its credit reports: for one purpose, a
 * period (at most the rules table's maximum) and the kinds of report; revocable at any time. A third
 * party holding none that is valid today is refused.
 */
import { z } from 'zod';
import { addMonths, cstDate } from './calendar';
import { addRuleIssue } from './rule-issue';
import { ReportKind } from './credit-report';
import { CivilDate } from './dates';
import { monthsRule } from './rules';
import { Subject } from './subject';
import { text } from './text';

const Grantee = Subject.options[0]
  .pick({ uscc: true, name: true })
  .describe('被授权的第三方（统一社会信用代码、名称）');

export const AuthorisationGrant = z
  .object({
    grantee: Grantee,
    purpose: text({ min: 2, max: 200 }).describe('授权用途，如“办理贷款审批”'),
    validFrom: CivilDate.optional().describe('授权起始日期（缺省为今天）'),
    validUntil: CivilDate.describe('授权截止日期（含）'),
    kinds: z.array(ReportKind).min(1).default(['special', 'public']).describe('可查询的报告种类'),
  })
  .strict()
  // the period's rules, against today (CST): 422 via domain/rule-issue.ts
  .superRefine((g, ctx) => {
    const p = grantPeriod(g, cstDate(new Date()));
    if (!p.ok) addRuleIssue(ctx, [p.field], p.message);
  });
export type AuthorisationGrant = z.infer<typeof AuthorisationGrant>;

/** The grant's period, or the field and reason it is refused. */
export function grantPeriod(
  g: AuthorisationGrant,
  today: string,
): { ok: true; from: string; until: string } | { ok: false; field: string; message: string } {
  const from = g.validFrom ?? today;
  if (from < today) return { ok: false, field: 'validFrom', message: '授权起始日期不能早于今天' };
  if (g.validUntil < from) return { ok: false, field: 'validUntil', message: '授权截止日期不能早于起始日期' };
  const max = monthsRule('authorisation.maxValidity', today) ?? 12;
  if (g.validUntil > addMonths(from, max))
    return {
      ok: false,
      field: 'validUntil',
      message: `每次授权最长${max}个月，截止日期不得晚于 ${addMonths(from, max)}`,
    };
  return { ok: true, from, until: g.validUntil };
}

export interface AuthorisationFacts {
  validFrom: string;
  validUntil: string;
  kinds: ReportKind[];
  revokedAt?: string;
}

/** Whether the authorisation lets its holder obtain a report of `kind` today. */
export function authorisationAllows(a: AuthorisationFacts, kind: ReportKind, today: string): boolean {
  return !a.revokedAt && a.validFrom <= today && today <= a.validUntil && a.kinds.includes(kind);
}
