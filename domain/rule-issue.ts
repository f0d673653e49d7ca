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

/**
 * When a refinement holding rules between fields runs: zod's default skips it only after an aborting
 * issue; this also skips it when a field it compares (by top-level name) is itself invalid, since that
 * field's own issue says enough and the rule, run on it, would only mislead (or throw).
 */
export function whenFieldsValid(fields: Iterable<string>): { when: (p: z.core.ParsePayload) => boolean } {
  const compared = new Set(fields);
  return {
    when: (p) => !p.aborted && !p.issues.some((i) => i.continue !== true || compared.has(String(i.path?.[0]))),
  };
}

export const isRuleIssue = (issue: z.core.$ZodIssue): boolean =>
  issue.code === 'custom' && (issue.params as { rule?: unknown } | undefined)?.rule === true;
