/**
 * Served notices as the API gives them: a listing's serving record, a subject's notices, one notice's
 * content, its HTML print document and its PDF (rendered the first time, then fixed), and generating
 * the notices of a listing made before notices existed. A subject sees only its own notices.
 */
import { cstDate } from '../../domain/calendar';
import { noticeDates, type NoticeFacts } from '../../domain/notice';
import { workingDaysRule } from '../../domain/rules';
import { ListingModel } from '../../db/models';
import { fixPdf, noticeSetByNumber, noticeSetOf, noticeSetsOfSubject, storedPdf } from '../../db/notices';
import { renderPdf } from '../../infra/pdf';
import type { Catalogue } from '../../measures/catalogue';
import type { Principal } from '../auth';
import { HttpError } from '../errors';
import { noticeHtml } from '../views/notice-html';
import { toNoticeDetailView, toNoticeServingView, toNoticeView } from '../views/notice-views';
import { inScope, scopeOf } from './listing-scope';
import { noticeDocument } from './notice-document';
import { createNoticeIssuer, noticeIssuerName, type NoticeIssuer } from './notice-issue';

export class NoticeService {
  readonly issuer: NoticeIssuer;

  constructor(
    catalogue: Catalogue,
    private readonly issuerName = noticeIssuerName(),
  ) {
    this.issuer = createNoticeIssuer(catalogue, issuerName);
  }

  /** The listing, if `who` may see it: a county office those of its own region only (listing-scope.ts). */
  private async listing(entryId: string, who?: Principal) {
    const l = await this.visibleListing(entryId, who);
    if (!l) throw new HttpError(404, 'not_found', `名单条目 ${entryId} 不存在`);
    return l;
  }

  /** The listing (or only its `fields`) if it exists and `who`, where given, may see it; else undefined. */
  private async visibleListing(entryId: string, who?: Principal, fields?: Record<string, 1>) {
    const l = await ListingModel.findById(entryId, fields).lean();
    return l && (!who || inScope(scopeOf(who), l.request)) ? l : undefined;
  }

  /** The serving record of a listing's notices. */
  async servingOf(entryId: string, who: Principal) {
    await this.listing(entryId, who);
    const set = await noticeSetOf(entryId);
    if (!set)
      throw new HttpError(
        404,
        'not_found',
        `名单条目 ${entryId} 列入时尚未生成告知书（早于告知书功能）；信用办可为其补充生成：POST /office/listings/${entryId}/notices`,
      );
    return toNoticeServingView(set);
  }

  /**
   * Generates the notices of a listing that has none (made before notices existed) from its read model:
   * served on its recorded `noticeServedOn` (else the day it started), the deadline it announced.
   */
  async generateFor(entryId: string, by: string) {
    const l = await this.listing(entryId);
    const existing = await noticeSetOf(entryId);
    if (existing) return { created: false, serving: toNoticeServingView(existing) };
    if (l.status === 'closed') throw new HttpError(409, 'conflict', `名单条目 ${entryId} 已结束，不再生成告知书`);
    const servedOn = l.request.noticeServedOn ?? cstDate(new Date(l.startedAt));
    const planned = noticeDates(servedOn, l.request.effectiveDate);
    const effectiveOn = l.effectiveAt ? cstDate(new Date(l.effectiveAt)) : planned.plannedEffectiveDate;
    const facts: NoticeFacts = {
      entryId,
      request: l.request,
      servedOn,
      noticeWindowWorkingDays: workingDaysRule('listing.noticeWindow', servedOn),
      // what the listing announced, where its workflow has planned it
      objectionDeadline: l.noticeEndsAt ? cstDate(new Date(Date.parse(l.noticeEndsAt) - 1)) : planned.objectionDeadline,
      plannedEffectiveDate: effectiveOn,
      calendarCovered: l.calendarCovered ?? planned.calendarCovered,
      measures: await this.issuer.measures(l.request, effectiveOn),
      issuer: this.issuerName,
    };
    const { created, set } = await this.issuer.record(facts, by);
    return { created, serving: toNoticeServingView(set) };
  }

  async ofSubject(subjectId: string) {
    const sets = await noticeSetsOfSubject(subjectId);
    return sets.flatMap((s) => s.notices.map((n) => toNoticeView(s, n)));
  }

  /** The notice if `who` may see it (office, auditor; a county office its region's; the subject its own). */
  private async find(who: Principal, noticeNo: string) {
    const set = await noticeSetByNumber(noticeNo);
    const notice = set?.notices.find((n) => n.noticeNo === noticeNo);
    const missing = () => new HttpError(404, 'not_found', `没有编号为 ${noticeNo} 的告知书，或无权查看`);
    if (!set || !notice || (who.role === 'subject' && who.subjectId !== set.subjectId)) throw missing();
    if (who.role === 'county_office' && !(await this.visibleListing(set.entryId, who, { 'request.region': 1 })))
      throw missing();
    return { set, notice };
  }

  async detail(who: Principal, noticeNo: string) {
    const { set, notice } = await this.find(who, noticeNo);
    return toNoticeDetailView(set, notice);
  }

  async html(who: Principal, noticeNo: string): Promise<string> {
    const { notice } = await this.find(who, noticeNo);
    return noticeHtml(notice.content, notice.sha256);
  }

  async pdf(who: Principal, noticeNo: string): Promise<Buffer> {
    const { set, notice } = await this.find(who, noticeNo);
    const stored = notice.pdf && (await storedPdf(noticeNo));
    if (stored) return stored;
    return fixPdf(set.entryId, noticeNo, await renderPdf(noticeDocument(notice.content)));
  }
}
