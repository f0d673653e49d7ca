/**
 * Subject identifiers: the unified social credit code (统一社会信用代码, GB 32100-2015) and the
 * citizen identity number (公民身份号码, GB 11643-1999). Pure functions; messages are for people.
 */

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export type CheckResult = { ok: true; value: string } | { ok: false; reason: string };

/** Check character of the first 17 characters of a USCC. */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(first17[i]) * USCC_WEIGHTS[i];
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

export function checkUscc(input: string): CheckResult {
  const code = input.trim().toUpperCase();
  if (code.length !== 18) return { ok: false, reason: `统一社会信用代码应为18位，实际为${code.length}位` };
  let i = 0; // counts characters (code points), as the message does
  for (const ch of code) {
    if (!USCC_ALPHABET.includes(ch)) {
      return { ok: false, reason: `统一社会信用代码第${i + 1}位“${ch}”不是合法字符（不使用 I、O、S、V、Z）` };
    }
    i++;
  }
  if (!/^\d{6}$/.test(code.slice(2, 8)))
    return { ok: false, reason: '统一社会信用代码第3–8位应为行政区划码（6位数字）' };
  const expected = usccCheckChar(code.slice(0, 17));
  if (code[17] !== expected)
    return { ok: false, reason: `统一社会信用代码校验位错误：应为“${expected}”，实际为“${code[17]}”` };
  return { ok: true, value: code };
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

export function idCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11];
}

export function checkIdNumber(input: string): CheckResult {
  const id = input.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, reason: '公民身份号码应为18位：17位数字加1位校验码（数字或X）' };
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || birth.getUTCFullYear() !== y || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d) {
    return { ok: false, reason: `公民身份号码中的出生日期“${id.slice(6, 14)}”无效` };
  }
  const expected = idCheckDigit(id.slice(0, 17));
  if (id[17] !== expected) return { ok: false, reason: `公民身份号码校验码错误：应为“${expected}”，实际为“${id[17]}”` };
  return { ok: true, value: id };
}

/** Masks an identity number for publication: keeps the first 6 and last 4 characters. */
export function maskIdNumber(id: string): string {
  return id.length === 18 ? `${id.slice(0, 6)}********${id.slice(14)}` : '*'.repeat(id.length);
}

/** Masks a person's name for publication: the surname's first character stays (张三 → 张*, 欧阳娜娜 → 欧***). */
export function maskPersonName(name: string): string {
  const chars = [...name.trim()];
  return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1);
}
