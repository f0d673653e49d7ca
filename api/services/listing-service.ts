/** Office and department use-cases: Temporal for every change, the MongoDB read model for every read. */
import type { Client } from '@temporalio/client';
import { listingWorkflowId, type ListingRequest } from '../../domain/listing';
import { EventModel, FeedbackModel, ListingModel, OutboxModel, TaskModel } from '../../db/models';
import type { ListingDoc, TaskDoc } from '../../db/models';
import { OVERDUE_NOW } from '../../db/task-filters';
import { findPage, type SortKey } from '../../db/paging';
import { mapPage, type PageRequest } from '../../domain/pagination';
import { acknowledgeUpdate, feedbackUpdate, removeUpdate } from '../../workflows/listing';
import { startListing, type StartedListing } from './listing-start';
import type { NoticeIssuer } from './notice-issue';
import type { FeedbackInput } from '../../workflows/listing-types';
import { HttpError, ruleViolation } from '../errors';
import { EVERYWHERE, inScope, type ListingScope } from './listing-scope';
import {
  toEventView,
  toFeedbackView,
  toInboxItem,
  toListingView,
  toOutboxView,
  toTaskView,
} from '../views/listing-views';

/** The orders of the paged lists (each served by an index declared in db/models.ts). */
export const LISTING_ORDER: SortKey[] = [
  { field: 'startedAt', dir: -1 },
  { field: '_id', dir: -1 },
];
export const OVERDUE_ORDER: SortKey[] = [
  { field: 'ackDeadline', dir: 1 },
  { field: '_id', dir: 1 },
];
export const INBOX_ORDER: SortKey[] = [
  { field: 'assignedAt', dir: -1 },
  { field: '_id', dir: -1 },
];

export class ListingService {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    /** Generates a new entry's notices before its workflow starts (without: no notices). */
    private readonly notices?: NoticeIssuer,
  ) {}

  /** Starts the listing workflow; repeating the same request returns the existing entry. */
  start(request: ListingRequest, by = 'system'): Promise<StartedListing> {
    const notices = this.notices && { issuer: this.notices, by };
    return startListing(this.client, this.taskQueue, request, undefined, notices);
  }

  /** Listings, newest first, a page at a time, with the total on the first page. */
  async list(
    q: { status?: string; category?: string; subjectId?: string; region?: string } & PageRequest,
    scope: ListingScope = EVERYWHERE,
  ) {
    const filter: Record<string, string> = {};
    // a county office sees its own region whatever it asks for; the city office may pick one
    const region = scope.region ?? q.region;
    if (region) filter['request.region'] = region;
    if (q.status) filter.status = q.status;
    if (q.category) filter['request.category'] = q.category;
    if (q.subjectId) filter.subjectId = q.subjectId;
    return mapPage(await findPage<ListingDoc>(ListingModel, filter, LISTING_ORDER, q, { total: true }), toListingView);
  }

  async get(entryId: string, scope: ListingScope = EVERYWHERE) {
    const listing = await ListingModel.findById(entryId).lean();
    if (!listing || !inScope(scope, listing.request))
      throw new HttpError(404, 'not_found', `名单条目 ${entryId} 不存在`);
    return toListingView(listing);
  }

  async tasks(entryId: string, scope: ListingScope = EVERYWHERE) {
    await this.get(entryId, scope);
    return (await TaskModel.find({ entryId }).sort({ departmentId: 1 }).lean()).map(toTaskView);
  }

  async events(entryId: string, scope: ListingScope = EVERYWHERE) {
    await this.get(entryId, scope);
    return (await EventModel.find({ entryId }).sort({ seq: 1 }).lean()).map(toEventView);
  }

  /** A closed listing's workflow has completed: say so plainly instead of a Temporal "not found". */
  private async openListing(entryId: string, message: string, scope: ListingScope = EVERYWHERE) {
    const listing = await this.get(entryId, scope);
    if (listing.status === 'closed') throw new HttpError(409, 'conflict', message);
    return listing;
  }

  async remove(entryId: string, by: string, reason: string, scope: ListingScope = EVERYWHERE) {
    await this.openListing(entryId, '名单条目已结束，不能重复移出', scope);
    const handle = this.client.workflow.getHandle(listingWorkflowId(entryId));
    await handle.executeUpdate(removeUpdate, { args: [{ by, reason }] });
    return this.get(entryId);
  }

  /**
   * Tasks overdue now: still not acknowledged after the deadline, or acknowledged and feedback overdue;
   * earliest deadline first, a page at a time, with the total on the first page.
   */
  async overdueTasks(page: PageRequest) {
    return mapPage(await findPage<TaskDoc>(TaskModel, OVERDUE_NOW, OVERDUE_ORDER, page, { total: true }), toTaskView);
  }

  // ---- department side ----

  /** The department's tasks, newest first, a page at a time, with the total on the first page. */
  async inbox(departmentId: string, q: { status?: string } & PageRequest) {
    const filter: Record<string, string> = { departmentId };
    if (q.status) filter.status = q.status;
    const page = await findPage<TaskDoc>(TaskModel, filter, INBOX_ORDER, q, { total: true });
    const tasks = page.items;
    const subjects = new Map(
      (
        await ListingModel.find(
          { _id: { $in: tasks.map((t) => String(t.entryId)) } },
          { request: 1, subjectId: 1 },
        ).lean()
      ).map((l) => [l._id, l]),
    );
    return mapPage(page, (t) => toInboxItem(t, subjects.get(t.entryId)));
  }

  /** The department's own task as the read model has it (404 for another department's). */
  async taskOf(departmentId: string, taskId: string) {
    return toTaskView(await this.ownTask(departmentId, taskId));
  }

  private async ownTask(departmentId: string, taskId: string) {
    const task = await TaskModel.findById(taskId).lean();
    // another department's task is reported as missing, not as forbidden: its existence is not theirs to know
    if (!task || task.departmentId !== departmentId) throw new HttpError(404, 'not_found', `任务 ${taskId} 不存在`);
    return task;
  }

  async acknowledge(departmentId: string, taskId: string, by: string, note?: string) {
    const task = await this.ownTask(departmentId, taskId);
    await this.openListing(task.entryId, '名单条目已结束，任务已解除，无需签收');
    const handle = this.client.workflow.getHandle(listingWorkflowId(task.entryId));
    return toTaskView(await handle.executeUpdate(acknowledgeUpdate, { args: [{ departmentId, by, note }] }));
  }

  async feedback(departmentId: string, taskId: string, fb: Omit<FeedbackInput, 'departmentId'>) {
    const task = await this.ownTask(departmentId, taskId);
    await this.openListing(task.entryId, '名单条目已结束，任务已解除，不能再反馈');
    const handle = this.client.workflow.getHandle(listingWorkflowId(task.entryId));
    const { feedbackId, task: after } = await handle.executeUpdate(feedbackUpdate, { args: [{ ...fb, departmentId }] });
    return { feedbackId, task: toTaskView(after) };
  }

  async feedbackOf(departmentId: string, taskId: string) {
    await this.ownTask(departmentId, taskId);
    return (await FeedbackModel.find({ taskId }).sort({ seq: 1 }).lean()).map(toFeedbackView);
  }

  /** Messages for a department system to pull, oldest first, after a cursor (the last message id seen). */
  async outbox(audience: 'department' | 'office', recipient: string, after: string | undefined, limit: number) {
    const filter: Record<string, unknown> = { audience, recipient };
    if (after) {
      const cursor = await OutboxModel.findById(after).lean();
      if (!cursor || cursor.recipient !== recipient) throw ruleViolation('query.after', [`游标 ${after} 不存在`]);
      filter.$or = [{ at: { $gt: cursor.at } }, { at: cursor.at, _id: { $gt: after } }];
    }
    return (await OutboxModel.find(filter).sort({ at: 1, _id: 1 }).limit(limit).lean()).map(toOutboxView);
  }
}
