/**
 * The provincial exchange under faults on real servers (docs/upstream-exchange.md): the worker (from dist/)
 * killed with SIGKILL in the middle of a batch of about 2,000 upstream rows and restarted. Every row must
 * be applied once: each new record one listing, each correction and removal carried out once, the rows'
 * outcomes, the receipt's counts and the stored records exact, and nothing listed for a refused row.
 * The worker is killed three times: the moment between a row recording its version and being marked done
 * is a few milliseconds of each row, and a kill there is what showed a retried row counted as stale.
 * The listings run on the worker's own queue: corrections and removals within the batch are the listing
 * workflow's removal Update, which a queue no worker polls would never answer.
 */
import type { ChildProcess } from 'node:child_process';
import mongoose from 'mongoose';
import { takeInBatch } from '../../api/services/upstream-intake';
import { benchUscc } from '../../bench/subjects';
import { connectMongo, ListingModel } from '../../db/models';
import {
  UpstreamBatchModel,
  UpstreamRecordModel,
  UpstreamRowModel,
  type UpstreamBatchDoc,
  type UpstreamRowDoc,
} from '../../db/upstream-exchange';
import { entryIdOf } from '../../domain/listing';
import {
  FieldMapping,
  listingRequestOf,
  readUpstreamRow,
  upstreamDigest,
  upstreamEntryId,
  type ApplyResult,
  type UpstreamEntry,
} from '../../domain/upstream-exchange';
import { startFaultStack, until, type FaultStack } from '../support/fault-stack';
import { daysFromToday, listingBody } from '../support/fixtures';
import { SIM_SENDER } from '../../bench/upstream-simulator';

jest.setTimeout(600_000);

const MAPPING = FieldMapping.parse({});

let stack: FaultStack;

beforeAll(async () => {
  stack = await startFaultStack('upstream-fault');
  await connectMongo(stack.mongoUri());
});

afterAll(async () => {
  await mongoose.disconnect();
  await stack?.stop();
});

/** What a row must end as: its outcome, and the listing it concerned. */
interface Expected {
  result: ApplyResult;
  entryId?: string;
}

/** What each upstream record must end as in `upstream_records`. */
interface ExpectedRecord {
  version: number;
  digest: string;
  entryId: string;
  removed: boolean;
}

/**
 * A batch of `n` new records (`<prefix>-<i>`, distinct enterprises from `usccBase`) with, every 25 rows, a
 * row refused at intake (bad USCC check digit, unknown category, no record id) and, every 20 rows, a row
 * repeating the record 15 before it: the same version and content (unchanged), a later version (corrected),
 * a removal (removed), or the same version with other content (refused: a correction raises the version).
 * Answers the batch and what each row, record and listing must end as.
 */
function batchOf(batchId: string, prefix: string, n: number, usccBase: number) {
  const entries: unknown[] = [];
  const rows: Expected[] = [];
  const records = new Map<string, ExpectedRecord>();
  const listed: string[] = [];
  const closed: string[] = [];
  const refusedUscc: string[] = [];
  const refusedIds: string[] = [];
  const usccs = Array.from({ length: n }, (_, i) => benchUscc(usccBase + i));
  const upsert = (i: number, over: Record<string, unknown> = {}) => ({
    operation: 'upsert',
    upstreamRecordId: `${prefix}-${i}`,
    version: 1,
    ...listingBody({
      subject: { type: 'enterprise', uscc: benchUscc(usccBase + i), name: `上级下发故障企业${i}有限公司` },
      decisionDocument: { number: `冀税稽罚〔${prefix}〕${i}号`, date: daysFromToday(-30) },
    }),
    ...over,
  });
  const read = (raw: unknown): UpstreamEntry => {
    const r = readUpstreamRow(raw, MAPPING);
    if (!r.ok) throw new Error(`test row refused: ${r.reason}`);
    return r.entry;
  };
  const add = (raw: unknown, expected: Expected) => {
    entries.push(raw);
    rows.push(expected);
  };
  for (let i = 0; i < n; i++) {
    const raw = upsert(i);
    const entry = read(raw);
    const entryId = entryIdOf(listingRequestOf(entry as Extract<UpstreamEntry, { operation: 'upsert' }>));
    add(raw, { result: 'created', entryId });
    records.set(`${prefix}-${i}`, { version: 1, digest: upstreamDigest(entry), entryId, removed: false });
    listed.push(entryId);
    if (i % 25 === 24) {
      const k = Math.floor(i / 25);
      const uscc = benchUscc(usccBase + n + k);
      const bad = [
        // the check character of a valid code changed
        upsert(n + k, { subject: { type: 'enterprise', uscc: uscc.slice(0, 17) + (uscc.endsWith('0') ? '1' : '0') } }),
        upsert(n + k, { category: 'no_such_category' }),
        { ...upsert(n + k), upstreamRecordId: undefined },
      ][k % 3];
      refusedUscc.push((bad.subject as { uscc: string }).uscc);
      refusedIds.push(`${prefix}-${n + k}`);
      add(bad, { result: 'refused' });
    }
    if (i % 20 === 10 && i >= 20) {
      const r = i - 15;
      const id = `${prefix}-${r}`;
      const before = records.get(id)!;
      const kind = Math.floor(i / 20) % 4;
      if (kind === 0) add(upsert(r), { result: 'unchanged' });
      else if (kind === 1) {
        const raw2 = upsert(r, { version: 2, reason: '更正：虚开增值税专用发票金额有误' });
        const entry2 = read(raw2);
        const request2 = listingRequestOf(entry2 as Extract<UpstreamEntry, { operation: 'upsert' }>);
        const applied = { upstreamRecordId: id, ...before };
        const entryId = upstreamEntryId(request2, 2, applied);
        add(raw2, { result: 'corrected', entryId });
        records.set(id, { version: 2, digest: upstreamDigest(entry2), entryId, removed: false });
        listed.push(entryId);
        closed.push(before.entryId);
      } else if (kind === 2) {
        const removal = {
          operation: 'remove',
          upstreamRecordId: id,
          version: 2,
          removedOn: daysFromToday(-1),
          reason: '失信行为已纠正，上级平台移出',
        };
        add(removal, { result: 'removed', entryId: before.entryId });
        records.set(id, { ...before, version: 2, digest: upstreamDigest(read(removal)), removed: true });
        closed.push(before.entryId);
      } else add(upsert(r, { reason: '同一版本的另一内容' }), { result: 'refused' });
    }
  }
  const batch = { batchId, sender: SIM_SENDER, sentAt: new Date().toISOString(), entries };
  return { batch, rows, records, listed, closed, usccs, refusedUscc, refusedIds };
}

type Scenario = ReturnType<typeof batchOf>;

const deliver = (batch: unknown) =>
  takeInBatch({ client: stack.client, taskQueue: stack.taskQueue, mapping: MAPPING }, batch, 'push');
const batchDoc = async (batchId: string) => (await UpstreamBatchModel.findById(batchId).lean<UpstreamBatchDoc>())!;
/** Rows applied so far (not counting those refused at intake, which are done as they are stored). */
const appliedRows = (batchId: string) =>
  UpstreamRowModel.countDocuments({ batchId, status: 'done', action: { $exists: true } });

/** Starts a worker and kills it (SIGKILL) once `atLeast` rows of the batch are applied, not all of them. */
async function killAt(s: Scenario, atLeast: number): Promise<void> {
  const worker: ChildProcess = await stack.startWorker();
  await until(async () => (await appliedRows(s.batch.batchId)) >= atLeast, 300_000);
  await stack.stopWorker(worker, 'SIGKILL');
  // killed in the middle, not after the end
  expect(await appliedRows(s.batch.batchId)).toBeLessThan(s.rows.filter((r) => r.result !== 'refused').length);
}

/** Applied, and every row, record, listing and the receipt exactly as the batch says. */
async function expectExact(s: Scenario) {
  const { batchId } = s.batch;
  await until(async () => (await batchDoc(batchId)).status === 'applied', 480_000);

  const rows = await UpstreamRowModel.find({ batchId }).sort({ index: 1 }).lean<UpstreamRowDoc[]>();
  expect(rows.map((r) => [r.index, r.status, r.result, r.entryId])).toEqual(
    s.rows.map((e, index) => [index, 'done', e.result, e.entryId]),
  );

  const counts = { created: 0, corrected: 0, removed: 0, unchanged: 0, stale: 0, refused: 0 };
  for (const e of s.rows) counts[e.result]++;
  const { receipt } = await batchDoc(batchId);
  expect(receipt).toMatchObject({ batchId, status: 'partly_applied', counts });
  expect(receipt!.refused.map((r) => r.index)).toEqual(
    s.rows.flatMap((e, index) => (e.result === 'refused' ? [index] : [])),
  );

  // one record per upstream record id, at the version its last row applied; none for a refused row
  const records = await UpstreamRecordModel.find({ _id: { $in: [...s.records.keys(), ...s.refusedIds] } }).lean();
  expect(
    new Map(
      records.map((r) => [r._id, { version: r.version, digest: r.digest, entryId: r.entryId, removed: r.removed }]),
    ),
  ).toEqual(s.records);

  // one listing per new record and per correction, none for a refused row; the replaced ones closed
  expect(await ListingModel.countDocuments({ _id: { $in: s.listed } })).toBe(s.listed.length);
  expect(await ListingModel.countDocuments({ subjectId: { $in: s.usccs } })).toBe(s.listed.length);
  expect(await ListingModel.countDocuments({ 'request.subject.uscc': { $in: s.refusedUscc } })).toBe(0);
  expect(await ListingModel.countDocuments({ _id: { $in: s.closed }, status: 'closed' })).toBe(s.closed.length);
  // and one listing workflow each: Temporal's visibility agrees (it may lag a moment behind)
  const ids = new Set(s.listed.map((id) => `listing-${id}`));
  await until(async () => {
    let n = 0;
    for await (const wf of stack.client.workflow.list({ query: `WorkflowType = 'listingWorkflow'` }))
      if (ids.has(wf.workflowId)) n++;
    return n === ids.size;
  }, 60_000);
}

it('applies every row of a batch once when the worker is killed (SIGKILL) mid-batch and restarted', async () => {
  const s = batchOf('HB-FAULT-KILL', 'HB-F', 2000, 0);
  expect((await deliver(s.batch)).kind).toBe('stored');
  for (const at of [300, 800, 1300]) await killAt(s, at);
  const worker = await stack.startWorker();
  try {
    await expectExact(s);
  } finally {
    await stack.stopWorker(worker, 'SIGTERM');
  }
});

it('answers a batch delivered again while its worker is dead, and after it is applied, as a duplicate', async () => {
  const s = batchOf('HB-FAULT-AGAIN', 'HB-G', 600, 100_000);
  expect((await deliver(s.batch)).kind).toBe('stored');
  await killAt(s, 150);
  expect(await deliver(s.batch)).toMatchObject({ kind: 'duplicate', batch: { status: 'applying' } });
  const worker = await stack.startWorker();
  try {
    await expectExact(s);
    const first = await batchDoc(s.batch.batchId);
    expect(await deliver(s.batch)).toMatchObject({
      kind: 'duplicate',
      batch: { status: 'applied', receipt: first.receipt },
    });
    // nothing applied twice: the rows, records and listings are still exactly the batch's
    await expectExact(s);
    expect(await UpstreamRowModel.countDocuments({ batchId: s.batch.batchId })).toBe(s.rows.length);
  } finally {
    await stack.stopWorker(worker, 'SIGTERM');
  }
});
