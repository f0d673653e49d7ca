/**
 * Activities of the re-matching workflow: finding the running listings a catalogue change may concern
 * (by page of entry ids), and sending each the listing workflow's `rematch` Update once (the update id
 * is the change's key). A listing that has ended, is still in its notice period or refuses is reported
 * as skipped, not retried.
 */
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ListingModel, TaskModel } from '../db/models';
import { listingWorkflowId } from '../domain/workflow-ids';
import { rematchUpdate, type RematchInput, type RematchResult } from '../workflows/rematch-update';

/** Listings in force on a list category of the change (a publication), or holding a measure (a suspension). */
export type RematchTargets = { categories: string[] } | { measureId: string };

export function createRematchActivities(client: Client) {
  return {
    async findRematchTargets(input: { targets: RematchTargets; after: string; limit: number }): Promise<string[]> {
      const { targets, after, limit } = input;
      if ('measureId' in targets) {
        const ids = (await TaskModel.distinct('entryId', {
          'measures.id': targets.measureId,
          status: { $ne: 'lifted' },
          entryId: { $gt: after },
        })) as string[];
        return ids.sort().slice(0, limit);
      }
      const rows = await ListingModel.collection
        .find(
          { status: 'active', 'request.category': { $in: targets.categories }, _id: { $gt: after as never } },
          { projection: { _id: 1 } },
        )
        .sort({ _id: 1 })
        .limit(limit)
        .toArray();
      return rows.map((r) => String(r._id));
    },

    async rematchTarget(input: {
      entryId: string;
      change: RematchInput;
    }): Promise<{ outcome: 'changed' | 'unchanged' | 'already' | 'skipped'; reason?: string }> {
      try {
        const r: RematchResult = await client.workflow
          .getHandle(listingWorkflowId(input.entryId))
          .executeUpdate(rematchUpdate, { args: [input.change], updateId: input.change.key });
        if (!r.applied) return { outcome: 'already' };
        return { outcome: r.changes.length ? 'changed' : 'unchanged' };
      } catch (e) {
        if (e instanceof WorkflowUpdateFailedError && e.cause instanceof ApplicationFailure)
          return { outcome: 'skipped', reason: e.cause.message };
        if (e instanceof WorkflowNotFoundError) return { outcome: 'skipped', reason: '流程已结束' };
        throw e;
      }
    },
  };
}

export type RematchActivities = ReturnType<typeof createRematchActivities>;
