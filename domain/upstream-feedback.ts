/**
 * Feedback upward to the provincial platform (issue 17; docs/upstream-exchange.md): for the entries that
 * came from upstream, the departments' execution feedback and the checks that found them, for a period
 * (the national memoranda ask for it quarterly). The batch's format, its id, the period a scheduled run
 * covers, and the rows built from stored feedback and checks: pure; the queries and the sending elsewhere.
 */
import { z } from 'zod';
import { CivilDate } from './dates';
import { addRuleIssue, whenFieldsValid } from './rule-issue';
import { cstDate } from './cst';
import type { CheckRecord } from './check';

export const FeedbackPeriod = z
  .strictObject({ from: CivilDate.describe('起始日（含）'), to: CivilDate.describe('截止日（含）') })
  .superRefine(
    (p, ctx) => {
      if (p.from > p.to) addRuleIssue(ctx, ['to'], '起始日不能晚于截止日');
    },
    whenFieldsValid(['from', 'to']),
  );
export type FeedbackPeriod = z.infer<typeof FeedbackPeriod>;

/** One execution feedback of a department on an upstream entry. */
export const FeedbackUpItem = z.strictObject({
  upstreamRecordId: z.string(),
  entryId: z.string(),
  departmentId: z.string(),
  matter: z.string(),
  measureIds: z.array(z.string()),
  appliedOn: z.string(),
  outcome: z.string(),
  reportedAt: z.string(),
});
export type FeedbackUpItem = z.infer<typeof FeedbackUpItem>;

/** One 逢办必查 check that found an upstream entry, with the department's decision on each measure. */
export const CheckUpItem = z.strictObject({
  upstreamRecordId: z.string(),
  entryId: z.string(),
  departmentId: z.string(),
  checkedAt: z.string(),
  matter: z.string(),
  applied: z.array(z.string()).describe('已执行的措施'),
  notApplied: z.array(z.strictObject({ measureId: z.string(), reason: z.string() })).describe('未执行的措施及理由'),
  undecided: z.boolean().describe('部门尚未登记执行情况'),
});
export type CheckUpItem = z.infer<typeof CheckUpItem>;

/** What Xinlian sends up for a period (POST {URL}/feedback). */
export const FeedbackBatch = z.strictObject({
  batchId: z.string(),
  sender: z.string(),
  sentAt: z.iso.datetime({ offset: true }),
  period: FeedbackPeriod,
  feedback: z.array(FeedbackUpItem),
  checks: z.array(CheckUpItem),
});
export type FeedbackBatch = z.infer<typeof FeedbackBatch>;

/** The upstream's answer to a feedback batch: taken, or refused with its reason (then sent again later). */
export const FeedbackAnswer = z.object({
  status: z.enum(['accepted', 'refused']),
  reason: z.string().max(2000).optional(),
});
export type FeedbackAnswer = z.infer<typeof FeedbackAnswer>;

/** A period's batch id: the same period is the same batch, sent (and taken upstream) once. */
export const feedbackBatchId = (p: FeedbackPeriod) => `CZ-FB-${p.from.replaceAll('-', '')}-${p.to.replaceAll('-', '')}`;

/** The calendar quarter before the one `now` falls in (China Standard Time): what a scheduled run sends. */
export function quarterBefore(now: Date): FeedbackPeriod {
  const [y, m] = cstDate(now).split('-').map(Number);
  const startMonth = Math.floor((m - 1) / 3) * 3 + 1; // 1, 4, 7 or 10: this quarter's first month
  const [fy, fm] = startMonth === 1 ? [y - 1, 10] : [y, startMonth - 3];
  const last = new Date(Date.UTC(fy, fm + 2, 0)).getUTCDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  return { from: `${fy}-${pad(fm)}-01`, to: `${fy}-${pad(fm + 2)}-${pad(last)}` };
}

/** The rows of a check for the upstream entries it found (`recordOf`: entry id → upstream record id). */
export function checkUpItems(check: CheckRecord, recordOf: Map<string, string>): CheckUpItem[] {
  return check.entryIds.flatMap((entryId) => {
    const upstreamRecordId = recordOf.get(entryId);
    if (!upstreamRecordId) return [];
    const decisions = check.decisions ?? [];
    return [
      {
        upstreamRecordId,
        entryId,
        departmentId: check.departmentId,
        checkedAt: check.at,
        matter: check.matter,
        applied: decisions.filter((d) => d.applied).map((d) => d.measureId),
        notApplied: decisions
          .filter((d) => !d.applied)
          .map((d) => ({ measureId: d.measureId, reason: d.reason ?? '' })),
        undecided: !check.decisions,
      },
    ];
  });
}
