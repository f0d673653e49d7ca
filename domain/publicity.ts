/**
 * What may be published (信用公示): a listing in force, not minor untrustworthy information (轻微失信信息
 * 不公示, 国办发〔2025〕22号); entries in their notice window or closed are not shown. An individual's ID
 * number and name are masked.
 */
import { maskIdNumber, maskPersonName } from './identifiers';
import type { ListingStatus } from './listing-record';
import type { Subject } from './subject';
import type { Severity } from './vocabulary';

export const PUBLISHED_STATUS: ListingStatus = 'active';
export const UNPUBLISHED_SEVERITIES: Severity[] = ['minor'];

export function isPublished(l: { status: ListingStatus; request: { severity?: Severity } }): boolean {
  return l.status === PUBLISHED_STATUS && !(l.request.severity && UNPUBLISHED_SEVERITIES.includes(l.request.severity));
}

/** The subject as the public sees it. */
export function publicSubject(s: Subject): { type: Subject['type']; id: string; name: string } {
  return s.type === 'individual'
    ? { type: s.type, id: maskIdNumber(s.idNumber), name: maskPersonName(s.name) }
    : { type: s.type, id: s.uscc, name: s.name };
}
