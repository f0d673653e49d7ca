/**
 * A department system with a webhook: task messages are pushed to it and retried with backoff when it
 * hangs or fails, while the listing goes on without waiting.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { OutboxModel } from '../../db/models';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { eventually } from '../support/eventually';
import { listingBody } from '../support/fixtures';
import { recordHistory, SMALL_MEASURES } from '../support/workflow-env';

jest.setTimeout(120_000);

let stack: ApiStack;
let hook: http.Server;
const received: Array<{ at: number; body: { id: string; type: string } }> = [];
let calls = 0;

beforeAll(async () => {
  hook = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      calls++;
      if (calls === 1) return; // first call: never answers (the delivery attempt times out)
      if (calls === 2) {
        res.writeHead(503).end('busy');
        return;
      }
      received.push({ at: Date.now(), body: JSON.parse(body) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'measures-hook-'));
  cpSync(SMALL_MEASURES, dir, { recursive: true });
  const alpha = JSON.parse(readFileSync(path.join(dir, 'alpha.json'), 'utf8'));
  alpha.department.webhookUrl = `http://127.0.0.1:${(hook.address() as { port: number }).port}/xinlian`;
  writeFileSync(path.join(dir, 'alpha.json'), JSON.stringify(alpha));
  stack = await startApiStack('webhook', dir);
});
afterAll(async () => {
  await stack.stop();
  hook.closeAllConnections();
  hook.close();
});

it('retries a hanging then failing webhook with backoff and never holds the listing up', async () => {
  const office = await stack.token({ sub: 'o', name: '信用办', role: 'office' });
  const t0 = Date.now();
  const created = await stack.call('POST', '/api/v1/office/listings', { token: office, body: listingBody() });
  // the fan-out completes at once although alpha's webhook hangs
  const tasks = await eventually(async () => {
    const r = await stack.call('GET', `/api/v1/office/listings/${created.body.entryId}/tasks`, { token: office });
    expect(r.body.map((t: { departmentId: string }) => t.departmentId)).toEqual(['alpha', 'beta']);
    return r.body;
  }, 5000);
  expect(Date.now() - t0).toBeLessThan(5000);
  expect(tasks).toHaveLength(2);

  const id = `${created.body.entryId}:assigned:alpha`;
  const delivered = await eventually(async () => {
    const m = await OutboxModel.findById(id).lean();
    expect((m as { webhook?: { deliveredAt?: string } })?.webhook?.deliveredAt).toBeDefined();
    return m as unknown as { webhook: { attempts: number; deliveredAt: string; lastError?: string } };
  }, 60_000);
  expect(delivered.webhook.attempts).toBe(3);
  expect(delivered.webhook.lastError).toBeUndefined();
  expect(received.map((r) => r.body.id)).toEqual([id]);
  expect(received[0].body.type).toBe('task_assigned');
  // beta has no webhook: nothing was pushed for it
  expect((await OutboxModel.findById(`${created.body.entryId}:assigned:beta`).lean()) as object).not.toHaveProperty(
    'webhook',
  );

  // removed: the close is pushed to alpha too; the run ends (a replay fixture of the webhook pushes)
  const removed = await stack.call('POST', `/api/v1/office/listings/${created.body.entryId}/removal`, {
    token: office,
    body: { reason: '测试结束，移出名单' },
  });
  expect(removed.status).toBe(200);
  await eventually(async () => expect(received.map((r) => r.body.type)).toContain('lift'), 60_000);
  const run = stack.env.client.workflow.getHandle(`listing-${created.body.entryId}`);
  await run.result();
  await recordHistory(run, 'listing-webhook-pushes.json');
});
