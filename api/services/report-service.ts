/**
 * Credit reports: issue (content from the credit file → PDF → SHA-256 → one insert), serve the PDF to
 * whoever may see it, verify publicly, withdraw. A report is an immutable snapshot; its status says
 * whether it was withdrawn, or whether a report issued now for the same period would hold other content.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Binary } from 'mongodb';
import { cstDate } from '../../domain/calendar';
import { maskPersonName } from '../../domain/identifiers';
import {
  buildReportContent,
  contentDigest,
  REPORT_KINDS,
  REPORT_NO,
  reportNumber,
  type ReportKind,
} from '../../domain/credit-report';
import { appendAudit, type AuditInput } from '../../db/audit-log';
import { CreditReportModel, WITHOUT_PDF, type CreditReportDoc, type ReportRequester } from '../../db/credit-reports';
import { renderPdf } from '../../infra/pdf';
import type { Principal } from '../auth';
import { HttpError } from '../errors';
import { reportDocument } from './report-document';
import type { CreditFileService } from './credit-file-service';
import { findPage, type SortKey } from '../../db/paging';
import type { Page, PageRequest } from '../../domain/pagination';

const REPORT_ORDER: SortKey[] = [
  { field: 'issuedAt', dir: -1 },
  { field: '_id', dir: -1 },
];

export interface ReportServiceOptions {
  /** the issuer printed on the report */
  issuer: string;
  /** base URL of the public verification page (the QR code's target), without a trailing slash */
  publicBaseUrl: string;
}

export type ReportStatus = 'valid' | 'withdrawn' | 'changed';

export interface IssueInput {
  subjectId: string;
  kind: ReportKind;
  period: { from: string; to: string };
  requester: ReportRequester;
  fallbackName?: string;
  batchId?: string;
  /** the request's id, for the audit entry */
  requestId?: string;
}

/** Appends an audit entry (db/audit-log.ts; idempotent by its key). Replaced in tests to crash it. */
export type AuditAppend = (entry: AuditInput) => Promise<unknown>;

/** An issued report without its bytes. */
export type ReportMeta = Omit<CreditReportDoc, 'pdf'>;

export class ReportService {
  constructor(
    private readonly files: CreditFileService,
    private readonly opts: ReportServiceOptions,
    private readonly audit: AuditAppend = appendAudit,
  ) {}

  verifyUrl(reportNo: string): string {
    return `${this.opts.publicBaseUrl}/verify/${reportNo}`;
  }

  async issue(input: IssueInput, now = new Date()): Promise<ReportMeta> {
    const file = await this.files.fileOf(input.subjectId, { fallbackName: input.fallbackName }, now);
    const content = buildReportContent(input.kind, file.subject, input.period, file.items);
    const reportNo = reportNumber(cstDate(now), randomBytes(10));
    const pdf = await renderPdf(
      reportDocument(content, {
        reportNo,
        issuedAt: now,
        issuer: this.opts.issuer,
        verifyUrl: this.verifyUrl(reportNo),
      }),
    );
    const doc: CreditReportDoc = {
      _id: reportNo,
      reportNo,
      kind: input.kind,
      subjectId: input.subjectId,
      subjectType: file.subject.type,
      subjectName: file.subject.name,
      period: input.period,
      issuedAt: now.toISOString(),
      asOf: file.asOf,
      requester: input.requester,
      ...(input.batchId ? { batchId: input.batchId } : {}),
      ...(input.requestId ? { requestId: input.requestId } : {}),
      content,
      contentDigest: contentDigest(content),
      sha256: createHash('sha256').update(pdf).digest('hex'),
      size: pdf.length,
      pdf,
      auditPending: true,
    };
    // one ordered step, each part idempotent: (1) the report, complete, in one insert, marked as awaiting
    // its audit entry; (2) the entry, keyed by the report number; (3) the mark cleared. A crash after (1)
    // or (2) is completed by the next read of the report (settle), so a report is never shown without it.
    await CreditReportModel.collection.insertOne(doc as never);
    const { pdf: _bytes, auditPending: _p, ...meta } = doc;
    await this.settle(meta);
    return meta;
  }

  /** Appends a report's issue audit entry if its issue was cut short, then clears the mark. */
  private async settle(r: ReportMeta): Promise<void> {
    await this.audit({
      key: `credit_report:${r.reportNo}:issue`,
      actor: { sub: r.requester.sub, name: r.requester.name, role: r.requester.role },
      action: 'credit_report.issue',
      target: { kind: 'credit_report', id: r.reportNo },
      after: {
        reportNo: r.reportNo,
        kind: r.kind,
        subjectId: r.subjectId,
        period: r.period,
        sha256: r.sha256,
        requester: { name: r.requester.name, role: r.requester.role, purpose: r.requester.purpose },
        ...(r.batchId ? { batchId: r.batchId } : {}),
      },
      requestId: r.requestId,
    });
    await CreditReportModel.updateOne({ _id: r.reportNo }, { $unset: { auditPending: 1 } });
  }

  /** Settles every report whose issue was cut short between its insert and its audit entry. */
  async settlePending(filter: Record<string, unknown> = {}): Promise<void> {
    const pending = await CreditReportModel.find({ ...filter, auditPending: true }, WITHOUT_PDF).lean<ReportMeta[]>();
    for (const r of pending) await this.settle(r);
  }

  /** The report if `who` may see it (requester, its department, the subject, office, auditor); else 404. */
  async metaFor(who: Principal, reportNo: string): Promise<ReportMeta> {
    const r = await CreditReportModel.findById(reportNo, WITHOUT_PDF).lean<ReportMeta>();
    if (!r || !maySee(who, r)) throw new HttpError(404, 'not_found', `没有编号为 ${reportNo} 的信用报告，或无权查看`);
    if (r.auditPending) await this.settle(r);
    return r;
  }

  async pdfFor(who: Principal, reportNo: string): Promise<{ meta: ReportMeta; pdf: Buffer }> {
    const meta = await this.metaFor(who, reportNo);
    const doc = await CreditReportModel.collection.findOne({ _id: reportNo as never }, { projection: { pdf: 1 } });
    const bytes = (doc!.pdf as Binary).buffer;
    return { meta, pdf: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  }

  /** valid / withdrawn / changed (the content a report issued now for the same period would hold differs). */
  async statusOf(r: ReportMeta, now = new Date()): Promise<ReportStatus> {
    if (r.withdrawal) return 'withdrawn';
    const file = await this.files.fileOf(r.subjectId, { fallbackName: r.subjectName }, now);
    const subject = {
      ...file.subject,
      name: file.subject.name === '（未登记名称）' ? r.subjectName : file.subject.name,
    };
    const again = buildReportContent(r.kind, subject, r.period, file.items);
    return contentDigest(again) === r.contentDigest ? 'valid' : 'changed';
  }

  /** The public verification answer: nothing beyond status, kind, issue time, masked name and digest. */
  async verify(reportNo: string) {
    const r = !REPORT_NO.test(reportNo)
      ? null
      : await CreditReportModel.findById(reportNo, { content: 0, pdf: 0 }).lean<ReportMeta>();
    if (!r) throw new HttpError(404, 'not_found', `没有编号为 ${reportNo} 的信用报告：请核对报告编号`);
    if (r.auditPending) await this.settle(r);
    const status = await this.statusOf(r);
    return {
      reportNo: r.reportNo,
      status,
      statusLabel: STATUS_LABELS[status],
      kind: r.kind,
      kindLabel: REPORT_KINDS[r.kind],
      issuedAt: r.issuedAt,
      period: r.period,
      subjectName: r.subjectType === 'individual' ? maskPersonName(r.subjectName) : r.subjectName,
      sha256: r.sha256,
      ...(r.withdrawal ? { withdrawnAt: r.withdrawal.at } : {}),
    };
  }

  async withdraw(reportNo: string, by: string, reason: string): Promise<ReportMeta> {
    const at = new Date().toISOString();
    const r = await CreditReportModel.findOneAndUpdate(
      { _id: reportNo, withdrawal: { $exists: false } },
      { $set: { withdrawal: { at, by, reason } } },
      { projection: WITHOUT_PDF, returnDocument: 'after' },
    ).lean<ReportMeta>();
    if (r) return r;
    const exists = await CreditReportModel.findById(reportNo, { withdrawal: 1 }).lean<ReportMeta>();
    if (!exists) throw new HttpError(404, 'not_found', `没有编号为 ${reportNo} 的信用报告`);
    throw new HttpError(409, 'conflict', `报告 ${reportNo} 已于 ${exists.withdrawal!.at} 撤销`);
  }

  /** Reports on a subject (who requested them and why), newest first. */
  ofSubject(subjectId: string, page: PageRequest): Promise<Page<ReportMeta>> {
    return this.list({ subjectId }, page);
  }

  /** Reports newest first, a page at a time, with the total on the first page. */
  async list(
    filter: { subjectId?: string; departmentId?: string; batchId?: string },
    page: PageRequest,
  ): Promise<Page<ReportMeta>> {
    const q: Record<string, unknown> = {};
    if (filter.subjectId) q.subjectId = filter.subjectId;
    if (filter.departmentId) q['requester.departmentId'] = filter.departmentId;
    if (filter.batchId) q.batchId = filter.batchId;
    await this.settlePending(q);
    return findPage<ReportMeta>(CreditReportModel, q, REPORT_ORDER, page, {
      projection: { content: 0, pdf: 0 },
      total: true,
    });
  }
}

export const STATUS_LABELS: Record<ReportStatus, string> = {
  valid: '有效',
  withdrawn: '已撤销',
  changed: '内容已变化（出具后信息有更新）',
};

function maySee(who: Principal, r: ReportMeta): boolean {
  if (who.role === 'office' || who.role === 'auditor') return true;
  if (who.role === 'subject') return who.subjectId === r.subjectId || who.sub === r.requester.sub;
  if (who.role === 'department') return !!who.departmentId && who.departmentId === r.requester.departmentId;
  return who.sub === r.requester.sub;
}
