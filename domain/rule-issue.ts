/**
 * A refusal by a rule that a request's JSON Schema cannot express: between fields (有效期至晚于生效日期),
 * against today's date, or a category's list kind. Such issues are marked so that the API answers them
 * with 422 (the request matches the published document but breaks a rule) and keeps 400 for a request
 * that does not match the document.
 */
import type { z } from 'zod';

/** Adds a rule issue at `path` (relative to the refined value; none for the value itself). */
export function addRuleIssue(ctx: z.RefinementCtx, path: PropertyKey[] | undefined, message: string): void {
  ctx.addIssue({ code: 'custom', ...(path ? { path } : {}), message, params: { rule: true } });
}

export const isRuleIssue = (issue: z.core.$ZodIssue): boolean =>
  issue.code === 'custom' && (issue.params as { rule?: unknown } | undefined)?.rule === true;
