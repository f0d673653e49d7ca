/** Read-model queries over listings that more than one service needs. */
import { PUBLISHED_STATUS, UNPUBLISHED_SEVERITIES } from '../domain/publicity';
import { ListingModel } from './models';

/** A subject's published listings (domain/publicity.ts), newest first. */
export function publishedListingsOf(subjectId: string, limit = 100) {
  return ListingModel.find({
    subjectId,
    status: PUBLISHED_STATUS,
    'request.severity': { $nin: UNPUBLISHED_SEVERITIES },
  })
    .sort({ effectiveAt: -1 })
    .limit(limit)
    .lean();
}
