/** Market subjects (市场主体): enterprises and other organisations by USCC, individuals by ID number. */
import { z } from 'zod';
import { checkIdNumber, checkUscc, type CheckResult } from './identifiers';
import { text } from './text';
import { addRuleIssue } from './rule-issue';

/** What String.prototype.trim() removes. */
const TRIMMED = '[\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]';
/** GB 32100-2015: 31 characters without I, O, S, V, Z; characters 3–8 the region code. */
const USCC_CHAR = '[0-9A-HJ-NP-RTUW-Ya-hj-np-rtuw-y]';
const USCC_SHAPE = `${USCC_CHAR}{2}[0-9]{6}${USCC_CHAR}{10}`;
/** GB 11643-1999: 17 digits and a check digit or X. */
const ID_SHAPE = '[0-9]{17}[0-9Xx]';

/**
 * A string checked (and normalised) by an identifier check; its reason becomes the field's message.
 * The OpenAPI document carries the identifier's shape as a pattern (either case, surrounding whitespace
 * as trim() removes it) and its check character as a named format (test/api/schemathesis_hooks.py
 * generates valid ones). A code of that shape whose check character (or birth date) is wrong breaks a
 * rule the pattern cannot express: 422, not 400.
 */
const checked = (check: (s: string) => CheckResult, description: string, format: string, shape: string) => {
  const pattern = `^${TRIMMED}*(?:${shape})${TRIMMED}*$`;
  const shaped = new RegExp(pattern);
  return z
    .string()
    .transform((s, ctx) => {
      const r = check(s);
      if (!r.ok) {
        // of the documented shape, but its check character or birth date is wrong: a rule (422)
        if (shaped.test(s)) addRuleIssue(ctx, undefined, r.reason);
        else ctx.addIssue({ code: 'custom', message: r.reason });
        return z.NEVER;
      }
      return r.value;
    })
    .meta({ description, format, pattern });
};

const Uscc = checked(checkUscc, '统一社会信用代码（GB 32100-2015，含校验位）', 'uscc', USCC_SHAPE);
const IdNumber = checked(checkIdNumber, '公民身份号码（GB 11643-1999，含校验码）', 'cn-id-number', ID_SHAPE);

const Name = text({ min: 2, max: 100, tooShort: '名称至少2个字' });

export const Subject = z.discriminatedUnion('type', [
  z.object({ type: z.literal('enterprise'), uscc: Uscc, name: Name }).strict(),
  z.object({ type: z.literal('other_org'), uscc: Uscc, name: Name }).strict(),
  z.object({ type: z.literal('individual'), idNumber: IdNumber, name: Name }).strict(),
]);
export type Subject = z.infer<typeof Subject>;

export function subjectId(s: Subject): string {
  return s.type === 'individual' ? s.idNumber : s.uscc;
}

/** A subject id given alone (in a path or query): a USCC or an ID number, told apart by shape. */
export const SubjectIdParam = checked(
  (s) => {
    const v = s.trim().toUpperCase();
    return /^\d{17}[\dX]$/.test(v) && checkIdNumber(v).ok ? checkIdNumber(v) : checkUscc(v);
  },
  '统一社会信用代码或公民身份号码',
  'subject-id',
  `${USCC_SHAPE}|${ID_SHAPE}`,
);
