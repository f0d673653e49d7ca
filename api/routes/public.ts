/**
 * Public endpoints (信用公示): what may be published, with personal data masked. Minor (轻微)
 * untrustworthy information is not published (国办发〔2025〕22号); entries still in their notice window
 * or closed are not shown; an individual's ID number and name are masked.
 */
import { z } from 'zod';
import { maskIdNumber, maskPersonName } from '../../domain/identifiers';
import { SubjectIdParam } from '../../domain/subject';
import { CATEGORIES } from '../../domain/vocabulary';
import { ListingModel } from '../../db/models';
import { defineRoute, type AnyRoute } from '../route';

const PublicRecord = z.strictObject({
  listKind: z.enum(['red', 'black']),
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

export function publicRoutes(): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/public/records',
      tag: '信用公示',
      roles: ['public'],
      summary: '公示查询：主体在公示期内的红黑名单信息（个人信息已脱敏；轻微失信信息不公示）',
      query: z.strictObject({ subjectId: SubjectIdParam.describe('统一社会信用代码或公民身份号码') }).strict(),
      response: z.array(PublicRecord),
      handler: async ({ query }) => {
        const rows = await ListingModel.find({
          subjectId: query.subjectId,
          status: 'active',
          'request.severity': { $ne: 'minor' },
        })
          .sort({ effectiveAt: -1 })
          .limit(100)
          .lean();
        return rows.map((l) => {
          const s = l.request.subject;
          const person = s.type === 'individual';
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
            subject: {
              type: s.type,
              id: person ? maskIdNumber(s.idNumber) : s.uscc,
              name: person ? maskPersonName(s.name) : s.name,
            },
          };
        });
      },
    }),
  ];
}
