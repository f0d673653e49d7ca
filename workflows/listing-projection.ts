/**
 * How the listing workflow writes what it decided: the projection batch first (MongoDB, one activity),
 * then each department message pushed to the department's webhook, if it has one, by an abandoned child
 * workflow, so a slow or failing webhook never holds the listing up.
 */
import { ParentClosePolicy, startChild } from '@temporalio/workflow';
import { webhookWorkflowId } from '../domain/workflow-ids';
import { project } from './common';
import type { OutboxMessage, ProjectionBatch } from './listing-types';
import { webhookDeliveryWorkflow } from './webhook';

/** Writes `batch`, then starts a webhook delivery for every message whose recipient has a webhook. */
export async function projectAndPush(
  batch: ProjectionBatch,
  webhookFor: (message: OutboxMessage) => string | undefined,
): Promise<void> {
  await project(batch);
  const pushes = (batch.outbox ?? []).flatMap((message) => {
    const url = webhookFor(message);
    return url ? [{ url, message }] : [];
  });
  await Promise.all(
    pushes.map((d) =>
      startChild(webhookDeliveryWorkflow, {
        workflowId: webhookWorkflowId(d.message.id),
        args: [d],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      }),
    ),
  );
}
