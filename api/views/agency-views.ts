/** The API views of a credit service agency (the office's, the public's) and of a report use, with their mappers. */
import { z } from 'zod';
import {
  AGENCY_KINDS,
  AgencyKind,
  RECOMMENDATION_STATUSES,
  RecommendationStatus,
  recommendedSince,
} from '../../domain/credit-agency';
import type { AgencyDoc, AgencyUseDoc } from '../../db/credit-agencies';

const Filing = z.strictObject({ authority: z.string(), number: z.string() });
const Contact = z.strictObject({ person: z.string().optional(), phone: z.string(), address: z.string().optional() });

/** What the public directory shows of a recommended agency: no internal fields, no history. */
export const PublicAgencyView = z.strictObject({
  uscc: z.string(),
  name: z.string(),
  kind: AgencyKind,
  kindLabel: z.string(),
  filing: Filing.optional(),
  services: z.array(z.string()),
  contact: Contact,
  recommendedSince: z.string().describe('列入推荐名录的日期'),
});

const StatusChangeView = z.strictObject({
  status: RecommendationStatus,
  statusLabel: z.string(),
  previous: RecommendationStatus.optional(),
  decidedOn: z.string(),
  reason: z.string(),
  by: z.string(),
  at: z.string(),
});

export const AgencyView = z.strictObject({
  uscc: z.string(),
  name: z.string(),
  subjectType: z.enum(['enterprise', 'other_org']),
  kind: AgencyKind,
  kindLabel: z.string(),
  filing: Filing.optional(),
  services: z.array(z.string()),
  contact: Contact,
  status: RecommendationStatus,
  statusLabel: z.string(),
  history: z.array(StatusChangeView),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
});
export type AgencyView = z.infer<typeof AgencyView>;

/** The office's view of one agency, with a summary of its own credit file. */
export const AgencyDetailView = AgencyView.extend({
  creditFile: z.strictObject({
    items: z.number().int().min(0).describe('信用档案条目数'),
    blackListed: z.boolean().describe('是否在严重失信主体名单中（生效中或告知期）'),
    path: z.string().describe('该机构信用档案的接口路径'),
  }),
}).strict();

export const AgencyUseView = z.strictObject({
  useId: z.string(),
  agencyUscc: z.string(),
  agencyName: z.string(),
  reportNo: z.string(),
  matter: z.string(),
  subjectId: z.string().optional(),
  usedOn: z.string(),
  note: z.string().optional(),
  departmentId: z.string(),
  departmentName: z.string(),
  recordedAt: z.string(),
  recordedBy: z.string(),
});

const contactOf = (c: AgencyDoc['contact']) => ({ person: c.person, phone: c.phone, address: c.address });

export function toPublicAgencyView(a: AgencyDoc): z.infer<typeof PublicAgencyView> {
  return {
    uscc: a.uscc,
    name: a.name,
    kind: a.kind,
    kindLabel: AGENCY_KINDS[a.kind],
    filing: a.filing && { authority: a.filing.authority, number: a.filing.number },
    services: a.services,
    contact: contactOf(a.contact),
    recommendedSince: recommendedSince(a.history) ?? '',
  };
}

export function toAgencyView(a: AgencyDoc): AgencyView {
  return {
    uscc: a.uscc,
    name: a.name,
    subjectType: a.subjectType,
    kind: a.kind,
    kindLabel: AGENCY_KINDS[a.kind],
    filing: a.filing && { authority: a.filing.authority, number: a.filing.number },
    services: a.services,
    contact: contactOf(a.contact),
    status: a.status,
    statusLabel: RECOMMENDATION_STATUSES[a.status],
    history: a.history.map((h) => ({
      status: h.status,
      statusLabel: RECOMMENDATION_STATUSES[h.status],
      previous: h.previous,
      decidedOn: h.decidedOn,
      reason: h.reason,
      by: h.by,
      at: h.at,
    })),
    createdAt: a.createdAt,
    createdBy: a.createdBy,
    updatedAt: a.updatedAt,
  };
}

export function toAgencyUseView(u: AgencyUseDoc): z.infer<typeof AgencyUseView> {
  return {
    useId: u.useId,
    agencyUscc: u.agencyUscc,
    agencyName: u.agencyName,
    reportNo: u.reportNo,
    matter: u.matter,
    subjectId: u.subjectId,
    usedOn: u.usedOn,
    note: u.note,
    departmentId: u.departmentId,
    departmentName: u.departmentName,
    recordedAt: u.recordedAt,
    recordedBy: u.recordedBy,
  };
}
