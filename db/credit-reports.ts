/**
 * Issued credit reports (`credit_reports`): one immutable document per report, written by a single
 * insert that carries the content, the PDF bytes and their SHA-256 together, so a crash during issue
 * leaves either no report or a complete one; its audit entry follows, marked until written. Only the
 * clearing of that mark and a withdrawal are ever added afterwards.
 */
import mongoose, { Schema } from 'mongoose';
import type { ReportContent, ReportKind } from '../domain/credit-report';
import { ALL_MODELS } from './models';

export interface ReportRequester {
  sub: string;
  name: string;
  role: string;
  departmentId?: string;
  purpose?: string;
  /** a third party's report: the authorisation it rests on */
  authorisationId?: string;
}

export interface CreditReportDoc {
  _id: string; // the report number
  reportNo: string;
  kind: ReportKind;
  subjectId: string;
  subjectType: string;
  subjectName: string;
  period: { from: string; to: string };
  issuedAt: string;
  /** the civil date the content was placed on (CST) */
  asOf: string;
  requester: ReportRequester;
  batchId?: string;
  content: ReportContent;
  contentDigest: string;
  sha256: string;
  size: number;
  pdf: Buffer;
  withdrawal?: { at: string; by: string; reason: string };
  /** the id of the request that issued it (its audit entry's) */
  requestId?: string;
  /** set by the insert and cleared once the audit entry is written (api/services/report-service.ts) */
  auditPending?: boolean;
}

export const CreditReportModel = mongoose.model<CreditReportDoc>(
  'CreditReport',
  new Schema(
    { _id: String, subjectId: String, issuedAt: String, pdf: Buffer },
    { versionKey: false, strict: false, minimize: false, collection: 'credit_reports' },
  )
    // the report lists' pages (api/services/report-service.ts), newest first
    .index({ subjectId: 1, issuedAt: -1, _id: -1 })
    .index({ 'requester.sub': 1, issuedAt: -1 })
    .index({ 'requester.departmentId': 1, issuedAt: -1, _id: -1 })
    .index({ batchId: 1 })
    .index({ issuedAt: -1, _id: -1 })
    .index({ auditPending: 1 }, { sparse: true }),
);
ALL_MODELS.push(CreditReportModel as never);

/** Everything but the PDF bytes. */
export const WITHOUT_PDF = { pdf: 0 } as const;
