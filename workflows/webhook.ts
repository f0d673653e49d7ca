/**
 * Delivers one outbox message to a department system's webhook, retrying with backoff until it is
 * taken or the delivery window closes. Started by the listing workflow as an abandoned child, so a
 * slow or failing webhook never holds the listing up.
 */
import { ActivityFailure, proxyActivities } from '@temporalio/workflow';
import type * as activities from '../activities/webhook-activities';
import type { OutboxMessage } from './listing-types';

export interface WebhookDelivery {
  url: string;
  message: OutboxMessage;
}

const { deliverWebhook, recordDeliveryFailure } = proxyActivities<typeof activities>({
  startToCloseTimeout: '10 seconds', // a webhook that hangs counts as a failed attempt
  scheduleToCloseTimeout: '3 days',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

export async function webhookDeliveryWorkflow(d: WebhookDelivery): Promise<{ delivered: boolean }> {
  try {
    await deliverWebhook(d);
    return { delivered: true };
  } catch (e) {
    if (!(e instanceof ActivityFailure)) throw e;
    await recordDeliveryFailure({ messageId: d.message.id, error: e.cause?.message ?? e.message });
    return { delivered: false };
  }
}
