/** Read-model queries over listings that more than one service needs. */
import { PUBLISHED_STATUS, UNPUBLISHED_SEVERITIES } from '../domain/publicity';
import type { Page, PageRequest } from '../domain/pagination';
import { ListingModel, type ListingDoc } from './models';
import { findPage, type SortKey } from './paging';

const PUBLISHED_ORDER: SortKey[] = [
  { field: 'effectiveAt', dir: -1 },
  { field: '_id', dir: -1 },
];

/**
 * A subject's published listings (domain/publicity.ts), newest first, a page at a time: read on the
 * subject's index (a subject has few listings, so the sort of that handful is in memory).
 */
export function publishedListingsOf(subjectId: string, page: PageRequest): Promise<Page<ListingDoc>> {
  const filter = { subjectId, status: PUBLISHED_STATUS, 'request.severity': { $nin: UNPUBLISHED_SEVERITIES } };
  return findPage<ListingDoc>(ListingModel, filter, PUBLISHED_ORDER, page);
}
