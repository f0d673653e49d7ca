/**
 * An audit entry (审计日志): who changed what and when, and its links in the hash chain (db/audit-log.ts).
 * One shape for what is appended, what is stored and what the API answers.
 */
import { z } from 'zod';

export const AuditActor = z.strictObject({ sub: z.string(), name: z.string(), role: z.string() });
export type AuditActor = z.infer<typeof AuditActor>;

/** What a caller appends. */
export const AuditInput = z.strictObject({
  key: z.string().optional().describe('幂等键（重试的活动只记一次）'),
  actor: AuditActor,
  action: z.string(),
  target: z.strictObject({ kind: z.string(), id: z.string() }),
  before: z.unknown().optional().describe('变更前的状态'),
  after: z.unknown().optional().describe('变更后的状态'),
  requestId: z.string().optional(),
});
export type AuditInput = z.infer<typeof AuditInput>;

/** As stored, beside its sequence number (the document's `_id`). */
export const AuditRecord = AuditInput.extend({ at: z.string(), prevHash: z.string(), hash: z.string() });
export type AuditRecord = z.infer<typeof AuditRecord>;

/** As the API answers it: the sequence number as `seq`; entries written without a request have null. */
export const AuditEntryView = AuditRecord.extend({
  seq: z.number(),
  requestId: z.string().nullable().optional().describe('请求编号（无请求时为 null）'),
});
