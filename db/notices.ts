/**
 * Served notices (`notices`): one immutable document per listing, written by a single insert, that
 * records the serving: the date, the facts the notices were made from, and each notice (number,
 * content, SHA-256 of the content). So "which document was served when" is one record, never half
 * written. A notice's PDF is rendered the first time it is asked for and then fixed: it is set once,
 * only where it is missing, and every later download gets the same bytes and digest.
 */
import { createHash } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import type { Binary } from 'mongodb';
import type { NoticeContent, NoticeFacts, NoticeKind } from '../domain/notice';
import { ALL_MODELS } from './models';

export interface StoredNotice {
  noticeNo: string;
  kind: NoticeKind;
  content: NoticeContent;
  /** SHA-256 of the content (domain/notice.ts noticeDigest). */
  sha256: string;
  /** Set once, at the first rendering. */
  pdf?: { sha256: string; size: number; renderedAt: string };
}

export interface NoticeSetDoc {
  _id: string; // the entry id
  entryId: string;
  subjectId: string;
  /** The serving date the listing records (`noticeServedOn`). */
  servedOn: string;
  generatedAt: string;
  generatedBy: string;
  facts: NoticeFacts;
  notices: StoredNotice[];
}

export const NoticeSetModel = mongoose.model<NoticeSetDoc>(
  'NoticeSet',
  new Schema(
    { _id: String, subjectId: String, generatedAt: String },
    { versionKey: false, strict: false, minimize: false, collection: 'notices' },
  )
    .index({ subjectId: 1, generatedAt: -1 })
    .index({ 'notices.noticeNo': 1 }, { unique: true }),
);
ALL_MODELS.push(NoticeSetModel as never);

/** PDF bytes live apart from the set (`notice_pdfs`, id = notice number) so listing notices never loads them. */
const NoticePdfModel = mongoose.model<{ _id: string; pdf: Buffer }>(
  'NoticePdf',
  new Schema({ _id: String, pdf: Buffer }, { versionKey: false, collection: 'notice_pdfs' }),
);

const DUPLICATE_KEY = 11000;

/** Inserts the set unless the entry has one; answers the set in force (the first written wins). */
export async function insertNoticeSet(doc: NoticeSetDoc): Promise<{ created: boolean; set: NoticeSetDoc }> {
  try {
    await NoticeSetModel.collection.insertOne(doc as never);
    return { created: true, set: doc };
  } catch (e) {
    if ((e as { code?: number }).code !== DUPLICATE_KEY) throw e;
    const existing = await noticeSetOf(doc.entryId);
    if (!existing) throw e;
    return { created: false, set: existing };
  }
}

export const noticeSetOf = (entryId: string) => NoticeSetModel.findById(entryId).lean<NoticeSetDoc>();

export const noticeSetsOfSubject = (subjectId: string) =>
  NoticeSetModel.find({ subjectId }).sort({ generatedAt: -1 }).limit(500).lean<NoticeSetDoc[]>();

export const noticeSetByNumber = (noticeNo: string) =>
  NoticeSetModel.findOne({ 'notices.noticeNo': noticeNo }).lean<NoticeSetDoc>();

/** The stored PDF of a notice, if it was rendered before. */
export async function storedPdf(noticeNo: string): Promise<Buffer | undefined> {
  const doc = await NoticePdfModel.collection.findOne({ _id: noticeNo as never });
  if (!doc) return undefined;
  const bytes = doc.pdf as Binary;
  return Buffer.from(bytes.buffer.buffer, bytes.buffer.byteOffset, bytes.buffer.byteLength);
}

/**
 * Fixes a notice's PDF: the bytes are inserted once (a concurrent first rendering loses and its bytes
 * are dropped), then the digest of the bytes in force is recorded on the notice where it is still
 * missing (also after a crash between the two writes). Answers the bytes in force.
 */
export async function fixPdf(entryId: string, noticeNo: string, pdf: Buffer): Promise<Buffer> {
  try {
    await NoticePdfModel.collection.insertOne({ _id: noticeNo, pdf } as never);
  } catch (e) {
    if ((e as { code?: number }).code !== DUPLICATE_KEY) throw e;
  }
  const bytes = (await storedPdf(noticeNo))!;
  await NoticeSetModel.collection.updateOne(
    { _id: entryId as never, notices: { $elemMatch: { noticeNo, pdf: { $exists: false } } } },
    {
      $set: {
        'notices.$.pdf': {
          sha256: createHash('sha256').update(bytes).digest('hex'),
          size: bytes.length,
          renderedAt: new Date().toISOString(),
        },
      },
    },
  );
  return bytes;
}
