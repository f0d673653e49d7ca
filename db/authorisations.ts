/** Authorisations subjects grant third parties (`report_authorisations`); a revocation is added once. */
import mongoose, { Schema } from 'mongoose';
import type { ReportKind } from '../domain/credit-report';
import { ALL_MODELS } from './models';

export interface AuthorisationDoc {
  _id: string;
  authorisationId: string;
  subjectId: string;
  subjectName: string;
  grantee: { uscc: string; name: string };
  purpose: string;
  validFrom: string;
  validUntil: string;
  kinds: ReportKind[];
  grantedAt: string;
  grantedBy: string;
  revokedAt?: string;
  revokedBy?: string;
}

export const AuthorisationModel = mongoose.model<AuthorisationDoc>(
  'Authorisation',
  new Schema(
    { _id: String, subjectId: String, 'grantee.uscc': String },
    { versionKey: false, strict: false, minimize: false, collection: 'report_authorisations' },
  )
    .index({ subjectId: 1, grantedAt: -1, _id: -1 })
    .index({ 'grantee.uscc': 1, subjectId: 1 })
    .index({ 'grantee.uscc': 1, grantedAt: -1, _id: -1 }),
);
ALL_MODELS.push(AuthorisationModel as never);
