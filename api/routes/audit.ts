/** The audit trail for the office and auditors: entries, and a verification of the hash chain. */
import { z } from 'zod';
import { auditEntries, verifyAuditChain } from '../../db/audit-log';
import { defineRoute, type AnyRoute } from '../route';
import { text } from '../../domain/text';

const Entry = z.looseObject({
  seq: z.number(),
  at: z.string(),
  actor: z.object({ sub: z.string(), name: z.string(), role: z.string() }),
  action: z.string(),
  target: z.object({ kind: z.string(), id: z.string() }),
  prevHash: z.string(),
  hash: z.string(),
});

export function auditRoutes(): AnyRoute[] {
  const tag = '审计';
  return [
    defineRoute({
      method: 'get',
      path: '/audit/log',
      tag,
      roles: ['office', 'auditor'],
      summary: '审计日志（按序号，after 之后）',
      query: z
        .object({
          after: z.coerce.number().int().min(0).default(0),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          targetId: text({ max: 100 }).optional(),
        })
        .strict(),
      response: z.array(Entry),
      handler: ({ query }) => auditEntries(query),
    }),
    defineRoute({
      method: 'get',
      path: '/audit/verify',
      tag,
      roles: ['office', 'auditor'],
      summary: '校验审计哈希链，报告第一处断裂',
      response: z.object({
        ok: z.boolean(),
        entries: z.number(),
        firstBroken: z.object({ seq: z.number(), reason: z.string() }).optional(),
      }),
      handler: () => verifyAuditChain(),
    }),
  ];
}
