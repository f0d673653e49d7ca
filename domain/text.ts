/**
 * Text a person types (reasons, names, notes, file names): one schema for every such field.
 *
 * Leading and trailing whitespace is dropped (as String.prototype.trim does); the length limits count
 * the characters (code points) that remain; control characters other than tab, line feed and carriage
 * return are refused (a reason of two NUL characters is not a reason). The OpenAPI document carries
 * the same rule as one pattern, written out below, so a request that matches the document is never
 * refused and one that does not is.
 */
import { z } from 'zod';

/** Control characters (Unicode Cc) that text may not contain: all but tab, line feed and carriage return. */
// eslint-disable-next-line no-control-regex -- matching control characters is this rule's purpose
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

// The rule as a pattern. W: what trim() removes and text may contain (trim also removes \v and \f,
// which are refused); N: a character text may contain that trim() keeps at either end; C: any
// character text may contain.
const W = '[\\t\\n\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]';
const N = '[^\\u0000-\\u0020\\u007f-\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]';
const C = '[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]';

/** The pattern of text whose trimmed length is between `min` and `max` characters. */
export function textPattern(min: number, max: number): string {
  const forms: string[] = [];
  if (min === 0) forms.push('');
  if (min <= 1 && max >= 1) forms.push(N);
  if (max >= 2) forms.push(`${N}${C}{${Math.max(min, 2) - 2},${max - 2}}${N}`);
  return `^${W}*(?:${forms.join('|')})${W}*$`;
}

export interface TextOptions {
  /** Fewest characters after trimming (default 0). */
  min?: number;
  max: number;
  /** The message when there are fewer than `min` characters (default “至少需要 min 个字”, as domain/locale.ts words it). */
  tooShort?: string;
}

/** Text of `min`–`max` characters (after trimming), without control characters; the value is trimmed. */
export function text({ min = 0, max, tooShort }: TextOptions) {
  return z
    .string()
    .superRefine((s, ctx) => {
      if (CONTROL.test(s)) {
        ctx.addIssue({ code: 'custom', message: '不能包含控制字符（如 NUL、退格、转义符）' });
        return;
      }
      const length = [...s.trim()].length;
      if (length < min) ctx.addIssue({ code: 'custom', message: tooShort ?? `至少需要 ${min} 个字` });
      else if (length > max) ctx.addIssue({ code: 'custom', message: `不能超过 ${max} 个字` });
    })
    .transform((s) => s.trim())
    .meta({ pattern: textPattern(min, max) });
}

/** A character a token may contain: neither whitespace (as trim() knows it) nor a control character. */
const TOKEN_CHAR = new RegExp(`^${N}+$`, 'u');

export interface TokenOptions {
  max: number;
  /** What the token is, for the messages (e.g. 来源单位记录编号). */
  what: string;
}

/**
 * An identifier a system supplies (a department's own record id): 1–`max` characters (code points)
 * with no whitespace or control character inside; whitespace around it is dropped. The document carries
 * it as one pattern, as text() does.
 */
export function token({ max, what }: TokenOptions) {
  return z
    .string()
    .superRefine((s, ctx) => {
      const t = s.trim();
      if (CONTROL.test(s)) ctx.addIssue({ code: 'custom', message: `${what}不能含控制字符` });
      else if (t === '') ctx.addIssue({ code: 'custom', message: `${what}不能为空` });
      else if (!TOKEN_CHAR.test(t)) ctx.addIssue({ code: 'custom', message: `${what}不能含空白或控制字符` });
      else if ([...t].length > max) ctx.addIssue({ code: 'custom', message: `${what}不能超过 ${max} 个字符` });
    })
    .transform((s) => s.trim())
    .meta({ pattern: `^${W}*${N}{1,${max}}${W}*$` });
}
