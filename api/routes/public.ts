/** Public endpoints (信用公示): what may be published (domain/publicity.ts), with personal data masked. */
import { z } from 'zod';
import { PageQueryFields, mapPage, pageOf } from '../../domain/pagination';
import { publicSubject } from '../../domain/publicity';
import { SubjectIdParam } from '../../domain/subject';
import { CATEGORIES, ListKind } from '../../domain/vocabulary';
import { publishedListingsOf } from '../../db/listing-queries';
import type { ListingDoc } from '../../db/models';
import { defineRoute, type AnyRoute } from '../route';

const PublicRecord = z.strictObject({
  listKind: ListKind,
  category: z.string(),
  categoryLabel: z.string(),
  severity: z.string().optional(),
  authority: z.string(),
  decisionNumber: z.string(),
  effectiveAt: z.string(),
  expiresAt: z.string(),
  underObjection: z.boolean(),
  subject: z.strictObject({ type: z.string(), id: z.string(), name: z.string() }),
});

function toPublicRecord(l: ListingDoc): z.infer<typeof PublicRecord> {
  return {
    listKind: l.request.listKind,
    category: l.request.category,
    categoryLabel: CATEGORIES[l.request.category].label,
    severity: l.request.severity,
    authority: l.request.authority,
    decisionNumber: l.request.decisionDocument.number,
    effectiveAt: l.effectiveAt,
    expiresAt: l.expiresAt,
    underObjection: !!l.objection,
    subject: publicSubject(l.request.subject),
  };
}

export function publicRoutes(): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/public/records',
      tag: '信用公示',
      roles: ['public'],
      summary: '公示查询：主体在公示期内的红黑名单信息（个人信息已脱敏；轻微失信信息不公示）',
      query: z
        .strictObject({ subjectId: SubjectIdParam.describe('统一社会信用代码或公民身份号码'), ...PageQueryFields })
        .strict(),
      response: pageOf(PublicRecord),
      handler: async ({ query }) => mapPage(await publishedListingsOf(query.subjectId, query), toPublicRecord),
    }),
  ];
}
