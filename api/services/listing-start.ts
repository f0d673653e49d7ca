/**
 * Starting a listing workflow, idempotently (business id `listing-<entryId>`, USE_EXISTING): one code
 * path for the API's single entry and the bulk import's rows (the import activity calls it too, so
 * an imported row becomes a listing exactly as a posted one does).
 */
import {
  Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
} from '@temporalio/client';
import { entryIdOf, listingWorkflowId, type ListingRequest } from '../../domain/listing';
import { subjectId } from '../../domain/subject';
import { ListingModel } from '../../db/models';
import { listingWorkflow } from '../../workflows/listing';
import type { NoticeIssuer } from './notice-issue';

export interface StartedListing {
  /** The entry did not exist before this start. */
  created: boolean;
  entryId: string;
  workflowId: string;
}

/**
 * Starts the listing workflow; repeating the same request finds the existing entry. `existedBefore`,
 * when the caller recorded it earlier (a retried import chunk), decides `created` instead of a fresh look.
 * With `notices`, a new entry's notices are generated first (api/services/notice-issue.ts).
 */
export async function startListing(
  client: Client,
  taskQueue: string,
  request: ListingRequest,
  existedBefore?: boolean,
  notices?: { issuer: NoticeIssuer; by: string },
  /** The entry id, when not the request's own (an upstream record's later versions: domain/upstream-exchange.ts). */
  entryId = entryIdOf(request),
): Promise<StartedListing> {
  const workflowId = listingWorkflowId(entryId);
  const existing = existedBefore ?? !!(await ListingModel.exists({ _id: entryId }));
  // a new entry's notices are stored before its workflow starts, with the serving date it will plan from
  if (!existing && notices) request = await notices.issuer.beforeStart(entryId, request, notices.by);
  try {
    await client.workflow.start(listingWorkflow, {
      workflowId,
      taskQueue,
      args: [{ entryId, request }],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
  } catch (e) {
    if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
    return { created: false, entryId, workflowId };
  }
  if (!existing) {
    // a placeholder so the entry is visible at once; the workflow's first projection supersedes it (rev 0)
    await ListingModel.collection.updateOne(
      { _id: entryId as never },
      {
        $setOnInsert: {
          entryId,
          request,
          subjectId: subjectId(request.subject),
          status: 'notice',
          rev: 0,
          startedAt: new Date().toISOString(),
          taskCount: 0,
        },
      },
      { upsert: true },
    );
  }
  return { created: !existing, entryId, workflowId };
}
