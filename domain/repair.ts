/**
 * Credit repair (信用修复) eligibility: pure, from the rules table chosen by the application date
 * (NDRC Order 2023 No. 58 until 2026-03-31, Order No. 36 from 2026-04-01). A refusal names the rule
 * and its source so the subject knows why.
 */
import { z } from 'zod';
import { addCalendarDays, addMonths, cstDate } from './calendar';
import { CivilDate } from './dates';
import { EntryId } from './ids';
import type { ListingStatus } from './listing-record';
import { text } from './text';
import { ORDER_36_FROM, ruleFor, type RuleKey } from './rules';
import { CATEGORIES, type Category, type ListKind, type Severity } from './vocabulary';

export const RepairRegime = z.enum(['order58', 'order36']);
export type RepairRegime = z.infer<typeof RepairRegime>;
export const REGIME_LABELS: Record<RepairRegime, string> = {
  order58: '《失信行为纠正后的信用信息修复管理办法（试行）》（国家发展改革委令2023年第58号）',
  order36: '《信用修复管理办法》（国家发展改革委令第36号，2026年4月1日起施行）',
};

export function regimeOn(applicationDate: string): RepairRegime {
  return applicationDate < ORDER_36_FROM ? 'order58' : 'order36';
}

/** Lists whose removal follows their own procedure, not credit repair through this office. */
export const NOT_REPAIRABLE: Partial<Record<Category, string>> = {
  dishonest_judgment_debtor:
    '失信被执行人信息由人民法院依《最高人民法院关于公布失信被执行人名单信息的若干规定》删除，不适用信用修复程序',
};

export const Attachment = z
  .object({
    name: text({ min: 1, max: 200 }).describe('文件名'),
    contentType: text({ max: 100 }).optional(),
    size: z
      .number()
      .int()
      .min(0)
      .max(100 * 1024 * 1024)
      .optional(),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'sha256 应为64位十六进制')
      .optional(),
  })
  .strict();

export const RepairApplication = z
  .object({
    entryId: EntryId,
    commitment: z
      .object({
        signedOn: CivilDate.describe('信用承诺书签署日期'),
        text: text({ min: 10, max: 5000, tooShort: '请填写信用承诺书内容（至少10个字）' }),
      })
      .strict(),
    obligationsFulfilled: z.literal(true, { error: '须已履行法定义务、纠正失信行为后方可申请修复' }),
    proofs: z.array(Attachment).min(1, '请至少提供一份履行义务的证明材料').max(20),
    statement: text({ max: 2000 }).optional(),
  })
  .strict();
export type RepairApplication = z.infer<typeof RepairApplication>;

export interface RepairFacts {
  listKind: ListKind;
  category: Category;
  severity?: Severity;
  listingStatus: ListingStatus;
  /** ISO instant the listing took effect. */
  effectiveAt: string;
  applicationDate: string;
  /** Dates (CST) of this subject's approved repairs. */
  approvedRepairDates: string[];
  /** Date of the last rejected application for this entry, if any. */
  lastRejectedOn?: string;
  /** Another application for this entry is open. */
  openApplication: boolean;
}

export interface Refusal {
  rule: string;
  message: string;
  source: string;
}

export interface Eligibility {
  eligible: boolean;
  regime: RepairRegime;
  regimeLabel: string;
  /** The earliest date on which the minimum publicity period is served. */
  earliestDate?: string;
  refusals: Refusal[];
}

const numberOf = (key: RuleKey, date: string) => {
  const r = ruleFor(key, date);
  return { value: r.period.value, source: r.source };
};

export function repairEligibility(f: RepairFacts): Eligibility {
  const regime = regimeOn(f.applicationDate);
  const refusals: Refusal[] = [];
  const out = (earliestDate?: string): Eligibility => ({
    eligible: refusals.length === 0,
    regime,
    regimeLabel: REGIME_LABELS[regime],
    earliestDate,
    refusals,
  });

  if (f.listKind !== 'black') {
    refusals.push({ rule: 'listKind', message: '红名单不涉及信用修复', source: '信用修复适用于失信信息' });
    return out();
  }
  if (f.listingStatus === 'closed') {
    refusals.push({ rule: 'status', message: '该名单条目已结束，无需修复', source: '—' });
    return out();
  }
  if (f.listingStatus === 'notice') {
    refusals.push({
      rule: 'status',
      message: '该条目尚在事前告知期，可提出异议；生效后方可申请修复',
      source: '国办发〔2020〕49号（八）',
    });
  }
  const barred = NOT_REPAIRABLE[f.category];
  if (barred)
    refusals.push({
      rule: 'category',
      message: `“${CATEGORIES[f.category].label}”不能通过信用修复移出：${barred}`,
      source: barred,
    });
  if (f.openApplication) refusals.push({ rule: 'open', message: '该条目已有修复申请正在办理', source: '—' });

  const severity = f.severity ?? 'serious';
  const min = numberOf(`repair.minPeriod.${severity}`, f.applicationDate);
  const effectiveDate = cstDate(new Date(f.effectiveAt));
  const earliestDate = addMonths(effectiveDate, min.value);
  if (f.applicationDate < earliestDate) {
    refusals.push({
      rule: `repair.minPeriod.${severity}`,
      message: `最短公示期为${min.value}个月，${earliestDate} 起方可申请修复`,
      source: min.source,
    });
  }

  if (f.lastRejectedOn) {
    const wait = numberOf('repair.reapplyAfterRejection', f.applicationDate);
    const again = addCalendarDays(f.lastRejectedOn, wait.value);
    if (f.applicationDate < again) {
      refusals.push({
        rule: 'repair.reapplyAfterRejection',
        message: `上次申请于 ${f.lastRejectedOn} 被驳回，${again} 起方可再次申请`,
        source: wait.source,
      });
    }
  }
  const cap = numberOf('repair.maxApprovedPerFiveYears', f.applicationDate);
  const since = addMonths(f.applicationDate, -60);
  const recent = f.approvedRepairDates.filter((d) => d > since).length;
  if (recent >= cap.value) {
    refusals.push({
      rule: 'repair.maxApprovedPerFiveYears',
      message: `5年内已修复${recent}次，达到上限${cap.value}次`,
      source: cap.source,
    });
  }
  return out(earliestDate);
}
