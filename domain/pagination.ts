/**
 * Paging of every list the API answers (keyset paging): a request names at most `limit` items (up to
 * MAX_PAGE_LIMIT) and, after the first page, the opaque `cursor` the previous page answered as `next`.
 * A page answers its items, the cursor of the next page (null on the last), and on the first page only
 * the total of the list where a person needs one. The cursor holds the sort-key values of the last item
 * answered, so a walk through the pages sees every item once even while items are added or changed.
 */
import { z } from 'zod';
import { addRuleIssue } from './rule-issue';

export const MAX_PAGE_LIMIT = 200;
export const DEFAULT_PAGE_LIMIT = 50;

/** A sort-key value as a cursor carries it. */
export type CursorValue = string | number | boolean | null;

/** A cursor: base64url of a JSON array, the sort-key values of the last item of a page. */
export function encodeCursor(values: CursorValue[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** The values of a cursor, or undefined when it is not one this API answered. */
export function decodeCursor(cursor: string): CursorValue[] | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(v) || v.length === 0) return undefined;
    if (!v.every((x) => x === null || ['string', 'number', 'boolean'].includes(typeof x))) return undefined;
    return v as CursorValue[];
  } catch {
    return undefined;
  }
}

const CURSOR_INVALID = '游标无效：请原样传回上一页应答中的 next';

export const Cursor = z
  .string()
  .min(1)
  .max(1000)
  .regex(/^[A-Za-z0-9_-]+$/, '游标应为上一页应答中的 next（Base64url 字符）')
  .superRefine((s, ctx) => {
    if (!decodeCursor(s)) addRuleIssue(ctx, undefined, CURSOR_INVALID);
  })
  .describe('下一页游标：上一页应答中的 next，原样传回；第一页不传');

/** The paging fields of a list's query (spread into the route's query object). */
export const PageQueryFields = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_LIMIT)
    .default(DEFAULT_PAGE_LIMIT)
    .describe(`每页条数（1–${MAX_PAGE_LIMIT}，默认 ${DEFAULT_PAGE_LIMIT}）`),
  cursor: Cursor.optional(),
};
export const PageQuery = z.object(PageQueryFields).strict();
export type PageRequest = { limit: number; cursor?: string };

/** The answer of a paged list of `item`. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.strictObject({
    items: z.array(item),
    next: z.string().nullable().describe('下一页游标（作为 cursor 传回）；null 表示已是最后一页'),
    total: z.number().int().min(0).optional().describe('列表总条数（仅第一页给出）'),
  });
}
export interface Page<T> {
  items: T[];
  next: string | null;
  total?: number;
}

/** A cursor that decodes but does not belong to the list it was sent to: a 422 naming the field. */
export class CursorMismatchError extends Error {
  readonly status = 422;
  constructor() {
    super(`字段 query.cursor 有误：${CURSOR_INVALID}（该游标不属于此列表）`);
  }
}

/** The same page with each item mapped (stored document to API view). */
export function mapPage<A, B>(page: Page<A>, fn: (a: A) => B): Page<B> {
  return { ...page, items: page.items.map(fn) };
}
