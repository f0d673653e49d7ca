/** API views of served notices, and the mappers from the stored serving record (db/notices.ts). */
import { z } from 'zod';
import { CivilDate } from '../../domain/dates';
import { NOTICE_KIND_LABELS, NoticeContent, NoticeKind } from '../../domain/notice';
import type { NoticeSetDoc, StoredNotice } from '../../db/notices';

export const NoticeView = z
  .object({
    noticeNo: z.string(),
    kind: NoticeKind,
    kindLabel: z.string(),
    title: z.string(),
    entryId: z.string(),
    subjectId: z.string(),
    subjectName: z.string(),
    servedOn: CivilDate.describe('送达日期（名单条目记录的 noticeServedOn）'),
    sha256: z.string().describe('告知书内容的 SHA-256（送达记录所指的文书）'),
    pdfSha256: z.string().optional().describe('PDF 的 SHA-256（首次生成 PDF 后固定）'),
    objectionDeadline: CivilDate.optional().describe('异议截止日（当日24时前）'),
    plannedEffectiveDate: CivilDate,
    earliestRepairDate: CivilDate.optional(),
    generatedAt: z.string(),
  })
  .strict();
export type NoticeView = z.infer<typeof NoticeView>;

/** The serving of a listing's notices: when, and which documents (number and digest). */
export const NoticeServingView = z
  .object({
    entryId: z.string(),
    servedOn: CivilDate,
    generatedAt: z.string(),
    generatedBy: z.string(),
    notices: z.array(NoticeView),
  })
  .strict();

export const NoticeDetailView = NoticeView.extend({ content: NoticeContent.strict() }).strict();

export function toNoticeView(set: NoticeSetDoc, n: StoredNotice): NoticeView {
  return {
    noticeNo: n.noticeNo,
    kind: n.kind,
    kindLabel: NOTICE_KIND_LABELS[n.kind],
    title: n.content.title,
    entryId: set.entryId,
    subjectId: set.subjectId,
    subjectName: set.facts.request.subject.name,
    servedOn: set.servedOn,
    sha256: n.sha256,
    ...(n.pdf ? { pdfSha256: n.pdf.sha256 } : {}),
    ...(n.content.dates.objectionDeadline ? { objectionDeadline: n.content.dates.objectionDeadline } : {}),
    plannedEffectiveDate: n.content.dates.plannedEffectiveDate,
    ...(n.content.dates.earliestRepairDate ? { earliestRepairDate: n.content.dates.earliestRepairDate } : {}),
    generatedAt: set.generatedAt,
  };
}

export const toNoticeServingView = (set: NoticeSetDoc): z.infer<typeof NoticeServingView> => ({
  entryId: set.entryId,
  servedOn: set.servedOn,
  generatedAt: set.generatedAt,
  generatedBy: set.generatedBy,
  notices: set.notices.map((n) => toNoticeView(set, n)),
});

export const toNoticeDetailView = (set: NoticeSetDoc, n: StoredNotice): z.infer<typeof NoticeDetailView> => ({
  ...toNoticeView(set, n),
  content: n.content,
});
