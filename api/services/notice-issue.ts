/**
 * Generating a listing's notices (事前告知书, and the 信用修复告知书 served with it): the facts from the
 * listing request (or, for a listing made before notices existed, its read model), the measures from
 * the catalogue, the dates from the calendar; the text from domain/notice.ts; one insert that records
 * the serving. Used where a listing starts (the API's single entry and the import's rows), so the
 * serving date the listing records is always the date of a stored document.
 */
import { randomBytes } from 'node:crypto';
import { cstDate } from '../../domain/calendar';
import type { ListingRequest } from '../../domain/listing';
import {
  noticeDates,
  noticeDigest,
  noticeNumber,
  priorNotice,
  repairNotice,
  repairNoticeApplies,
  type NoticeFacts,
} from '../../domain/notice';
import { subjectId } from '../../domain/subject';
import { insertNoticeSet, type NoticeSetDoc, type StoredNotice } from '../../db/notices';
import type { Catalogue } from '../../measures/catalogue';
import { matchEntry } from '../../measures/matching';

/** The issuer printed on notices (as on credit reports). */
export const noticeIssuerName = (env: NodeJS.ProcessEnv = process.env) =>
  env.XINLIAN_REPORT_ISSUER ?? '沧州市社会信用体系建设领导小组办公室';

/** The measures the entry will bring, in catalogue order, as a notice names them. */
export function noticeMeasures(catalogue: Catalogue, r: ListingRequest): NoticeFacts['measures'] {
  const groups = matchEntry(catalogue, {
    listKind: r.listKind,
    category: r.category,
    severity: r.severity,
    subjectType: r.subject.type,
  });
  return groups.flatMap((g) =>
    g.measures.map((m) => ({
      departmentName: g.departmentName,
      title: m.title,
      basis: m.legalBasis.map((b) => b.document + (b.article ? b.article : '')).join('；'),
    })),
  );
}

/** The stored notices of a set of facts: each with its number and digest. */
function noticesOf(facts: NoticeFacts): StoredNotice[] {
  const prior = priorNotice(facts, noticeNumber('prior', facts.servedOn, randomBytes(5)));
  const out: StoredNotice[] = [
    { noticeNo: prior.noticeNo, kind: 'prior', content: prior, sha256: noticeDigest(prior) },
  ];
  if (repairNoticeApplies(facts.request)) {
    const repair = repairNotice(facts, noticeNumber('repair', facts.servedOn, randomBytes(5)));
    out.push({ noticeNo: repair.noticeNo, kind: 'repair', content: repair, sha256: noticeDigest(repair) });
  }
  return out;
}

export interface NoticeIssuer {
  /**
   * Before a new listing starts: the notices are generated and the serving recorded (served on the
   * request's `noticeServedOn`, else today); the request goes on with that date, so the workflow plans
   * the notice window from the day of the stored document. An entry that has notices keeps them.
   */
  beforeStart(entryId: string, request: ListingRequest, by: string): Promise<ListingRequest>;
  /** Records a set made from given facts (a listing older than notices: from its read model). */
  record(facts: NoticeFacts, by: string): Promise<{ created: boolean; set: NoticeSetDoc }>;
}

export function createNoticeIssuer(catalogue: Catalogue, issuer = noticeIssuerName()): NoticeIssuer {
  const record = async (facts: NoticeFacts, by: string) => {
    const now = new Date();
    return insertNoticeSet({
      _id: facts.entryId,
      entryId: facts.entryId,
      subjectId: subjectId(facts.request.subject),
      servedOn: facts.servedOn,
      generatedAt: now.toISOString(),
      generatedBy: by,
      facts,
      notices: noticesOf(facts),
    });
  };
  return {
    record,
    async beforeStart(entryId, request, by) {
      const servedOn = request.noticeServedOn ?? cstDate(new Date());
      const facts: NoticeFacts = {
        entryId,
        request,
        servedOn,
        ...noticeDates(servedOn, request.effectiveDate),
        measures: noticeMeasures(catalogue, request),
        issuer,
      };
      const { set } = await record({ ...facts, request: { ...request, noticeServedOn: servedOn } }, by);
      return { ...request, noticeServedOn: set.servedOn };
    },
  };
}
