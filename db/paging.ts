/**
 * The one keyset-paging helper behind every paged list (domain/pagination.ts): a filter, a sort that
 * ends with `_id` (so the order is total), and the page asked for. The next page starts strictly after
 * the last item's sort keys, so deep pages cost what the first costs (no skip), and each query stays on
 * the index that matches `filter` + `sort` (the indexes are declared beside the models). The first sort
 * key also bounds the scan as a range, which is what lets MongoDB seek instead of filter.
 */
import type { Collection, Document, Filter } from 'mongodb';
import type { Model } from 'mongoose';
import {
  CursorMismatchError,
  decodeCursor,
  encodeCursor,
  type CursorValue,
  type Page,
  type PageRequest,
} from '../domain/pagination';

/** One sort key: `nullable` when a document may lack it (null sorts first ascending, last descending). */
export interface SortKey {
  field: string;
  dir: 1 | -1;
  nullable?: boolean;
}

export interface PageOptions {
  projection?: Document;
  /** Count the whole list on the first page (countDocuments on the same index; estimated when unfiltered). */
  total?: boolean;
}

const NEVER = { _id: { $in: [] } };

const valueAt = (doc: Document, field: string): CursorValue => {
  let v: unknown = doc;
  for (const part of field.split('.')) v = (v as Document | undefined)?.[part];
  return v === undefined ? null : (v as CursorValue);
};

/** Documents strictly after `v` on one key. */
function after(k: SortKey, v: CursorValue): Document {
  if (k.dir === 1) return v === null ? { [k.field]: { $ne: null } } : { [k.field]: { $gt: v } };
  if (v === null) return NEVER;
  return k.nullable ? { $or: [{ [k.field]: { $lt: v } }, { [k.field]: null }] } : { [k.field]: { $lt: v } };
}

/** The filter of the documents after the cursor's position in `sort` order. */
export function afterCursor(sort: SortKey[], values: CursorValue[]): Document {
  const branches: Document[] = sort.map((k, i) => {
    const eq = Object.fromEntries(sort.slice(0, i).map((p, j) => [p.field, values[j]]));
    const strict = after(k, values[i]);
    return Object.keys(eq).length === 0 ? strict : { $and: [eq, strict] };
  });
  const first = sort[0];
  const v0 = values[0];
  // the range on the first key gives the index scan its bounds; the $or only settles ties
  const bound =
    v0 === null
      ? undefined
      : first.dir === 1
        ? { [first.field]: { $gte: v0 } }
        : first.nullable
          ? undefined
          : { [first.field]: { $lte: v0 } };
  return bound ? { $and: [bound, { $or: branches }] } : { $or: branches };
}

const sortSpec = (sort: SortKey[]) => Object.fromEntries(sort.map((k) => [k.field, k.dir])) as Record<string, 1 | -1>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Source = Collection<any> | Model<any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const collectionOf = (s: Source): Collection<any> => ('collection' in s && 'modelName' in s ? s.collection : s) as any;

/** One page of `filter` in `sort` order (the last key must be `_id`). */
export async function findPage<T extends Document>(
  source: Source,
  filter: Filter<Document>,
  sort: SortKey[],
  page: PageRequest,
  opts: PageOptions = {},
): Promise<Page<T>> {
  if (sort[sort.length - 1]?.field !== '_id') throw new Error('findPage: the sort must end with _id');
  const coll = collectionOf(source);
  let query: Document = filter;
  if (page.cursor) {
    const values = decodeCursor(page.cursor);
    if (!values || values.length !== sort.length) throw new CursorMismatchError();
    query =
      Object.keys(filter).length === 0 ? afterCursor(sort, values) : { $and: [filter, afterCursor(sort, values)] };
  }
  const counting = opts.total && !page.cursor;
  const [rows, total] = await Promise.all([
    coll
      .find(query, opts.projection ? { projection: opts.projection } : {})
      .sort(sortSpec(sort))
      .limit(page.limit + 1)
      .toArray(),
    counting
      ? Object.keys(filter).length === 0
        ? coll.estimatedDocumentCount()
        : coll.countDocuments(filter)
      : Promise.resolve(undefined),
  ]);
  const items = rows.slice(0, page.limit) as T[];
  const last = items[items.length - 1];
  const next = rows.length > page.limit && last ? encodeCursor(sort.map((k) => valueAt(last, k.field))) : null;
  return total === undefined ? { items, next } : { items, next, total };
}

/** What `findPage` would run for the first page, as MongoDB explains it (the benchmark prints the plan). */
export function explainPage(source: Source, filter: Filter<Document>, sort: SortKey[], limit: number) {
  return collectionOf(source)
    .find(filter)
    .sort(sortSpec(sort))
    .limit(limit + 1)
    .explain('executionStats');
}
