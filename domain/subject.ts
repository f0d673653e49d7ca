/** Market subjects (市场主体): enterprises and other organisations by USCC, individuals by ID number. */
import { z } from 'zod';
import { checkIdNumber, checkUscc, type CheckResult } from './identifiers';
import { text } from './text';

/** A string checked (and normalised) by an identifier check; its reason becomes the field's message. */
const checked = (check: (s: string) => CheckResult, description: string) =>
  z
    .string()
    .transform((s, ctx) => {
      const r = check(s);
      if (!r.ok) {
        ctx.addIssue({ code: 'custom', message: r.reason });
        return z.NEVER;
      }
      return r.value;
    })
    .describe(description);

const Uscc = checked(checkUscc, '统一社会信用代码（GB 32100-2015，含校验位）');
const IdNumber = checked(checkIdNumber, '公民身份号码（GB 11643-1999，含校验码）');

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
export const SubjectIdParam = checked((s) => {
  const v = s.trim().toUpperCase();
  return /^\d{17}[\dX]$/.test(v) && checkIdNumber(v).ok ? checkIdNumber(v) : checkUscc(v);
}, '统一社会信用代码或公民身份号码');
