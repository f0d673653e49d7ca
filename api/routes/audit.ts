/** The audit trail for the office and auditors: entries, and a verification of the hash chain. */
import { z } from 'zod';
import { auditEntries, verifyAuditChain } from '../../db/audit-log';
import { AuditEntryView } from '../../domain/audit';
import { defineRoute, type AnyRoute } from '../route';
import { text } from '../../domain/text';
import { PageQueryFields, pageOf } from '../../domain/pagination';

export function auditRoutes(): AnyRoute[] {
  const tag = '审计';
  return [
    defineRoute({
      method: 'get',
      path: '/audit/log',
      tag,
      roles: ['office', 'auditor'],
      summary: '审计日志（按序号从早到晚，分页；第一页给出总数）',
      query: z
        .object({
          targetId: text({ max: 100 }).optional(),
          ...PageQueryFields,
        })
        .strict(),
      response: pageOf(AuditEntryView),
      handler: ({ query }) => auditEntries(query),
    }),
    defineRoute({
      method: 'get',
      path: '/audit/verify',
      tag,
      roles: ['office', 'auditor'],
      summary: '校验审计哈希链，报告第一处断裂',
      response: z.strictObject({
        ok: z.boolean(),
        entries: z.number(),
        firstBroken: z.strictObject({ seq: z.number(), reason: z.string() }).optional(),
      }),
      handler: () => verifyAuditChain(),
    }),
  ];
}
