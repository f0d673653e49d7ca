/** API views of credit files, record versions and reports, and the mappers from what is stored. */
import { z } from 'zod';
import { FILE_GROUPS, type FileItem } from '../../domain/credit-file';
import { REPORT_KINDS, ReportKind } from '../../domain/credit-report';
import type { RecordVersion } from '../../db/credit-records';
import type { CreditFile } from '../services/credit-file-service';
import type { ReportMeta } from '../services/report-service';

export const DeliveryResultView = z
  .object({
    sourceRecordId: z.string(),
    recordId: z.string(),
    version: z.number(),
    result: z.enum(['created', 'corrected', 'withdrawn', 'unchanged']),
  })
  .strict();

const FileItemView = z
  .object({
    group: z.string(),
    groupLabel: z.string(),
    kind: z.enum(['record', 'listing']),
    ref: z.string(),
    version: z.number().optional(),
    source: z.string(),
    documentNumber: z.string(),
    date: z.string(),
    title: z.string(),
    details: z.string(),
    severityLabel: z.string().optional(),
    status: z.string(),
    statusLabel: z.string(),
    underObjection: z.boolean(),
    inPublicView: z.boolean(),
    inSpecialReport: z.boolean(),
    publicityEnds: z.string().optional(),
  })
  .strict();

export const CreditFileView = z
  .object({
    subject: z.object({ type: z.string(), id: z.string(), name: z.string() }).strict(),
    asOf: z.string(),
    /** in public view now */
    public: z.array(FileItemView),
    /** out of public view: past publicity, repaired, removed, minor, withdrawn */
    archive: z.array(FileItemView),
  })
  .strict();

const GROUP_LABELS = new Map(FILE_GROUPS.map((g) => [g.code as string, g.label]));

const toItemView = (i: FileItem): z.infer<typeof FileItemView> => ({
  group: i.group,
  groupLabel: GROUP_LABELS.get(i.group) ?? i.group,
  kind: i.kind,
  ref: i.ref,
  version: i.version,
  source: i.source,
  documentNumber: i.documentNumber,
  date: i.date,
  title: i.title,
  details: i.details,
  severityLabel: i.severityLabel,
  status: i.status,
  statusLabel: i.statusLabel,
  underObjection: i.underObjection,
  inPublicView: i.inPublicView,
  inSpecialReport: i.inSpecialReport,
  publicityEnds: i.publicityEnds,
});

export function toCreditFileView(f: CreditFile): z.infer<typeof CreditFileView> {
  return {
    subject: f.subject,
    asOf: f.asOf,
    public: f.items.filter((i) => i.inPublicView).map(toItemView),
    archive: f.items.filter((i) => !i.inPublicView).map(toItemView),
  };
}

export const RecordVersionView = z
  .object({
    version: z.number(),
    action: z.enum(['create', 'correct', 'withdraw']),
    at: z.string(),
    by: z.string(),
    reason: z.string().optional(),
    record: z.record(z.string(), z.unknown()),
  })
  .strict();

export const toVersionView = (v: RecordVersion): z.infer<typeof RecordVersionView> => ({
  version: v.version,
  action: v.action,
  at: v.at,
  by: v.by,
  reason: v.reason,
  record: v.record as unknown as Record<string, unknown>,
});

export const ReportView = z
  .object({
    reportNo: z.string(),
    kind: z.enum(['public', 'special']),
    kindLabel: z.string(),
    subjectId: z.string(),
    subjectName: z.string(),
    period: z.object({ from: z.string(), to: z.string() }).strict(),
    issuedAt: z.string(),
    sha256: z.string(),
    size: z.number(),
    requester: z.object({ name: z.string(), role: z.string(), purpose: z.string().optional() }).strict(),
    batchId: z.string().optional(),
    withdrawal: z.object({ at: z.string(), by: z.string(), reason: z.string() }).strict().optional(),
    pdfUrl: z.string(),
    verifyUrl: z.string(),
  })
  .strict();

export function toReportView(r: ReportMeta, verifyUrl: string): z.infer<typeof ReportView> {
  return {
    reportNo: r.reportNo,
    kind: r.kind,
    kindLabel: REPORT_KINDS[r.kind],
    subjectId: r.subjectId,
    subjectName: r.subjectName,
    period: r.period,
    issuedAt: r.issuedAt,
    sha256: r.sha256,
    size: r.size,
    requester: { name: r.requester.name, role: r.requester.role, purpose: r.requester.purpose },
    batchId: r.batchId,
    withdrawal: r.withdrawal,
    pdfUrl: `/api/v1/reports/${r.reportNo}.pdf`,
    verifyUrl,
  };
}

const ReportRowView = z
  .object({
    ref: z.string().describe('记录编号（信用记录或名单条目）'),
    version: z.number().int().nullable().optional().describe('信用记录的版本（名单条目为空）'),
    documentNumber: z.string(),
    date: z.string(),
    title: z.string(),
    details: z.string(),
    source: z.string(),
    severityLabel: z.string().optional(),
    statusLabel: z.string(),
  })
  .strict();

/** A report with its content: what the pages show beside the PDF (the same content). */
export const ReportDetailView = ReportView.extend({
  status: z.enum(['valid', 'withdrawn', 'changed']),
  statusLabel: z.string(),
  content: z
    .object({
      kind: ReportKind,
      kindLabel: z.string(),
      subject: z.object({ type: z.string(), id: z.string(), name: z.string() }).strict(),
      period: z.object({ from: z.string(), to: z.string() }).strict(),
      sections: z.array(
        z
          .object({
            code: z.string(),
            label: z.string(),
            rows: z.array(ReportRowView),
            statement: z.string().optional(),
          })
          .strict(),
      ),
    })
    .strict(),
}).strict();
