/**
 * What the API answers about listings, their tasks, events, feedback and messages: views derived from
 * the domain schemas, and the named mappers from stored documents to them. Internal fields (workflow
 * counters, revisions, departments' webhook addresses, MongoDB ids) never leave the API.
 */
import { z } from 'zod';
import { ListingRequestFields } from '../../domain/listing';
import { FeedbackRecord, ListingEvent, ListingRecord, OutboxMessage } from '../../domain/listing-record';
import { TaskState } from '../../domain/task';
import type { ListingDoc, TaskDoc } from '../../db/models';
import { pageOf } from '../../domain/pagination';

export const ListingView = ListingRecord.omit({
  rev: true,
  eventSeq: true,
  feedbackSeq: true,
  runs: true,
  rematches: true,
})
  .extend({ request: ListingRequestFields })
  // a listing just started has no plan yet: its dates come with the workflow's first projection
  .partial({ noticeEndsAt: true, effectiveAt: true, expiresAt: true, calendarCovered: true })
  .strict();
export type ListingView = z.infer<typeof ListingView>;

export const TaskView = TaskState.omit({ webhookUrl: true, rev: true }).strict();
export type TaskView = z.infer<typeof TaskView>;

/** A task in the department's inbox, with the subject and the list it is on. */
export const InboxItem = TaskView.extend({
  subject: ListingRequestFields.shape.subject.optional(),
  listKind: ListingRequestFields.shape.listKind.optional(),
  category: ListingRequestFields.shape.category.optional(),
  severity: ListingRequestFields.shape.severity,
}).strict();
export type InboxItem = z.infer<typeof InboxItem>;
export const InboxPage = pageOf(InboxItem);
export const TaskPage = pageOf(TaskView);

export const EventView = ListingEvent.strict();
export const FeedbackView = FeedbackRecord.strict();
export const OutboxView = OutboxMessage.strict();

export const StartListingResult = z
  .object({ created: z.boolean(), entryId: z.string(), workflowId: z.string(), listing: ListingView })
  .strict();
export const ListingPage = pageOf(ListingView);

type Stored<T> = T & { _id?: unknown };

export function toListingView(doc: Stored<ListingDoc | ListingRecord>): ListingView {
  const { _id, rev, eventSeq, feedbackSeq, runs, rematches, ...view } = doc;
  return view;
}

export function toTaskView(doc: Stored<TaskDoc | TaskState>): TaskView {
  const { _id, rev, webhookUrl, ...view } = doc;
  return view;
}

export function toInboxItem(task: Stored<TaskDoc>, listing?: Pick<ListingRecord, 'request'>): InboxItem {
  const r = listing?.request;
  return {
    ...toTaskView(task),
    subject: r?.subject,
    listKind: r?.listKind,
    category: r?.category,
    severity: r?.severity,
  };
}

export function toEventView<T extends Stored<z.infer<typeof ListingEvent>>>(doc: T): z.infer<typeof EventView> {
  const { _id, ...view } = doc;
  return view;
}

export function toFeedbackView<T extends Stored<FeedbackRecord>>(doc: T): FeedbackRecord {
  const { _id, ...view } = doc;
  return view;
}

/** A pulled message: its id is the cursor for the next pull. */
export function toOutboxView(doc: Stored<OutboxMessage> & { seqNo?: unknown }): OutboxMessage {
  const { _id, seqNo, ...view } = doc;
  return { ...view, id: String(_id ?? view.id) };
}
