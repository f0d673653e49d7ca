/**
 * The shared text schema: trimmed, length counted after trimming, control characters refused; and the
 * pattern the OpenAPI document carries accepts exactly what the schema accepts; the same for token().
 */
import { z } from 'zod';
import { text, textPattern, token } from '../../domain/text';

const reason = text({ min: 2, max: 5, tooShort: '请填写理由（至少2个字）' });
const note = text({ max: 3 });

describe('text()', () => {
  it('trims the value and counts what remains', () => {
    expect(reason.parse('  示例理由 \n')).toBe('示例理由');
    expect(reason.parse('a\tb')).toBe('a\tb');
    expect(note.parse('   ')).toBe('');
  });

  it('refuses two NUL characters, and other control characters, with its own message', () => {
    for (const s of ['\u0000\u0000', '理由\u0008', '理由\u001b[0m', '理由\u007f', '\u0085理由']) {
      const r = reason.safeParse(s);
      expect(r.success).toBe(false);
      expect(r.error?.issues.map((i) => i.message)).toEqual(['不能包含控制字符（如 NUL、退格、转义符）']);
    }
  });

  it('refuses too short and too long text with the field message', () => {
    expect(reason.safeParse('  a  ').error?.issues.map((i) => i.message)).toEqual(['请填写理由（至少2个字）']);
    expect(reason.safeParse('abcdef').error?.issues.map((i) => i.message)).toEqual(['不能超过 5 个字']);
    expect(note.safeParse('abcd').error?.issues.map((i) => i.message)).toEqual(['不能超过 3 个字']);
  });

  it('documents itself as the pattern below', () => {
    const js = z.toJSONSchema(z.object({ reason }), { io: 'input' });
    expect(js.properties?.reason).toEqual({ type: 'string', pattern: textPattern(2, 5) });
  });

  it.each([
    ['ab', true],
    [' ab ', true],
    ['\u3000示例\u3000', true],
    ['a\n\nb', true],
    ['abcde', true],
    ['  abcde\n', true],
    ['a', false],
    ['  a  ', false],
    ['abcdef', false],
    ['   ', false],
    ['\u0000\u0000', false],
    ['a\u000bb', false],
    ['ab\u009f', false],
  ])('the pattern and the schema agree on %j (accepted: %s)', (s, accepted) => {
    expect(new RegExp(textPattern(2, 5)).test(s)).toBe(accepted);
    expect(reason.safeParse(s).success).toBe(accepted);
  });

  it('with no minimum, accepts empty text and whitespace alone, in the pattern too', () => {
    for (const s of ['', '  ', 'a', 'abc']) {
      expect(new RegExp(textPattern(0, 3)).test(s)).toBe(true);
      expect(note.safeParse(s).success).toBe(true);
    }
    expect(new RegExp(textPattern(0, 3)).test('abcd')).toBe(false);
  });
});

describe('token()', () => {
  const id = token({ max: 3, what: '记录编号' });
  const pattern = () => {
    const js = z.toJSONSchema(z.object({ id }), { io: 'input' });
    const { pattern: p } = js.properties?.id as { pattern: string };
    return new RegExp(p, 'u'); // code points, as JSON Schema counts them
  };

  it('drops the whitespace around it and names itself in the messages', () => {
    expect(id.parse(' A-1\n')).toBe('A-1');
    expect(id.safeParse('A 1').error?.issues.map((i) => i.message)).toEqual(['记录编号不能含空白或控制字符']);
    expect(id.safeParse('\u2004').error?.issues.map((i) => i.message)).toEqual(['记录编号不能为空']);
    expect(id.safeParse('ABCD').error?.issues.map((i) => i.message)).toEqual(['记录编号不能超过 3 个字符']);
  });

  it.each([
    ['A1', true],
    [' 编号1 ', true],
    ['\u{20000}\u{20001}\u{20002}', true], // three characters outside the BMP are three, not six
    ['\u2004', false], // whitespace alone (trim() removes it): the fuzz test's finding
    ['\ufeff', false],
    ['A\u3000B', false],
    ['A\u0000', false],
    ['\u000bA', false],
    ['ABCD', false],
  ])('the pattern and the schema agree on %j (accepted: %s)', (s, accepted) => {
    expect(pattern().test(s)).toBe(accepted);
    expect(id.safeParse(s).success).toBe(accepted);
  });
});
