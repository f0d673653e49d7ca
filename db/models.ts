/**
 * The read model (MongoDB): projections written by activities, read by the API. Schemas here are
 * storage shapes only; API validation lives in domain/ zod schemas.
 */
import type { CheckBucket } from '../domain/check-bucket';
import mongoose, { Schema } from 'mongoose';
import type { CaseState } from '../domain/case';
import type { CreditRecordInput } from '../domain/credit-record';
import type { ImportRecord } from '../domain/import';
import type { ListingRequest } from '../domain/listing';
import type { FeedbackRecord, ListingEvent, ListingRecord, OutboxMessage } from '../domain/listing-record';
import type { TaskState } from '../domain/task';

type WithId<T> = T & { _id: string };
export type ListingDoc = WithId<ListingRecord>;
export type TaskDoc = WithId<TaskState>;

const opts = { versionKey: false, strict: false, minimize: false } as const;

/** A read-model document as the API returns it: without MongoDB's _id. */
export function withoutId<T extends { _id?: unknown }>(doc: T): Omit<T, '_id'> {
  const { _id, ...rest } = doc;
  return rest;
}

export const ListingModel = mongoose.model<ListingDoc>(
  'Listing',
  new Schema(
    {
      _id: String,
      entryId: String,
      subjectId: String,
      status: String,
      rev: Number,
    },
    { ...opts, collection: 'listings' },
  )
    // the pages of GET /office/listings (db/paging.ts), newest first, by each filter
    .index({ startedAt: -1, _id: -1 })
    .index({ status: 1, startedAt: -1, _id: -1 })
    .index({ subjectId: 1, startedAt: -1, _id: -1 })
    .index({ 'request.category': 1, startedAt: -1, _id: -1 })
    .index({ 'request.category': 1, status: 1, startedAt: -1, _id: -1 })
    // a county office's listings (api/services/listing-scope.ts)
    .index({ 'request.region': 1, startedAt: -1, _id: -1 }),
);

export const TaskModel = mongoose.model<TaskDoc>(
  'Task',
  new Schema(
    {
      _id: String,
      entryId: { type: String, index: true },
      departmentId: String,
      status: String,
      ackDeadline: String,
      overdue: Boolean,
      rev: Number,
    },
    { ...opts, collection: 'tasks' },
  )
    // the department inbox's pages (db/paging.ts), with and without a status
    .index({ departmentId: 1, status: 1, assignedAt: -1, _id: -1 })
    .index({ departmentId: 1, assignedAt: -1, _id: -1 })
    // the 逢办必查 check: a subject's live tasks of one department
    .index({ subjectId: 1, departmentId: 1, status: 1 })
    // "overdue now" (db/task-filters.ts), one index per branch of its $or, in the overdue list's order
    .index({ overdue: 1, status: 1, ackDeadline: 1, _id: 1 })
    .index({ feedbackOverdue: 1, status: 1, ackDeadline: 1, _id: 1 })
    // supervision (db/supervision-queries.ts): the tasks assigned in a period
    .index({ assignedAt: 1, departmentId: 1 })
    // the dashboard's overdue departments (db/dashboard-queries.ts): only the tasks with the flag set
    .index({ overdue: 1, status: 1, departmentId: 1 }, { partialFilterExpression: { overdue: true } })
    .index({ feedbackOverdue: 1, status: 1, departmentId: 1 }, { partialFilterExpression: { feedbackOverdue: true } }),
);

export const FeedbackModel = mongoose.model<WithId<FeedbackRecord>>(
  'Feedback',
  new Schema(
    { _id: String, taskId: { type: String, index: true }, entryId: String },
    { ...opts, collection: 'feedback' },
  )
    // a period's feedback sent up to the provincial platform (db/upstream-feedback.ts)
    .index({ reportedAt: 1, _id: 1 }),
);

export const EventModel = mongoose.model<WithId<ListingEvent>>(
  'ListingEvent',
  new Schema({ _id: String, entryId: String, seq: Number }, { ...opts, collection: 'listing_events' }).index({
    entryId: 1,
    seq: 1,
  }),
);

export const OutboxModel = mongoose.model<WithId<OutboxMessage>>(
  'Outbox',
  new Schema(
    { _id: String, audience: String, recipient: String, at: String, seqNo: Number },
    { ...opts, collection: 'outbox' },
  ).index({ audience: 1, recipient: 1, at: 1, _id: 1 }),
);

export const ALL_MODELS: Array<{ syncIndexes(): Promise<unknown> }> = [
  ListingModel,
  TaskModel,
  FeedbackModel,
  EventModel,
  OutboxModel,
];

export async function connectMongo(uri: string): Promise<typeof mongoose> {
  try {
    await mongoose.connect(uri, { serverSelectionTimeoutMS: 10_000 });
  } catch (e) {
    throw new Error(
      `无法连接 MongoDB（${uri}）：${(e as Error).message}。请先运行 "npm start" 启动内置 mongod，或设置 MONGODB_URI 指向可用的 MongoDB。`,
    );
  }
  await Promise.all(ALL_MODELS.map((m) => m.syncIndexes()));
  return mongoose;
}

/** 逢办必查 checks, recorded in buckets (domain/check-bucket.ts, db/check-records.ts). */
export type { CheckRecord } from '../domain/check';
export type { CheckBucket } from '../domain/check-bucket';

export const CheckBucketModel = mongoose.model<CheckBucket>(
  'CheckBucket',
  new Schema({ _id: String, departmentId: String, lastAt: String }, { ...opts, collection: 'check_buckets' })
    // a department's history, newest first: a page after a cursor skips, on the index, the buckets begun
    // after it, and the count on it gives the total without reading a bucket
    .index({ departmentId: 1, lastAt: -1, firstAt: 1, count: 1 })
    // one subject's checks by a department (its history filtered; whether it checked the subject lately)
    .index({ departmentId: 1, 'checks.subjectId': 1, lastAt: -1 }),
);
ALL_MODELS.push(CheckBucketModel as never);

export const CaseModel = mongoose.model<WithId<CaseState>>(
  'Case',
  new Schema(
    { _id: String, kind: String, entryId: String, subjectId: String, authority: String, status: String },
    { ...opts, collection: 'cases' },
  )
    .index({ subjectId: 1, kind: 1, filedAt: -1 })
    .index({ authority: 1, kind: 1, status: 1 })
    .index({ entryId: 1, kind: 1, status: 1 })
    .index({ kind: 1, status: 1, deadline: 1 })
    // the pages of the case lists (api/services/case-service.ts): office, one authority, one subject
    .index({ deadline: 1, filedAt: -1, _id: -1 })
    .index({ authority: 1, deadline: 1, filedAt: -1, _id: -1 })
    .index({ subjectId: 1, deadline: 1, filedAt: -1, _id: -1 }),
);
ALL_MODELS.push(CaseModel as never);

/** A bulk import of a list file (名单批量导入): domain/import.ts. */
export type ImportDoc = WithId<ImportRecord>;

export const ImportModel = mongoose.model<ImportDoc>(
  'Import',
  new Schema({ _id: String, status: String, createdAt: String }, { ...opts, collection: 'imports' })
    .index({ createdAt: -1, _id: -1 })
    .index({ status: 1 })
    .index({ departmentId: 1, createdAt: -1, _id: -1 }),
);

/**
 * One data row of an imported file, id `<importId>:<line>`. valid → started is the only transition,
 * made once (conditional update); `existedBefore` is recorded before the listing is started, so a
 * retried chunk still tells a listing it created from one that was already there.
 */
export interface ImportRowDoc {
  _id: string;
  importId: string;
  line: number;
  status: 'valid' | 'refused' | 'started' | 'applied';
  field?: string;
  reason?: string;
  request?: ListingRequest;
  entryId?: string;
  existedBefore?: boolean;
  created?: boolean;
  startedAt?: string;
  /** A credit-record file's row (activities/record-import-activities.ts): valid → applied, or → refused. */
  record?: CreditRecordInput;
  recordId?: string;
  /** the record's version before this import touched it (0: none), recorded once before it is written */
  versionBefore?: number;
  outcome?: 'created' | 'corrected' | 'unchanged';
  appliedAt?: string;
}

export const ImportRowModel = mongoose.model<ImportRowDoc>(
  'ImportRow',
  new Schema(
    { _id: String, importId: String, line: Number, status: String, created: Boolean },
    { ...opts, collection: 'import_rows' },
  )
    .index({ importId: 1, status: 1, line: 1 })
    .index({ importId: 1, status: 1, created: 1 })
    .index({ importId: 1, status: 1, outcome: 1 }),
);
ALL_MODELS.push(ImportModel as never, ImportRowModel as never);
