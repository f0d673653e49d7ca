/**
 * The exchange with the provincial credit platform (GB/T 39443-2020 file and service exchange; DOMAIN §9e):
 * the one data format Xinlian reads from upstream, the receipt it answers, the mapping from the provincial
 * interface's own field names, and the pure decision of what an upstream entry does to the listing it
 * carries. I/O (the schedule, the HTTP exchange, the store) lives elsewhere and calls down into this.
 *
 * No published field list of the provincial interface was retrievable, so the canonical format is the
 * listing request's own fields plus the upstream record id and version; a configured mapping renames the
 * provincial fields (and codes) into it, so a real interface needs configuration, not code.
 */
import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import { z } from 'zod';
import { CivilDate } from './dates';
import { entryIdOf, ListingRequest, ListingRequestFields } from './listing';
import { text, token } from './text';
import { FeedbackAnswer, FeedbackBatch } from './upstream-feedback';

/** Sending something up (a receipt, a feedback batch): pending (retrying), sent (taken), failed (never taken). */
export const DeliveryStatus = z.enum(['pending', 'sent', 'failed']);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

export const UpstreamRecordId = token({ max: 64, what: '上级平台记录编号' }).describe(
  '上级平台的记录编号：同一编号再次下发视为同一条记录',
);
const Version = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).describe('记录版本：更大者为更正或移出');

/** Entries of one batch at most (a file delivery: over all its files). */
export const MAX_ENTRIES = 10_000;

/** An entry to list, or a corrected version of one already listed. */
export const UpstreamUpsert = ListingRequestFields.extend({
  operation: z.literal('upsert'),
  upstreamRecordId: UpstreamRecordId,
  version: Version,
}).strict();

/** The entry was removed upstream (移出): the listing here is removed and every measure lifted. */
export const UpstreamRemoval = z.strictObject({
  operation: z.literal('remove'),
  upstreamRecordId: UpstreamRecordId,
  version: Version,
  removedOn: CivilDate.describe('上级平台移出日期'),
  reason: text({ min: 2, max: 500 }).describe('移出理由'),
});

export const UpstreamEntry = z.discriminatedUnion('operation', [UpstreamUpsert, UpstreamRemoval], {
  error: (iss) => (iss.code === 'invalid_union' ? 'operation 应为 upsert（列入或更正）或 remove（移出）' : undefined),
});
export type UpstreamEntry = z.infer<typeof UpstreamEntry>;

/**
 * A batch as the service exchange pushes it and a data file of the file exchange holds it. The entries are
 * checked one by one (UpstreamEntry), so one bad row is refused with its reason and the others apply.
 */
export const UpstreamBatch = z.strictObject({
  batchId: token({ max: 64, what: '批次编号' }).describe('上级平台的批次编号：同一批次再次送达不重复处理'),
  sender: text({ min: 2, max: 100 }).describe('发送方平台'),
  sentAt: z.iso.datetime({ offset: true }).describe('发送时间'),
  entries: z.array(z.unknown()).min(1).max(MAX_ENTRIES).describe('记录，逐条按 UpstreamEntry 校验'),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'sha256 应为 64 位小写十六进制')
    .optional()
    .describe('entries 的 SHA-256（entriesDigest：键按字典序排列的 JSON）；给出时核对，不符则整批拒收'),
});
export type UpstreamBatch = z.infer<typeof UpstreamBatch>;

/** The SHA-256 a batch's `sha256` states: of its entries as JSON with keys in order (either side computes it). */
export const entriesDigest = (entries: unknown[]): string =>
  createHash('sha256').update(stringify(entries)).digest('hex');

/** What the provincial platform's pull endpoint answers: the batches after the cursor given, and the next one. */
export const UpstreamPullAnswer = z.object({
  batches: z.array(z.unknown()).max(100),
  cursor: z.string().min(1).max(200).describe('下次拉取时带上的游标（after 参数）'),
});
export type UpstreamPullAnswer = z.infer<typeof UpstreamPullAnswer>;

/** The manifest of a file exchange: each data file with its digest and row count. */
export const ExchangeManifest = z.strictObject({
  batchId: UpstreamBatch.shape.batchId,
  sender: UpstreamBatch.shape.sender,
  sentAt: UpstreamBatch.shape.sentAt,
  files: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[\w.-]{1,100}$/, '文件名只能含字母、数字、点、下划线和连字符'),
        sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 应为 64 位小写十六进制'),
        entries: z.number().int().min(1),
      }),
    )
    .min(1),
});
export type ExchangeManifest = z.infer<typeof ExchangeManifest>;

/**
 * A delivery of the file exchange: the manifest and its data files, each in JSON Lines (one entry per
 * line, UTF-8) carried as text. Every file is checked against the manifest (present, digest, row count)
 * before any of it is taken; then the files' entries, in manifest order, are one batch.
 */
export const FilePackage = z.strictObject({
  manifest: ExchangeManifest,
  files: z
    .array(z.strictObject({ name: z.string().min(1).max(100), content: z.string() }))
    .min(1)
    .max(100),
});
export type FilePackage = z.infer<typeof FilePackage>;

/** A data file's line that is not JSON: its row is refused with this reason, the others are read. */
export class UnreadableLine {
  constructor(readonly reason: string) {}
}

const sha256Of = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The batch a file delivery carries, or why it is refused whole. */
export function batchOfFiles(pkg: FilePackage): { ok: true; batch: UpstreamBatch } | { ok: false; reason: string } {
  const { manifest } = pkg;
  const byName = new Map(pkg.files.map((f) => [f.name, f.content]));
  const listed = new Set(manifest.files.map((f) => f.name));
  const extra = pkg.files.find((f) => !listed.has(f.name));
  if (extra) return { ok: false, reason: `数据文件 ${extra.name} 不在清单中；整批未接收` };
  const total = manifest.files.reduce((n, f) => n + f.entries, 0);
  if (total > MAX_ENTRIES)
    return { ok: false, reason: `清单共列 ${total} 条记录，每批至多 ${MAX_ENTRIES} 条；请拆分为多个批次` };
  const entries: unknown[] = [];
  for (const f of manifest.files) {
    const content = byName.get(f.name);
    if (content === undefined) return { ok: false, reason: `清单列出的数据文件 ${f.name} 未随附；整批未接收` };
    const digest = sha256Of(content);
    if (digest !== f.sha256)
      return {
        ok: false,
        reason: `数据文件 ${f.name} 的校验值不符：清单为 ${f.sha256}，文件计算得 ${digest}；整批未接收，请核对后重新发送`,
      };
    const lines = content.split('\n').filter((l) => l.trim() !== '');
    if (lines.length !== f.entries)
      return { ok: false, reason: `数据文件 ${f.name} 有 ${lines.length} 条记录，清单为 ${f.entries} 条；整批未接收` };
    lines.forEach((line, i) => {
      try {
        entries.push(JSON.parse(line));
      } catch {
        entries.push(new UnreadableLine(`数据文件 ${f.name} 第 ${i + 1} 行不是 JSON`));
      }
    });
  }
  return { ok: true, batch: { batchId: manifest.batchId, sender: manifest.sender, sentAt: manifest.sentAt, entries } };
}

/** A data file of the file exchange for `entries`, with its manifest line (what the provincial side writes). */
export function dataFile(
  name: string,
  entries: unknown[],
): { file: FilePackage['files'][number]; listed: ExchangeManifest['files'][number] } {
  const content = entries.map((e) => JSON.stringify(e)).join('\n') + '\n';
  return { file: { name, content }, listed: { name, sha256: sha256Of(content), entries: entries.length } };
}

const count = z.number().int().min(0);
/** How many entries of a batch each outcome had. */
const ApplyCounts = z.strictObject({
  created: count,
  corrected: count,
  removed: count,
  unchanged: count,
  stale: count,
  refused: count,
});
export type ApplyResult = keyof z.infer<typeof ApplyCounts>;

/** The receipt (回执) Xinlian answers for a batch: what it did with every entry. */
export const ExchangeReceipt = z.strictObject({
  batchId: z.string(),
  receivedAt: z.iso.datetime({ offset: true }),
  status: z.enum(['applied', 'partly_applied', 'refused', 'duplicate']),
  counts: ApplyCounts,
  refused: z.array(
    z.strictObject({
      index: z.number().int().min(-1).describe('记录在批次中的序号（从 0 起）；-1 表示整批拒收'),
      upstreamRecordId: z.string().optional(),
      reason: z.string(),
    }),
  ),
});
export type ExchangeReceipt = z.infer<typeof ExchangeReceipt>;

/**
 * How the provincial interface names things: `fields` maps a canonical path (dotted, e.g.
 * `decisionDocument.number`) to the upstream path that holds it; `values` maps an upstream code of a
 * canonical field to its value here (e.g. listKind `01` → `black`). Unmapped fields keep their names.
 */
export const FieldMapping = z.strictObject({
  fields: z.record(z.string().min(1), z.string().min(1)).default({}),
  values: z.record(z.string().min(1), z.record(z.string(), z.string())).default({}),
});
export type FieldMapping = z.infer<typeof FieldMapping>;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const getPath = (o: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (isObject(v) ? v[k] : undefined), o);
function setPath(o: Json, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop()!;
  const parent = keys.reduce<Json>((v, k) => (isObject(v[k]) ? (v[k] as Json) : (v[k] = {})), o);
  parent[last] = value;
}

/** An upstream row in the canonical format, renamed and re-coded by the mapping (not yet validated). */
export function mapUpstream(raw: unknown, mapping: FieldMapping): unknown {
  if (!isObject(raw)) return raw;
  const moved = new Set(Object.values(mapping.fields).map((p) => p.split('.')[0]));
  const out: Json = Object.fromEntries(Object.entries(raw).filter(([k]) => !moved.has(k)));
  for (const [canonical, upstream] of Object.entries(mapping.fields)) {
    const v = getPath(raw, upstream);
    if (v !== undefined) setPath(out, canonical, v);
  }
  for (const [canonical, codes] of Object.entries(mapping.values)) {
    const v = getPath(out, canonical);
    if (typeof v === 'string' && Object.hasOwn(codes, v)) setPath(out, canonical, codes[v]);
  }
  return out;
}

/** The listing request an upstream entry carries: what the API and the import would submit. */
export function listingRequestOf(e: z.infer<typeof UpstreamUpsert>): ListingRequest {
  const { operation: _o, upstreamRecordId: _u, version: _v, ...request } = e;
  return request;
}

/** The first problem of a refused row, as a person reads it in the receipt and on the office's page. */
export const reasonOf = (err: z.ZodError): string => {
  const i = err.issues[0];
  return i.path.length ? `字段 ${i.path.join('.')} 有误：${i.message}` : i.message;
};

/**
 * An upstream row, mapped and checked: the entry, or the reason it is refused. An entry to list also
 * meets every rule a listing request meets (ListingRequest), as the API and the import apply them.
 */
export function readUpstreamRow(
  raw: unknown,
  mapping: FieldMapping,
): { ok: true; entry: UpstreamEntry } | { ok: false; upstreamRecordId?: string; reason: string } {
  if (raw instanceof UnreadableLine) return { ok: false, reason: raw.reason };
  const mapped = mapUpstream(raw, mapping);
  const id = getPath(mapped, 'upstreamRecordId');
  const upstreamRecordId = typeof id === 'string' ? id : undefined;
  const parsed = UpstreamEntry.safeParse(mapped);
  if (!parsed.success) return { ok: false, upstreamRecordId, reason: reasonOf(parsed.error) };
  if (parsed.data.operation === 'upsert') {
    const rules = ListingRequest.safeParse(listingRequestOf(parsed.data));
    if (!rules.success) return { ok: false, upstreamRecordId, reason: reasonOf(rules.error) };
  }
  return { ok: true, entry: parsed.data };
}

/** What identifies an entry's content: the same content again changes nothing. */
export const upstreamDigest = (e: UpstreamEntry): string => {
  const { version: _v, ...content } = e;
  return createHash('sha256').update(stringify(content)).digest('hex');
};

/** What Xinlian has applied of one upstream record (stored, keyed by upstreamRecordId). */
export interface AppliedUpstream {
  upstreamRecordId: string;
  version: number;
  digest: string;
  entryId: string;
  removed: boolean;
}

/**
 * The entry id a listing carried by an upstream record gets. The record's first listing takes the id the
 * API and the import would give the same request (so an entry the office imported by hand before is the
 * same listing, not a second one). A correction or a listing again after a removal replaces the listing
 * with a new one, and a workflow id is never reused, so every later one is keyed by the version too.
 */
export function upstreamEntryId(
  request: ListingRequest,
  version: number,
  applied: AppliedUpstream | undefined,
  baseTaken = false,
) {
  const base = entryIdOf(request);
  // the request's own id, unless a listing of it already ended here (a workflow id is never reused)
  if (!applied && !baseTaken) return base;
  return 'E' + createHash('sha256').update(`${base}|upstream-version|${version}`).digest('hex').slice(0, 20);
}

export type UpstreamAction =
  | { kind: 'create'; entryId: string; request: ListingRequest }
  | { kind: 'correct'; entryId: string; request: ListingRequest; previousEntryId: string }
  | { kind: 'remove'; entryId: string; removedOn: string; reason: string }
  /** a removal of what is not listed: nothing to end, but its version is kept, so an older upsert is stale */
  | { kind: 'tombstone'; entryId: string }
  | { kind: 'unchanged' }
  | { kind: 'stale' }
  | { kind: 'refused'; reason: string };

/**
 * What an upstream entry does, given what was applied of its record before. Idempotent by the upstream
 * record id and version: a repeated delivery is unchanged; an older version than the one applied is stale
 * (an out-of-order batch after an outage); a newer one corrects or removes.
 */
export function planUpstream(
  e: UpstreamEntry,
  applied: AppliedUpstream | undefined,
  /** a listing with the request's own entry id exists here and has ended (e.g. imported by hand before) */
  baseTaken = false,
): UpstreamAction {
  const digest = upstreamDigest(e);
  if (applied && e.version < applied.version) return { kind: 'stale' };
  if (applied && e.version === applied.version)
    return digest === applied.digest
      ? { kind: 'unchanged' }
      : { kind: 'refused', reason: `记录 ${e.upstreamRecordId} 第 ${e.version} 版已按另一内容处理，更正须提高版本号` };
  if (e.operation === 'remove') {
    if (!applied || applied.removed) return { kind: 'tombstone', entryId: applied?.entryId ?? '' };
    return { kind: 'remove', entryId: applied.entryId, removedOn: e.removedOn, reason: e.reason };
  }
  const request = listingRequestOf(e);
  const entryId = upstreamEntryId(request, e.version, applied, baseTaken);
  if (!applied || applied.removed) return { kind: 'create', entryId, request };
  return { kind: 'correct', entryId, request, previousEntryId: applied.entryId };
}

/** One row's outcome, as the batch's rows record it and its receipt counts it. */
export interface RowOutcome {
  index: number;
  upstreamRecordId?: string;
  result: ApplyResult;
  reason?: string;
}

/** The receipt of a batch from its rows' outcomes. */
export function receiptOf(batchId: string, receivedAt: string, rows: RowOutcome[]): ExchangeReceipt {
  const counts: Record<ApplyResult, number> = {
    created: 0,
    corrected: 0,
    removed: 0,
    unchanged: 0,
    stale: 0,
    refused: 0,
  };
  for (const r of rows) counts[r.result]++;
  const refused = rows
    .filter((r) => r.result === 'refused')
    .sort((a, b) => a.index - b.index)
    .map((r) => ({
      index: r.index,
      ...(r.upstreamRecordId ? { upstreamRecordId: r.upstreamRecordId } : {}),
      reason: r.reason ?? '',
    }));
  return { batchId, receivedAt, status: receiptStatus(counts), counts, refused };
}

/** The receipt's status from its counts: nothing refused, some refused, or all refused. */
export function receiptStatus(counts: Record<ApplyResult, number>): ExchangeReceipt['status'] {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  if (counts.refused === 0) return 'applied';
  return counts.refused === total ? 'refused' : 'partly_applied';
}

/** The format as JSON Schema (docs/upstream-exchange.schema.json): what the provincial side is given. */
export function exchangeJsonSchema(): Record<string, unknown> {
  const schemas = {
    UpstreamBatch,
    UpstreamEntry,
    UpstreamPullAnswer,
    ExchangeManifest,
    ExchangeReceipt,
    FieldMapping,
    FilePackage,
    FeedbackBatch,
    FeedbackAnswer,
  };
  const defs = Object.fromEntries(
    Object.entries(schemas).map(([name, s]) => [name, z.toJSONSchema(s, { io: 'input', target: 'draft-2020-12' })]),
  );
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: '信联与省级信用信息平台的数据交换格式（GB/T 39443-2020 文件交换与服务交换）',
    $defs: defs,
  };
}
