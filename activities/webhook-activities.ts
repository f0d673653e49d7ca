/** Webhook delivery: POST the message as JSON; record attempts on the outbox document. */
import { Context } from '@temporalio/activity';
import { OutboxModel } from '../db/models';
import type { WebhookDelivery } from '../workflows/webhook';

export async function deliverWebhook({ url, message }: WebhookDelivery): Promise<void> {
  const attempt = Context.current().info.attempt;
  await OutboxModel.collection.updateOne(
    { _id: message.id as never },
    { $set: { webhook: { url, attempts: attempt, lastAttemptAt: new Date().toISOString() } } },
  );
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 8000);
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': message.id },
      body: JSON.stringify(message),
      signal: controller.signal,
    });
    if (!res.ok) throw new Error(`webhook answered HTTP ${res.status}`);
  } catch (e) {
    await OutboxModel.collection.updateOne(
      { _id: message.id as never },
      { $set: { 'webhook.lastError': (e as Error).message } },
    );
    throw e;
  } finally {
    clearTimeout(timer);
  }
  await OutboxModel.collection.updateOne(
    { _id: message.id as never },
    { $set: { 'webhook.deliveredAt': new Date().toISOString() }, $unset: { 'webhook.lastError': '' } },
  );
}

export async function recordDeliveryFailure({ messageId, error }: { messageId: string; error: string }): Promise<void> {
  await OutboxModel.collection.updateOne(
    { _id: messageId as never },
    { $set: { 'webhook.failedAt': new Date().toISOString(), 'webhook.lastError': error } },
  );
}
