/**
 * The exchange with the provincial platform on real servers (Temporal dev server, mongod, worker, API),
 * against the simulator of the provincial side (bench/upstream-simulator.ts): a push, a pull, a file
 * exchange delivery, a correction, a removal, a malformed and a duplicate batch, a batch with a wrong
 * checksum, a receipt the upstream refuses at first, an outage the schedule outlasts, feedback upward.
 */
import { ListingModel, TaskModel } from '../../db/models';
import { UpstreamRowModel } from '../../db/upstream-exchange';
import { entriesDigest, FieldMapping } from '../../domain/upstream-exchange';
import { ensureUpstreamPullSchedule, UPSTREAM_PULL_SCHEDULE_ID } from '../../infra/schedules';
import { upstreamFeedbackWorkflow, upstreamPullWorkflow } from '../../workflows/upstream';
import { feedbackBatchId } from '../../domain/upstream-feedback';
import { cstDate } from '../../domain/cst';
import { benchUscc } from '../../bench/subjects';
import { eventually } from '../support/eventually';
import { recordHistory } from '../support/workflow-env';
import { upstreamBatchWorkflowId } from '../../domain/workflow-ids';
import { daysFromToday, listingBody, today } from '../support/fixtures';
import { startApiStack, type ApiStack } from '../support/api-stack';
import {
  filePackageOf,
  SIM_SENDER,
  startUpstreamSimulator,
  type UpstreamSimulator,
} from '../../bench/upstream-simulator';

let stack: ApiStack;
let sim: UpstreamSimulator;
let platform: string;
let office: string;

beforeAll(async () => {
  sim = await startUpstreamSimulator({ pageSize: 2 });
  stack = await startApiStack('upstream_exchange_api', undefined, {
    upstream: { endpoint: { baseUrl: sim.url, token: sim.token }, mapping: FieldMapping.parse({}) },
  });
  platform = await stack.token({ sub: 'hebei', name: '河北省信用信息共享平台', role: 'platform' });
  office = await stack.token({ sub: 'o1', name: '信用办', role: 'office' });
});
afterAll(async () => {
  await stack.stop();
  await sim.close();
});

let n = 0;
/** An upstream entry to list: a distinct enterprise (by `i`) and decision. */
const upsert = (i: number, over: Record<string, unknown> = {}) => ({
  operation: 'upsert',
  upstreamRecordId: `HB-${i}`,
  version: 1,
  ...listingBody({
    subject: { type: 'enterprise', uscc: benchUscc(700_000 + i), name: `上级下发企业${i}有限公司` },
    decisionDocument: { number: `冀税稽罚〔2026〕${i}号`, date: listingBody().decisionDocument.date },
  }),
  ...over,
});
const batchOf = (entries: unknown[], batchId = `B-${Date.now()}-${++n}`) => ({
  batchId,
  sender: SIM_SENDER,
  sentAt: new Date().toISOString(),
  entries,
});
const push = (batch: unknown) =>
  stack.call('POST', '/api/v1/exchange/upstream/batches', { token: platform, body: batch });

/** Waits until the batch is applied and returns its view. */
async function applied(batchId: string) {
  return eventually(async () => {
    const r = await stack.call('GET', `/api/v1/exchange/upstream/batches/${batchId}`, { token: platform });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('applied');
    return r.body;
  }, 60_000);
}
const listingOf = (i: number) =>
  ListingModel.find({ subjectId: benchUscc(700_000 + i) })
    .sort({ startedAt: 1 })
    .lean();
const fannedOut = (entryId: string) =>
  eventually(async () => expect(await TaskModel.countDocuments({ entryId })).toBeGreaterThan(0), 60_000);

describe('a pushed batch', () => {
  it('lists every good row through the listing path and refuses the others with their index and reason', async () => {
    const batch = batchOf([
      upsert(1),
      upsert(2),
      upsert(3, { subject: { type: 'enterprise', uscc: '914403001922038217', name: '校验位错误企业' } }),
      upsert(4, { category: 'no_such_category' }),
      { ...upsert(5), upstreamRecordId: undefined },
    ]);
    const r = await push(batch);
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ repeated: false, batch: { batchId: batch.batchId, rows: 5, mode: 'push' } });
    const done = await applied(batch.batchId);
    expect(done.receipt).toMatchObject({
      status: 'partly_applied',
      counts: { created: 2, corrected: 0, removed: 0, unchanged: 0, stale: 0, refused: 3 },
    });
    expect(done.receipt.refused).toEqual([
      { index: 2, upstreamRecordId: 'HB-3', reason: expect.stringContaining('subject.uscc') },
      { index: 3, upstreamRecordId: 'HB-4', reason: expect.stringContaining('category') },
      { index: 4, reason: expect.stringContaining('upstreamRecordId') },
    ]);
    for (const i of [1, 2]) {
      const [l] = await listingOf(i);
      expect(l.request.decisionDocument.number).toBe(`冀税稽罚〔2026〕${i}号`);
      await fannedOut(l.entryId);
    }
    expect(await listingOf(3)).toEqual([]);
  });

  it('is taken once: a repeated delivery answers the first batch; its id with other entries is refused', async () => {
    const batch = batchOf([upsert(6)]);
    expect((await push(batch)).status).toBe(202);
    await applied(batch.batchId);
    const again = await push(batch);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ repeated: true, batch: { status: 'applied' } });
    expect(await listingOf(6)).toHaveLength(1);
    const other = await push({ ...batch, entries: [upsert(7)] });
    expect(other.status).toBe(409);
    expect(other.body.error.message).toContain(batch.batchId);
    expect(await listingOf(7)).toEqual([]);
  });

  it('with a wrong checksum is refused whole, with both digests, and nothing is stored', async () => {
    const batch = { ...batchOf([upsert(8)]), sha256: entriesDigest([upsert(9)]) };
    const r = await push(batch);
    expect(r.status).toBe(422);
    expect(r.body.error.message).toContain(entriesDigest(batch.entries));
    expect(
      (await stack.call('GET', `/api/v1/exchange/upstream/batches/${batch.batchId}`, { token: office })).status,
    ).toBe(404);
    // the same batch with the right digest is then taken
    expect((await push({ ...batch, sha256: entriesDigest(batch.entries) })).status).toBe(202);
    await applied(batch.batchId);
  });

  it('with a malformed envelope answers 400 naming the field', async () => {
    const r = await push({ ...batchOf([upsert(10)]), sentAt: 'yesterday' });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain('sentAt');
  });
});

describe('a file exchange delivery', () => {
  it('is pushed as a manifest and data files, each checked before any row is taken', async () => {
    const batch = batchOf([upsert(51), upsert(52), upsert(53)]);
    const pkg = filePackageOf(batch);
    const pushFiles = (body: unknown) =>
      stack.call('POST', '/api/v1/exchange/upstream/file-batches', { token: platform, body });
    const tampered = { ...pkg, files: [pkg.files[0], { ...pkg.files[1], content: pkg.files[0].content }] };
    const refused = await pushFiles(tampered);
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toContain(`${pkg.files[1].name} 的校验值不符`);
    expect(await listingOf(51)).toEqual([]);

    expect((await pushFiles(pkg)).status).toBe(202);
    expect((await applied(batch.batchId)).receipt.counts).toMatchObject({ created: 3, refused: 0 });
    for (const i of [51, 52, 53]) expect(await listingOf(i)).toHaveLength(1);
  });
});

describe('a later version of a record', () => {
  it('corrects the listing (replaced by a new one) and a removal ends it, lifting every measure', async () => {
    const first = batchOf([upsert(11)]);
    await push(first);
    await applied(first.batchId);
    const [original] = await listingOf(11);
    await fannedOut(original.entryId);

    const corrected = batchOf([upsert(11, { version: 2, reason: '更正：虚开增值税专用发票金额有误' })]);
    await push(corrected);
    expect((await applied(corrected.batchId)).receipt.counts).toMatchObject({ corrected: 1 });
    const listings = await listingOf(11);
    expect(listings).toHaveLength(2);
    const replacement = listings.find((l) => l.entryId !== original.entryId)!;
    expect(replacement.request.reason).toBe('更正：虚开增值税专用发票金额有误');
    await eventually(async () => {
      expect(await ListingModel.findById(original.entryId).lean()).toMatchObject({ status: 'closed' });
    }, 30_000);
    await fannedOut(replacement.entryId);

    // an older version arriving late changes nothing; the same version again neither
    const late = batchOf([upsert(11)]);
    await push(late);
    expect((await applied(late.batchId)).receipt.counts).toMatchObject({ stale: 1 });

    const removal = batchOf([
      {
        operation: 'remove',
        upstreamRecordId: 'HB-11',
        version: 3,
        removedOn: listingBody().effectiveDate,
        reason: '已履行完毕，上级平台移出',
      },
    ]);
    await push(removal);
    expect((await applied(removal.batchId)).receipt.counts).toMatchObject({ removed: 1 });
    await eventually(async () => {
      expect(await ListingModel.findById(replacement.entryId).lean()).toMatchObject({ status: 'closed' });
      const tasks = await TaskModel.find({ entryId: replacement.entryId }).lean();
      expect(tasks.length).toBeGreaterThan(0);
      expect(tasks.every((t) => t.status === 'lifted')).toBe(true);
    }, 30_000);
  });
});

describe('versions out of order, and an entry listed here before', () => {
  it('keeps a removal that came first, so the older upsert arriving after it is stale', async () => {
    const removal = batchOf([
      { operation: 'remove', upstreamRecordId: 'HB-61', version: 3, removedOn: today, reason: '上级平台已移出该记录' },
    ]);
    await push(removal);
    expect((await applied(removal.batchId)).receipt.counts).toMatchObject({ unchanged: 1 });
    const late = batchOf([upsert(61, { version: 2 })]);
    await push(late);
    expect((await applied(late.batchId)).receipt.counts).toMatchObject({ stale: 1, created: 0 });
    expect(await listingOf(61)).toEqual([]);
  });

  it('lists an entry again under an id of its own when the same decision ended here before', async () => {
    const own = upsert(62);
    const { operation: _o, upstreamRecordId: _u, version: _v, ...request } = own;
    const before = await stack.call('POST', '/api/v1/office/listings', { token: office, body: request });
    expect(before.status).toBe(201);
    const removed = await stack.call('POST', `/api/v1/office/listings/${before.body.entryId}/removal`, {
      token: office,
      body: { reason: '本地先行录入，现移出' },
    });
    expect(removed.status).toBe(200);
    const batch = batchOf([own]);
    await push(batch);
    expect((await applied(batch.batchId)).receipt.counts).toMatchObject({ created: 1 });
    const listings = await listingOf(62);
    expect(listings).toHaveLength(2);
    const fresh = listings.find((l) => l.entryId !== before.body.entryId)!;
    await fannedOut(fresh.entryId);
  });
});

describe('the pull', () => {
  it('takes in what was published, sends each receipt back (one retried) and never applies twice', async () => {
    const batches = [batchOf([upsert(21), upsert(22)]), batchOf([upsert(23)]), batchOf([upsert(21)])];
    for (const b of batches) sim.publish(b);
    // a batch whose digest is not its entries': refused whole, and told so
    sim.publish({ ...batchOf([upsert(24)]), sha256: entriesDigest([]) });
    // a batch id already used for other entries (pushed before): refused under an id of its own
    const taken = batchOf([upsert(26)]);
    expect((await push(taken)).status).toBe(202);
    sim.publish({ ...taken, entries: [upsert(27)] });
    // and a file exchange delivery, pulled like a batch
    const files = batchOf([upsert(25)]);
    sim.publishFiles(files);
    sim.refuseReceipts(1);
    await stack.env.client.workflow.execute(upstreamPullWorkflow, {
      workflowId: `pull-${Date.now()}`,
      taskQueue: stack.taskQueue,
      args: [{ taskQueue: stack.taskQueue }],
    });
    for (const b of batches) await applied(b.batchId);
    // record 21 comes twice: whichever batch applies it second (batch workflows run side by side) finds it
    // unchanged, so across the two receipts 21 and 22 are created once each and one delivery changes nothing
    const [first, repeat] = [await applied(batches[0].batchId), await applied(batches[2].batchId)];
    const across = (k: 'created' | 'unchanged') => (first.receipt.counts[k] ?? 0) + (repeat.receipt.counts[k] ?? 0);
    expect([across('created'), across('unchanged')]).toEqual([2, 1]);
    await applied(files.batchId);
    for (const i of [21, 22, 23, 25, 26]) expect(await listingOf(i)).toHaveLength(1);
    expect(await listingOf(27)).toEqual([]);
    expect(await listingOf(24)).toEqual([]);
    await eventually(async () => {
      const got = new Set(sim.receipts.map((r) => r.batchId));
      for (const b of batches) expect(got.has(b.batchId)).toBe(true);
      expect(sim.receipts.some((r) => r.status === 'refused' && r.refused[0].reason.includes('校验值不符'))).toBe(true);
      expect(sim.receipts.some((r) => r.batchId.startsWith(`${taken.batchId}~conflict-`))).toBe(true);
    }, 90_000);
    const views = await stack.call('GET', '/api/v1/office/upstream/batches?limit=100', { token: office });
    expect(views.status).toBe(200);
    const pulled = views.body.items.filter((b: { mode: string }) => b.mode === 'pull');
    expect(pulled.filter((b: { status: string }) => b.status === 'applied')).toHaveLength(4);
    await eventually(async () => {
      const again = await stack.call('GET', `/api/v1/exchange/upstream/batches/${batches[0].batchId}`, {
        token: office,
      });
      expect(again.body.receiptDelivery).toMatchObject({ status: 'sent' });
    }, 90_000);
    const batchRun = stack.env.client.workflow.getHandle(upstreamBatchWorkflowId(batches[0].batchId));
    await batchRun.result();
    await recordHistory(batchRun, 'upstream-batch-pulled.json');
  });

  it('outlasts an outage of the upstream on its schedule: what was published meanwhile is applied once', async () => {
    sim.setDown(true);
    const during = [batchOf([upsert(31)]), batchOf([upsert(32), upsert(31)])];
    for (const b of during) sim.publish(b);
    // every 3 seconds here; in production every XINLIAN_UPSTREAM_PULL_MINUTES
    await ensureUpstreamPullSchedule(stack.env.client, stack.taskQueue, {
      endpoint: { baseUrl: sim.url },
      pullMinutes: 0.05,
    });
    try {
      await eventually(async () => expect(sim.pulls.refused).toBeGreaterThanOrEqual(2), 60_000);
      sim.setDown(false);
      for (const b of during) await applied(b.batchId);
    } finally {
      await stack.env.client.schedule.getHandle(UPSTREAM_PULL_SCHEDULE_ID).delete();
    }
    expect(await listingOf(31)).toHaveLength(1);
    expect(await listingOf(32)).toHaveLength(1);
    // every row of every batch was applied exactly once: one done row per entry, one listing per record
    const rows = await UpstreamRowModel.find({ batchId: { $in: during.map((b) => b.batchId) } }).lean();
    expect(rows.map((r) => r.result).sort()).toEqual(['created', 'created', 'unchanged']);
  });
});

describe('feedback upward', () => {
  it("sends the period's feedback and checks on upstream entries, retrying a refusal the office sees", async () => {
    const batch = batchOf([upsert(41)]);
    await push(batch);
    await applied(batch.batchId);
    const [l] = await listingOf(41);
    await fannedOut(l.entryId);
    // a listing of the city's own is not reported upward
    const own = await stack.call('POST', '/api/v1/office/listings', {
      token: office,
      body: listingBody({ subject: { type: 'enterprise', uscc: benchUscc(700_042), name: '本市认定企业' } }),
    });
    expect(own.status).toBe(201);
    await fannedOut(own.body.entryId);

    const tax = await stack.token({ sub: 't1', name: '税务局李四', role: 'department', departmentId: 'tax' });
    for (const entryId of [l.entryId, own.body.entryId]) {
      const task = (await TaskModel.findOne({ entryId, departmentId: 'tax' }).lean())!;
      const path = `/api/v1/departments/me/tasks/${task.taskId}`;
      expect((await stack.call('POST', `${path}/acknowledgement`, { token: tax, body: {} })).status).toBe(200);
      const fb = {
        matter: 'tax_incentive',
        measureIds: [task.measures[0].id],
        appliedOn: today,
        outcome: '取消税收优惠',
      };
      expect((await stack.call('POST', `${path}/feedback`, { token: tax, body: fb })).status).toBe(201);
    }
    const check = await stack.call('POST', '/api/v1/departments/me/checks', {
      token: tax,
      body: { subjectId: benchUscc(700_041), matter: 'tax_incentive' },
    });
    expect(check.body.result).toBe('hit');
    await stack.checkLog.flush();

    // the upstream refuses the first delivery; the batch is sent again and taken
    sim.refuseFeedback(1, '缺少执行部门统一社会信用代码');
    // from the day the file was loaded to today (CST): a run across midnight CST keeps what it recorded
    const period = { from: today, to: cstDate(new Date()) };
    const wfId = `feedback-${Date.now()}`;
    const wf = stack.env.client.workflow.execute(upstreamFeedbackWorkflow, {
      workflowId: wfId,
      taskQueue: stack.taskQueue,
      args: [{ period, retryAfter: '1 second' }],
    });
    await eventually(async () => {
      const r = await stack.call('GET', '/api/v1/office/upstream/feedback-batches', { token: office });
      expect(r.body.items[0]).toMatchObject({ status: 'pending', lastRefusal: '缺少执行部门统一社会信用代码' });
    }, 30_000);
    expect(await wf).toEqual({ batchId: feedbackBatchId(period) });
    await recordHistory(stack.env.client.workflow.getHandle(wfId), 'upstream-feedback-refused-then-sent.json');
    const view = await stack.call('GET', `/api/v1/office/upstream/feedback-batches/${feedbackBatchId(period)}`, {
      token: office,
    });
    expect(view.body).toMatchObject({ status: 'sent', statusLabel: '已报送', attempts: 2, feedback: 1, checks: 1 });
    const sent = sim.feedback.find((b) => b.batchId === feedbackBatchId(period))!;
    expect(sent.feedback).toEqual([
      expect.objectContaining({
        upstreamRecordId: 'HB-41',
        entryId: l.entryId,
        departmentId: 'tax',
        outcome: '取消税收优惠',
      }),
    ]);
    expect(sent.checks).toEqual([
      expect.objectContaining({
        upstreamRecordId: 'HB-41',
        departmentId: 'tax',
        matter: 'tax_incentive',
        undecided: true,
      }),
    ]);

    // the office asking for the same period again finds it sent; a period ending tomorrow is refused
    const again = await stack.call('POST', '/api/v1/office/upstream/feedback-batches', { token: office, body: period });
    expect(again).toMatchObject({ status: 200, body: { status: 'sent' } });
    const future = await stack.call('POST', '/api/v1/office/upstream/feedback-batches', {
      token: office,
      body: { from: today, to: daysFromToday(1) },
    });
    expect(future.status).toBe(422);
    expect(future.body.error.message).toContain('截止日不能晚于今天');
  });
});
