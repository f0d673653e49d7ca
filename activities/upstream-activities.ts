/**
 * Activities of the exchange with the provincial platform (workflows/upstream.ts). Each is safe to retry:
 * - a row's action is planned once and stored before it runs (db/upstream-exchange.ts `planRow`), so a
 *   retry carries out the same action; each action is idempotent itself (a listing started by its entry
 *   id, a removal by one update id per row), and the row is marked done once;
 * - rows of one upstream record are applied in their order, each against what the one before applied;
 * - a batch is closed once with the receipt its rows give, and its receipt is marked sent once;
 * - the pull stores each batch (once, by its id) before the cursor moves past it.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowIdConflictPolicy, type Client } from '@temporalio/client';
import { upstreamBatchWorkflowId } from '../domain/workflow-ids';
import { upstreamBatchWorkflow } from '../workflows/upstream';
import { z } from 'zod';
import {
  entriesDigest,
  receiptOf,
  planUpstream,
  upstreamDigest,
  UpstreamPullAnswer,
  UpstreamBatch,
  type FieldMapping,
  type ApplyResult,
  type ExchangeReceipt,
  listingRequestOf,
  type AppliedUpstream,
  type UpstreamAction,
} from '../domain/upstream-exchange';
import { entryIdOf } from '../domain/listing';
import { ListingModel } from '../db/models';
import {
  appliedUpstream,
  closeBatch,
  findBatch,
  finishRow,
  pendingRows,
  planRow,
  pullCursor,
  recordApplied,
  recordReceiptDelivery,
  recordRefusedBatch,
  releaseRecordLease,
  rowOutcomes,
  savePullCursor,
  takeRecordLease,
  UpstreamRowModel,
  type UpstreamRowDoc,
} from '../db/upstream-exchange';
import { appendAudit } from '../db/audit-log';
import { checksOfPeriod, feedbackOfPeriod, openFeedbackBatch, recordFeedbackAttempt } from '../db/upstream-feedback';
import {
  FeedbackAnswer,
  feedbackBatchId,
  quarterBefore,
  type FeedbackBatch,
  type FeedbackPeriod,
} from '../domain/upstream-feedback';
import { startListing } from '../api/services/listing-start';
import { takeInBatch } from '../api/services/upstream-intake';
import { createCaseActivities } from './case-activities';
import { inParallel } from './import-activities';
import { SYSTEM } from './projection';

/** The provincial platform's endpoint for the pull and the receipts (absent: only pushes are taken). */
export interface UpstreamEndpoint {
  /** e.g. https://xypt.hebei.gov.cn/exchange/v1 — batches at GET /batches?after=, receipts at POST /receipts */
  baseUrl: string;
  /** Bearer token Xinlian presents to the upstream. */
  token?: string;
}

/** Who sends the feedback up. */
export const FEEDBACK_SENDER = '沧州市社会信用信息共享平台（信联）';

/** What identifies a batch, whatever else it holds. */
const Envelope = z.object({
  batchId: UpstreamBatch.shape.batchId,
  sender: UpstreamBatch.shape.sender,
  sentAt: UpstreamBatch.shape.sentAt,
});

/** Rows per activity call, and upstream records applied at the same time within it. */
export const UPSTREAM_CHUNK = 200;
const IN_FLIGHT = 16;
/** How long a row holds its record's lease, renewed every RENEW_MS while the row runs. */
const LEASE_MS = 120_000;
const RENEW_MS = 10_000;
/** carryOut's answer when a newer version of the record was applied while this row's plan ran. */
const LOST = 'superseded';
/**
 * Batches asked for per page. A page is read whole into memory, and a batch holds up to 10,000 entries
 * (tens of MB once parsed and checked): one at a time keeps a pull well inside the worker's bounded heap
 * (infra/worker.ts WORKER_HEAP_MIB).
 */
const PULL_PAGE_BATCHES = 1;
/** Pages of batches one pull fetches at most (the next run carries on from the cursor). */
const PULL_PAGES = 100;

const RESULT: Record<UpstreamAction['kind'], ApplyResult> = {
  create: 'created',
  correct: 'corrected',
  remove: 'removed',
  tombstone: 'unchanged',
  unchanged: 'unchanged',
  stale: 'stale',
  refused: 'refused',
};

/**
 * A request to the provincial platform, with its token. An answer other than 2xx throws, unless
 * `anyStatus` (the caller reads a refusal's body itself).
 */
async function call(
  endpoint: UpstreamEndpoint,
  path: string,
  init: RequestInit = {},
  { timeoutMs = 30_000, anyStatus = false }: { timeoutMs?: number; anyStatus?: boolean } = {},
): Promise<Response> {
  const res = await fetch(endpoint.baseUrl.replace(/\/+$/, '') + path, {
    ...init,
    headers: {
      ...(endpoint.token ? { authorization: `Bearer ${endpoint.token}` } : {}),
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...(init.headers as Record<string, string>),
    },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok && !anyStatus)
    throw new Error(`上级平台 ${path} 答 HTTP ${res.status}：${(await res.text()).slice(0, 300)}`);
  return res;
}

export function createUpstreamActivities(client: Client, opts: { endpoint?: UpstreamEndpoint; mapping: FieldMapping }) {
  const { removeListing } = createCaseActivities(client);

  /** Carries out a row's planned action; the listing it concerns. */
  async function carryOut(row: UpstreamRowDoc, action: UpstreamAction, by: string, taskQueue: string) {
    const version = row.entry!.version;
    if (action.kind === 'correct' || action.kind === 'remove') {
      const entryId = action.kind === 'correct' ? action.previousEntryId : action.entryId;
      const reason =
        action.kind === 'correct'
          ? `上级平台更正（记录 ${row.upstreamRecordId} 第 ${version} 版），由条目 ${action.entryId} 替代`
          : `上级平台移出（${action.removedOn}）：${action.reason}`;
      const removed = await removeListing({ entryId, caseId: `upstream:${row._id}`, by, reason });
      // a listing already ended (expired, repaired, removed here) is what the removal asks for
      if (!removed.ok && removed.code !== 'listing_closed') throw new Error(`移出 ${entryId} 失败：${removed.reason}`);
    }
    if (action.kind === 'create' || action.kind === 'correct')
      await startListing(client, taskQueue, action.request, undefined, undefined, action.entryId);
    if (action.kind === 'tombstone') {
      // nothing listed to end; the version is kept (over an older one only) so an older upsert is stale
      await recordApplied(
        {
          upstreamRecordId: row.upstreamRecordId!,
          version,
          digest: upstreamDigest(row.entry!),
          entryId: action.entryId,
          removed: true,
        },
        row,
        new Date(),
      );
      return undefined;
    }
    if (action.kind === 'create' || action.kind === 'correct' || action.kind === 'remove') {
      const recorded = await recordApplied(
        {
          upstreamRecordId: row.upstreamRecordId!,
          version,
          digest: upstreamDigest(row.entry!),
          entryId: action.entryId,
          removed: action.kind === 'remove',
        },
        row,
        new Date(),
      );
      if (recorded) return action.entryId;
      // a newer version was applied meanwhile (this row's earlier attempt died and its lease ran out):
      // the listing this plan started is not the record's, so it is removed again
      const now = (await appliedUpstream([row.upstreamRecordId!])).get(row.upstreamRecordId!);
      if (action.kind !== 'remove' && now?.entryId !== action.entryId)
        await removeListing({
          entryId: action.entryId,
          caseId: `upstream:${row._id}:superseded`,
          by,
          reason: `上级平台记录 ${row.upstreamRecordId} 已有更新版本（第 ${now?.version} 版）`,
        });
      return LOST;
    }
    return undefined;
  }

  /** Applies a row while holding its record's lease (waiting for another batch's row of it to finish). */
  async function applyRow(row: UpstreamRowDoc, by: string, taskQueue: string): Promise<void> {
    const recordId = row.upstreamRecordId!;
    while (!(await takeRecordLease(recordId, row._id, LEASE_MS))) {
      Context.current().heartbeat();
      await Context.current().sleep(200);
    }
    // the lease is renewed (and the activity heartbeats) while the row runs: a removal waits for the
    // listing's close to be written, which can outlast the lease under load
    const renew = setInterval(() => {
      Context.current().heartbeat();
      void takeRecordLease(recordId, row._id, LEASE_MS).catch(() => undefined);
    }, RENEW_MS);
    try {
      const applied = (await appliedUpstream([recordId])).get(recordId);
      const action = await planRow(row._id, planUpstream(row.entry!, applied, await baseTaken(row, applied)));
      const entryId = await carryOut(row, action, by, taskQueue);
      await finishRow(row._id, {
        result: entryId === LOST ? 'stale' : RESULT[action.kind],
        ...(action.kind === 'refused' ? { reason: action.reason } : {}),
        ...(entryId && entryId !== LOST ? { entryId } : {}),
      });
    } finally {
      clearInterval(renew);
      await releaseRecordLease(recordId, row._id);
    }
  }

  /** A first listing of the record whose request's own entry id already ended here (imported by hand, say). */
  async function baseTaken(row: UpstreamRowDoc, applied: AppliedUpstream | undefined): Promise<boolean> {
    if (applied || row.entry!.operation !== 'upsert') return false;
    return !!(await ListingModel.exists({ _id: entryIdOf(listingRequestOf(row.entry!)), status: 'closed' }));
  }

  return {
    /** Applies the batch's next rows (in order within each upstream record); `more` once none are left is false. */
    async applyUpstreamChunk(input: { batchId: string; taskQueue: string; limit?: number }) {
      const batch = await findBatch(input.batchId);
      if (!batch || batch.status !== 'applying') return { applied: 0, more: false };
      const limit = input.limit ?? UPSTREAM_CHUNK;
      const rows = await pendingRows(input.batchId, limit);
      const byRecord = new Map<string, UpstreamRowDoc[]>();
      for (const r of rows) byRecord.set(r.upstreamRecordId!, [...(byRecord.get(r.upstreamRecordId!) ?? []), r]);
      const by = `上级平台 ${batch.sender}（批次 ${batch._id}）`;
      let done = 0;
      await inParallel([...byRecord.values()], IN_FLIGHT, async (ofRecord) => {
        for (const row of ofRecord) {
          await applyRow(row, by, input.taskQueue);
          Context.current().heartbeat(++done);
        }
      });
      return { applied: rows.length, more: rows.length === limit };
    },

    /**
     * Closes the batch with the receipt its rows give (the first close stands), audited once; undefined
     * while a row is still pending (the workflow applies again), and for a refusal's run whose batch was
     * replaced meanwhile by a delivery again (that delivery's own run closes it).
     */
    async closeUpstreamBatch(input: { batchId: string; refusal?: boolean }): Promise<ExchangeReceipt | undefined> {
      const batch = await findBatch(input.batchId);
      if (input.refusal && batch?.status !== 'refused') return undefined;
      if (!batch) throw ApplicationFailure.nonRetryable(`批次 ${input.batchId} 不存在`, 'batch_missing');
      if (batch.status === 'applying' && (await UpstreamRowModel.exists({ batchId: input.batchId, status: 'pending' })))
        return undefined;
      const receipt = await closeBatch(
        input.batchId,
        receiptOf(input.batchId, batch.receivedAt, await rowOutcomes(input.batchId)),
        new Date(),
      );
      const refused = batch.status === 'refused';
      await appendAudit({
        key: `upstream-batch:${input.batchId}:${refused ? `refused:${batch.receivedAt}` : 'applied'}`,
        actor: SYSTEM,
        action: `upstream.batch_${refused ? 'refused' : 'applied'}`,
        target: { kind: 'upstream_batch', id: input.batchId },
        after: { mode: batch.mode, sender: batch.sender, status: receipt.status, ...receipt.counts },
        requestId: input.batchId,
      });
      return receipt;
    },

    /** Sends a pulled batch's receipt up (a pushed batch's is read by the pusher: nothing to send). */
    async sendUpstreamReceipt(input: { batchId: string; refusal?: boolean }): Promise<void> {
      const batch = await findBatch(input.batchId);
      if (!batch || (input.refusal && batch.status !== 'refused')) return;
      // pushed: the pusher reads it; sent already; or replaced meanwhile by a delivery still applying
      if (batch.mode !== 'pull' || !batch.receipt || batch.receiptDelivery?.status === 'sent') return;
      if (!opts.endpoint) throw new Error('未配置上级平台地址（XINLIAN_UPSTREAM_URL），回执无法发送');
      try {
        await call(opts.endpoint, '/receipts', {
          method: 'POST',
          body: JSON.stringify(batch.receipt),
          headers: { 'idempotency-key': `receipt-${batch._id}` },
        });
      } catch (e) {
        await recordReceiptDelivery(input.batchId, { ok: false, error: (e as Error).message, final: false });
        throw e;
      }
      await recordReceiptDelivery(input.batchId, { ok: true, at: new Date() });
    },

    /** The period a scheduled feedback run covers: the quarter before this one. */
    async planFeedbackPeriod(): Promise<FeedbackPeriod> {
      return quarterBefore(new Date());
    },

    sendUpstreamFeedback,

    async markUpstreamFeedbackFailed(input: { period: FeedbackPeriod; error: string }): Promise<void> {
      await recordFeedbackAttempt(feedbackBatchId(input.period), { ok: false, error: input.error, final: true });
    },

    async markUpstreamReceiptFailed(input: { batchId: string; error: string }): Promise<void> {
      await recordReceiptDelivery(input.batchId, { ok: false, error: input.error, final: true });
    },

    /**
     * Fetches the batches after the stored cursor, page by page: each is taken in (stored once, its
     * workflow started) before the cursor moves past it, so a pull that dies half-way is repeated
     * harmlessly by the next one. A batch refused whole is recorded and its refusal sent up.
     */
    async pullUpstream(input: { taskQueue: string }): Promise<{ batches: number }> {
      if (!opts.endpoint) return { batches: 0 };
      let batches = 0;
      for (let page = 0; page < PULL_PAGES; page++) {
        const after = await pullCursor();
        const res = await call(
          opts.endpoint,
          `/batches?limit=${PULL_PAGE_BATCHES}${after ? `&after=${encodeURIComponent(after)}` : ''}`,
        );
        const answer = UpstreamPullAnswer.parse(await res.json());
        for (const raw of answer.batches) {
          const intake = await takeInBatch({ client, taskQueue: input.taskQueue, mapping: opts.mapping }, raw, 'pull');
          if (intake.kind === 'invalid') await refusePulled(raw, intake.message, input.taskQueue);
          // its id taken by other entries: refused under an id of its own, so the stored batch stands
          if (intake.kind === 'conflict')
            await refusePulled(
              raw,
              `批次编号 ${intake.batch._id} 已用于另一批记录（${intake.batch.receivedAt} 收到）；更正的记录请以新批次编号发送`,
              input.taskQueue,
              `${intake.batch._id}~conflict-${entriesDigest([raw]).slice(0, 16)}`,
            );
          Context.current().heartbeat(++batches);
        }
        if (answer.batches.length === 0 || answer.cursor === after) break;
        await savePullCursor(answer.cursor, new Date());
      }
      return { batches };
    },
  };

  /**
   * Sends the period's feedback up (POST {URL}/feedback, idempotency-key the batch id), built afresh on
   * every attempt from what is stored. A refusal upstream is recorded with its reason and retried like
   * an outage (the data may have been put right meanwhile).
   */
  async function sendUpstreamFeedback(input: { period: FeedbackPeriod }): Promise<{ batchId: string }> {
    const batchId = feedbackBatchId(input.period);
    await openFeedbackBatch(batchId, input.period, new Date());
    if (!opts.endpoint) {
      const error = '未配置上级平台地址（XINLIAN_UPSTREAM_URL），反馈无法报送';
      await recordFeedbackAttempt(batchId, { ok: false, error, final: false });
      throw new Error(error);
    }
    const [feedback, checks] = await Promise.all([feedbackOfPeriod(input.period), checksOfPeriod(input.period)]);
    const batch: FeedbackBatch = {
      batchId,
      sender: FEEDBACK_SENDER,
      sentAt: new Date().toISOString(),
      period: input.period,
      feedback,
      checks,
    };
    let answer: FeedbackAnswer;
    try {
      // a refusal comes with a body (422): read whatever the status
      const res = await call(
        opts.endpoint,
        '/feedback',
        { method: 'POST', headers: { 'idempotency-key': batchId }, body: JSON.stringify(batch) },
        { timeoutMs: 60_000, anyStatus: true },
      );
      const body = FeedbackAnswer.safeParse(await res.json().catch(() => undefined));
      if (!body.success) throw new Error(`上级平台 /feedback 答 HTTP ${res.status}，应答无法识别`);
      answer = body.data;
    } catch (e) {
      await recordFeedbackAttempt(batchId, { ok: false, error: (e as Error).message, final: false });
      throw e;
    }
    if (answer.status === 'refused') {
      const refusal = answer.reason ?? '（未说明原因）';
      await recordFeedbackAttempt(batchId, { ok: false, refusal, final: false });
      throw new Error(`上级平台拒收反馈批次 ${batchId}：${refusal}`);
    }
    await recordFeedbackAttempt(batchId, {
      ok: true,
      at: new Date(),
      feedback: feedback.length,
      checks: checks.length,
    });
    return { batchId };
  }

  /** A pulled batch refused whole: recorded for the office, its refusal receipt sent up (once, best effort). */
  async function refusePulled(raw: unknown, reason: string, taskQueue: string, underId?: string): Promise<void> {
    const at = new Date().toISOString();
    // a batch without a usable id is recorded under its digest, so the pull moves on past it
    const named = (raw as { manifest?: unknown } | null)?.manifest ?? raw; // a file delivery's manifest names it
    const envelope = Envelope.safeParse(named).data ?? {
      batchId: `unreadable-${entriesDigest([raw]).slice(0, 16)}`,
      sender: '（无法识别）',
      sentAt: at,
    };
    if (underId) envelope.batchId = underId;
    const none = { created: 0, corrected: 0, removed: 0, unchanged: 0, stale: 0, refused: 0 };
    const receipt: ExchangeReceipt = {
      batchId: envelope.batchId,
      receivedAt: at,
      status: 'refused',
      counts: none,
      refused: [{ index: -1, reason }],
    };
    await recordRefusedBatch({
      _id: envelope.batchId,
      ...envelope,
      mode: 'pull',
      receivedAt: at,
      digest: '',
      rows: 0,
      status: 'refused',
      refusal: reason,
      receipt,
      receiptDelivery: { status: 'pending', attempts: 0 },
    });
    // its receipt goes up as an applied batch's does, retried by a workflow of its own
    await client.workflow.start(upstreamBatchWorkflow, {
      workflowId: `${upstreamBatchWorkflowId(envelope.batchId)}-refused-${entriesDigest([raw]).slice(0, 16)}`,
      taskQueue,
      args: [{ batchId: envelope.batchId, taskQueue, refusal: true }],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    });
  }
}

export type UpstreamActivities = ReturnType<typeof createUpstreamActivities>;
