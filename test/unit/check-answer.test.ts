/** Answers checked against their route's response schema: in development and tests, never in production. */
import { z } from 'zod';
import { HttpError } from '../../api/errors';
import { answersChecked, checkAnswer, defineRoute } from '../../api/route';

const route = defineRoute({
  method: 'get',
  path: '/things/:id',
  tag: 't',
  summary: 's',
  roles: ['office'],
  response: z.strictObject({ id: z.string(), count: z.number() }),
  handler: async () => ({}),
});

describe('checkAnswer', () => {
  it('lets a matching answer through, as it will be sent (through JSON)', () => {
    expect(() => checkAnswer(route, { id: 'a', count: 1, skipped: undefined })).not.toThrow();
    expect(() => checkAnswer(route, { status: 201, body: { id: 'a', count: 1 } })).not.toThrow();
  });

  it('answers 500 naming the fields when an answer leaves its schema, and logs it', () => {
    const log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    let thrown: unknown;
    try {
      checkAnswer(route, { id: 'a', count: 'one', rev: 3 });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(HttpError);
    expect(thrown).toMatchObject({ status: 500, code: 'answer_mismatch' });
    expect((thrown as HttpError).details).toEqual([
      { field: 'count', message: expect.any(String) },
      { field: '(answer)', message: expect.stringContaining('rev') },
    ]);
    expect(log.mock.calls[0][0]).toMatch(
      /^\[api\] the answer of GET \/things\/:id does not match its response schema: /,
    );
    log.mockRestore();
  });

  it('does not check error answers', () => {
    expect(() => checkAnswer(route, { status: 404, body: { error: {} } })).not.toThrow();
  });
});

describe('answersChecked', () => {
  it('checks in development and tests, unless turned off, and never in production', () => {
    expect(answersChecked({ NODE_ENV: 'test' })).toBe(true);
    expect(answersChecked({})).toBe(true);
    expect(answersChecked({ NODE_ENV: 'development', XINLIAN_CHECK_ANSWERS: '0' })).toBe(false);
    expect(answersChecked({ NODE_ENV: 'production' })).toBe(false);
    expect(answersChecked({ NODE_ENV: 'production', XINLIAN_CHECK_ANSWERS: '1' })).toBe(false);
  });
});
