/**
 * A subject's credit file (信用档案): its records (domain/credit-record.ts) and its red/black list entries
 * (read from the listings Xinlian runs: one source), each with where it may appear today.
 *
 * - public view and the 公共信用信息报告: information in its publicity period, minor (轻微) information
 *   excluded (not published, 国办发〔2025〕22号);
 * - the 专项信用报告: the public view plus minor penalties within their at-most-3-month period, because
 *   565号 requires simple-procedure penalties in the report the subject itself asks for;
 * - the archive: everything, marked 公示期满 / 已修复 / 已移出 / 已撤回 where it has left public view.
 * Information under objection is marked 异议处理中 wherever it appears. Pure functions.
 */
import { addMonths, cstDate } from './calendar';
import {
  COMMITMENT_FULFILMENT,
  COMMITMENT_TYPES,
  isNegative,
  publicityEnd,
  RECORD_CLASSES,
  type CreditRecordInput,
  type RecordClass,
} from './credit-record';
import type { ListingRequest } from './listing';
import type { ListingStatus } from './listing-record';
import { CATEGORIES, SEVERITY_LABELS } from './vocabulary';
import { monthsRule } from './rules';
import { addRuleIssue, whenFieldsValid } from './rule-issue';
import type { z } from 'zod';

export type FileStatus =
  | 'public' // 公示中
  | 'not_published' // 轻微，不予公示
  | 'valid' // in force, not publicity-bound (licences, honours…) — shown as 有效
  | 'expired' // publicity period over / validity ended
  | 'repaired' // 已修复
  | 'removed' // listing removed (移出)
  | 'withdrawn' // withdrawn by the source department
  | 'notice'; // listing still in its prior-notice window

export const FILE_STATUS_LABELS: Record<FileStatus, string> = {
  public: '公示中',
  not_published: '不予公示（轻微）',
  valid: '有效',
  expired: '公示期满',
  repaired: '已修复',
  removed: '已移出',
  withdrawn: '已撤回',
  notice: '告知期',
};

export const OBJECTION_LABEL = '异议处理中';

/** Where one item of the file may appear today. */
export interface Placement {
  status: FileStatus;
  statusLabel: string;
  underObjection: boolean;
  /** public view and the 公共信用信息报告 */
  inPublicView: boolean;
  /** the 专项信用报告 */
  inSpecialReport: boolean;
  publicityEnds?: string;
}

function placement(
  status: FileStatus,
  underObjection: boolean,
  inPublicView: boolean,
  inSpecialReport: boolean,
  publicityEnds?: string,
): Placement {
  const label = FILE_STATUS_LABELS[status] + (underObjection ? ` · ${OBJECTION_LABEL}` : '');
  return { status, statusLabel: label, underObjection, inPublicView, inSpecialReport, publicityEnds };
}

/** A stored record's placement on `today` (CST civil date). */
export function placeRecord(
  r: CreditRecordInput,
  opts: { withdrawn: boolean; underObjection: boolean },
  today: string,
): Placement {
  const ends = publicityEnd(r);
  const o = opts.underObjection;
  if (opts.withdrawn) return placement('withdrawn', o, false, false, ends);
  if (r.repairedOn && r.repairedOn <= today) return placement('repaired', o, false, false, ends);
  if (r.validFrom && r.validFrom > today) return placement('valid', o, false, false, ends); // not yet in force
  if (ends !== undefined && today > ends) return placement('expired', o, false, false, ends);
  if (!isNegative(r)) return placement(ends ? 'public' : 'valid', o, true, true, ends);
  if (r.recordClass === 'administrative_penalty' && r.severity === 'minor') {
    return placement('not_published', o, false, true, ends);
  }
  return placement('public', o, true, true, ends);
}

/** What the file needs of a listing read-model document. */
export interface ListingFacts {
  entryId: string;
  request: ListingRequest;
  status: ListingStatus;
  /** absent for a moment after the listing is made, until its workflow has planned the notice */
  effectiveAt?: string;
  expiresAt?: string;
  closeReason?: string;
  underObjection: boolean;
  /** removed by an approved credit repair */
  repaired: boolean;
}

export function placeListing(l: ListingFacts): Placement {
  const o = l.underObjection;
  if (l.status === 'notice') return placement('notice', o, false, false, l.expiresAt);
  if (l.status === 'closed') {
    if (l.repaired) return placement('repaired', o, false, false, l.expiresAt);
    if (l.closeReason === 'expired') return placement('expired', o, false, false, l.expiresAt);
    return placement('removed', o, false, false, l.expiresAt);
  }
  const minor = l.request.listKind === 'black' && l.request.severity === 'minor';
  return placement(minor ? 'not_published' : 'public', o, !minor, true, l.expiresAt);
}

/** The groups of a file and of a public report, in the order 信用中国 shows them. */
export type FileGroup = RecordClass | 'red_list' | 'black_list';

export const FILE_GROUPS: Array<{ code: FileGroup; label: string }> = [
  { code: 'administrative_license', label: RECORD_CLASSES.administrative_license.label },
  { code: 'administrative_penalty', label: RECORD_CLASSES.administrative_penalty.label },
  { code: 'administrative_coercion', label: RECORD_CLASSES.administrative_coercion.label },
  { code: 'black_list', label: '严重失信主体名单' },
  { code: 'red_list', label: '守信激励对象名单（红名单）' },
  { code: 'credit_commitment', label: RECORD_CLASSES.credit_commitment.label },
  { code: 'credit_evaluation', label: RECORD_CLASSES.credit_evaluation.label },
  { code: 'business_abnormal', label: RECORD_CLASSES.business_abnormal.label },
  { code: 'criminal_judgment', label: RECORD_CLASSES.criminal_judgment.label },
  { code: 'honour', label: RECORD_CLASSES.honour.label },
];

/** One line of the file or a report, the same for records and listings. */
export interface FileItem extends Placement {
  group: FileGroup;
  kind: 'record' | 'listing';
  /** recordId or entryId */
  ref: string;
  version?: number;
  source: string;
  documentNumber: string;
  date: string;
  title: string;
  details: string;
  severityLabel?: string;
}

export function recordItem(
  stored: { recordId: string; version: number; departmentName: string; record: CreditRecordInput },
  placementNow: Placement,
): FileItem {
  const r = stored.record;
  const details: string[] = [];
  if (r.recordClass === 'administrative_penalty') {
    if (r.penalty) details.push(r.penalty);
    if (r.simpleProcedure) details.push('简易程序');
  }
  if (r.recordClass === 'administrative_coercion' && r.measure) details.push(r.measure);
  if (r.recordClass === 'credit_commitment') {
    details.push(`${COMMITMENT_TYPES[r.commitmentType]}，${COMMITMENT_FULFILMENT[r.fulfilment]}`);
  }
  if (r.recordClass === 'credit_evaluation') details.push(`${r.scheme}：${r.grade}级`);
  if (r.recordClass === 'criminal_judgment') details.push(`审判机关：${r.court}`);
  if (r.recordClass === 'honour') details.push(`授予单位：${r.grantor}`);
  if (r.recordClass === 'administrative_license' && r.licenseCategory) details.push(r.licenseCategory);
  if (r.content) details.push(r.content);
  if (r.validUntil) details.push(`有效期至 ${r.validUntil}`);
  return {
    ...placementNow,
    group: r.recordClass,
    kind: 'record',
    ref: stored.recordId,
    version: stored.version,
    source: stored.departmentName,
    documentNumber: r.decisionDocument.number,
    date: r.decisionDocument.date,
    title: r.title,
    details: details.join('；'),
    severityLabel: r.recordClass === 'administrative_penalty' ? SEVERITY_LABELS[r.severity] : undefined,
  };
}

export function listingItem(l: ListingFacts): FileItem {
  const p = placeListing(l);
  const req = l.request;
  return {
    ...p,
    group: req.listKind === 'red' ? 'red_list' : 'black_list',
    kind: 'listing',
    ref: l.entryId,
    source: req.authority,
    documentNumber: req.decisionDocument.number,
    date: l.effectiveAt ? cstDate(new Date(l.effectiveAt)) : req.effectiveDate,
    title: CATEGORIES[req.category].label,
    details: `${req.reason}；有效期至 ${l.expiresAt ? cstDate(new Date(l.expiresAt)) : req.validUntil}`,
    severityLabel: req.severity ? SEVERITY_LABELS[req.severity] : undefined,
  };
}

/** The report period the rules allow: default the last 3 years, at most 5 years, not in the future. */
export function reportPeriod(
  asked: { from?: string; to?: string },
  today: string,
): { ok: true; from: string; to: string } | { ok: false; field: 'from' | 'to'; message: string } {
  const to = asked.to ?? today;
  if (to > today) return { ok: false, field: 'to', message: '查询期间截止日期不能晚于今天' };
  const max = monthsRule('report.maxPeriod', today) ?? 60;
  const dflt = monthsRule('report.defaultPeriod', today) ?? 36;
  const from = asked.from ?? addMonths(to, -dflt);
  if (from > to) return { ok: false, field: 'from', message: '查询期间起始日期不能晚于截止日期' };
  if (from < addMonths(to, -max)) {
    return { ok: false, field: 'from', message: `查询期间最长${max / 12}年：起始日期不得早于 ${addMonths(to, -max)}` };
  }
  return { ok: true, from, to };
}

/**
 * The report period as a rule of a request body (422 via domain/rule-issue.ts), judged on today's CST date;
 * pass `reportPeriodWhen` beside it, so that it does not run on a malformed date.
 */
export function refineReportPeriod(body: { from?: string; to?: string }, ctx: z.RefinementCtx): void {
  const p = reportPeriod(body, cstDate(new Date()));
  if (!p.ok) addRuleIssue(ctx, [p.field], p.message);
}

/** When refineReportPeriod runs: not on a malformed date, whose own issue answers 400. */
export const reportPeriodWhen = whenFieldsValid(['from', 'to']);
