/**
 * The audit trail: an append-only, hash-chained log of every state change. Entry n stores the hash of
 * entry n-1; its own hash covers its content and that link, so changing, removing or reordering any
 * entry breaks the chain from there on. Sequence numbers are the documents' _id: two writers racing
 * for the same number collide on the unique key and the loser retries with the next one.
 * Nothing in the product updates or deletes audit entries.
 */
import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import mongoose from 'mongoose';
import { mapPage, type PageRequest } from '../domain/pagination';
import { findPage } from './paging';
import type { AuditInput, AuditRecord } from '../domain/audit';

export type { AuditActor, AuditInput } from '../domain/audit';

/** A stored entry; `key`, where given, makes an append idempotent (retried activities append once). */
export interface AuditEntry extends AuditRecord {
  _id: number;
}

export const GENESIS = '0'.repeat(64);

const collection = () => mongoose.connection.db!.collection<AuditEntry>('audit_log');

export function entryHash(e: Omit<AuditEntry, 'hash'>): string {
  const { _id, key, at, actor, action, target, before, after, requestId, prevHash } = e;
  return createHash('sha256')
    .update(
      stringify({
        seq: _id,
        key: key ?? null,
        at,
        actor,
        action,
        target,
        before: before ?? null,
        after: after ?? null,
        requestId: requestId ?? null,
        prevHash,
      }) ?? '',
    )
    .digest('hex');
}

/** JSON round trip: what is hashed is exactly what MongoDB stores and returns (no undefined, no Dates). */
const plain = (v: unknown) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

/** Appends run one at a time within a process; across processes the unique sequence decides. */
let queue: Promise<unknown> = Promise.resolve();

export function appendAudit(input: AuditInput): Promise<AuditEntry> {
  const next = queue.then(() => appendNow(input));
  queue = next.catch(() => undefined);
  return next;
}

let indexes: Promise<unknown> | undefined;
/** The idempotency key's unique index, and the one the pages of one target's entries are read on. */
const auditIndexes = () =>
  (indexes ??= Promise.all([
    collection().createIndex({ key: 1 }, { unique: true, partialFilterExpression: { key: { $type: 'string' } } }),
    collection().createIndex({ 'target.id': 1, _id: 1 }),
  ]));
/** The last entry this process knows of; refreshed from MongoDB when another writer got there first. */
let head: { seq: number; hash: string } | undefined;

async function readHead(): Promise<{ seq: number; hash: string }> {
  const last = await collection()
    .find({}, { projection: { _id: 1, hash: 1 } })
    .sort({ _id: -1 })
    .limit(1)
    .next();
  return { seq: last?._id ?? 0, hash: last?.hash ?? GENESIS };
}

async function appendNow(input: AuditInput): Promise<AuditEntry> {
  await auditIndexes();
  for (let attempt = 0; ; attempt++) {
    head ??= await readHead();
    const base = {
      _id: head.seq + 1,
      ...(input.key ? { key: input.key } : {}),
      at: new Date().toISOString(),
      actor: input.actor,
      action: input.action,
      target: input.target,
      before: plain(input.before),
      after: plain(input.after),
      requestId: input.requestId,
      prevHash: head.hash,
    };
    const entry: AuditEntry = { ...base, hash: entryHash(base) };
    try {
      await collection().insertOne(entry);
      head = { seq: entry._id, hash: entry.hash };
      return entry;
    } catch (e) {
      const err = e as { code?: number; keyPattern?: Record<string, unknown> };
      // the same key appended before (a retried activity): that entry stands
      if (err.code === 11000 && err.keyPattern?.key && input.key)
        return (await collection().findOne({ key: input.key }))!;
      if (err.code !== 11000 || attempt > 50) throw e;
      head = undefined; // another process appended meanwhile: re-read the head
    }
  }
}

export interface ChainReport {
  ok: boolean;
  entries: number;
  firstBroken?: { seq: number; reason: string };
}

/** Walks the chain from the start and reports the first entry that does not hold. */
export async function verifyAuditChain(): Promise<ChainReport> {
  let prev = GENESIS;
  let expected = 1;
  let count = 0;
  for await (const e of collection().find().sort({ _id: 1 })) {
    count++;
    if (e._id !== expected)
      return {
        ok: false,
        entries: count,
        firstBroken: { seq: expected, reason: `第 ${expected} 条缺失（下一条为第 ${e._id} 条）` },
      };
    if (e.prevHash !== prev)
      return { ok: false, entries: count, firstBroken: { seq: e._id, reason: '与上一条的链接哈希不符' } };
    const { hash, ...rest } = e;
    if (entryHash(rest) !== hash)
      return { ok: false, entries: count, firstBroken: { seq: e._id, reason: '内容与哈希不符（记录被改动）' } };
    prev = hash;
    expected++;
  }
  return { ok: true, entries: count };
}

/** Entries oldest first (optionally for one target), a page at a time, with the number as `seq`. */
export async function auditEntries(q: { targetId?: string } & PageRequest) {
  await auditIndexes();
  const filter: Record<string, unknown> = {};
  if (q.targetId) filter['target.id'] = q.targetId;
  const page = await findPage<AuditEntry>(collection(), filter, [{ field: '_id', dir: 1 }], q, { total: true });
  return mapPage(page, ({ _id, ...e }) => ({ seq: _id, ...e }));
}
