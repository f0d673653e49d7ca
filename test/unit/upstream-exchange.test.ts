/**
 * The provincial exchange's format, mapping and plan (domain/upstream-exchange.ts): a row is renamed and
 * re-coded by configuration, checked by the listing rules, and applied once per version.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../infra/paths';
import {
  exchangeJsonSchema,
  ExchangeReceipt,
  FieldMapping,
  mapUpstream,
  planUpstream,
  readUpstreamRow,
  batchOfFiles,
  dataFile,
  receiptOf,
  receiptStatus,
  entriesDigest,
  upstreamDigest,
  upstreamEntryId,
  type AppliedUpstream,
  type UpstreamEntry,
} from '../../domain/upstream-exchange';
import { entryIdOf } from '../../domain/listing';
import { listingBody } from '../support/fixtures';

const upsert = (over: Record<string, unknown> = {}) => ({
  operation: 'upsert',
  upstreamRecordId: 'HB-2026-000123',
  version: 1,
  ...listingBody(),
  ...over,
});
const read = (raw: unknown, mapping = FieldMapping.parse({})) => readUpstreamRow(raw, mapping);
const entryOf = (raw: unknown): UpstreamEntry => {
  const r = read(raw);
  if (!r.ok) throw new Error(r.reason);
  return r.entry;
};
const appliedOf = (e: UpstreamEntry, over: Partial<AppliedUpstream> = {}): AppliedUpstream => ({
  upstreamRecordId: e.upstreamRecordId,
  version: e.version,
  digest: upstreamDigest(e),
  entryId: 'E0001',
  removed: false,
  ...over,
});

describe('mapUpstream', () => {
  const mapping = FieldMapping.parse({
    fields: { upstreamRecordId: 'XH', 'decisionDocument.number': 'JDSWH', 'subject.uscc': 'ZTXX.TYSHXYDM' },
    values: { listKind: { '02': 'black' } },
  });

  it('renames mapped fields (nested either side), re-codes values and keeps the rest', () => {
    const out = mapUpstream(
      { XH: 'A1', JDSWH: '冀税罚〔2026〕1号', ZTXX: { TYSHXYDM: '91130900MA0CNB7K2J' }, listKind: '02', reason: 'r' },
      mapping,
    );
    expect(out).toEqual({
      upstreamRecordId: 'A1',
      decisionDocument: { number: '冀税罚〔2026〕1号' },
      subject: { uscc: '91130900MA0CNB7K2J' },
      listKind: 'black',
      reason: 'r',
    });
  });

  it('leaves a code it does not know for the schema to refuse', () => {
    expect(mapUpstream({ listKind: '09' }, mapping)).toEqual({ listKind: '09' });
  });
});

describe('readUpstreamRow', () => {
  it('accepts an entry to list and a removal', () => {
    expect(read(upsert()).ok).toBe(true);
    const removal = {
      operation: 'remove',
      upstreamRecordId: 'X',
      version: 2,
      removedOn: '2026-11-30',
      reason: '已履行',
    };
    expect(read(removal)).toEqual({ ok: true, entry: removal });
  });

  it('refuses a row that breaks the listing rules, with the field and the record id', () => {
    const r = read(upsert({ validUntil: '2020-01-01' }));
    expect(r).toEqual({
      ok: false,
      upstreamRecordId: 'HB-2026-000123',
      reason: expect.stringMatching(/^字段 validUntil/),
    });
  });

  it('refuses an unknown operation and a malformed row without throwing', () => {
    expect(read(upsert({ operation: 'delete' }))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('upsert'),
    });
    expect(read('not a row')).toMatchObject({ ok: false, upstreamRecordId: undefined });
    expect(read(upsert({ upstreamRecordId: ' ' }))).toMatchObject({ ok: false });
  });
});

describe('planUpstream', () => {
  const first = entryOf(upsert());
  const listingRequestOfFirst = () => {
    const {
      operation: _o,
      upstreamRecordId: _u,
      version: _v,
      ...request
    } = first as Extract<UpstreamEntry, { operation: 'upsert' }>;
    return request;
  };

  it('creates what was never applied, and again after a removal', () => {
    expect(planUpstream(first, undefined)).toMatchObject({ kind: 'create' });
    expect(planUpstream({ ...first, version: 3 }, appliedOf(first, { version: 2, removed: true }))).toMatchObject({
      kind: 'create',
    });
  });

  it("gives the record's first listing the id the API would, and every later one an id of its version", () => {
    const created = planUpstream(first, undefined);
    expect(created.kind === 'create' && created.entryId).toBe(entryIdOf(listingRequestOfFirst()));
    const again = planUpstream({ ...first, version: 3 }, appliedOf(first, { version: 2, removed: true }));
    const corrected = planUpstream({ ...first, version: 2 }, appliedOf(first));
    const ids = [again, corrected].map((a) => (a.kind === 'create' || a.kind === 'correct' ? a.entryId : ''));
    expect(ids[0]).toMatch(/^E[0-9a-f]{20}$/);
    expect(new Set([entryIdOf(listingRequestOfFirst()), ...ids]).size).toBe(3);
    // the same inputs, the same id: a retried activity starts the same workflow
    expect(upstreamEntryId(listingRequestOfFirst(), 2, appliedOf(first))).toBe(ids[1]);
  });

  it('changes nothing for the same version again (a repeated batch)', () => {
    expect(planUpstream(first, appliedOf(first))).toEqual({ kind: 'unchanged' });
  });

  it('refuses the same version with other content, and ignores an older version', () => {
    const other = entryOf(upsert({ reason: '另一事实与理由' }));
    expect(planUpstream(other, appliedOf(first))).toMatchObject({ kind: 'refused' });
    expect(planUpstream(first, appliedOf(first, { version: 2 }))).toEqual({ kind: 'stale' });
  });

  it('corrects with a newer version, naming the listing it replaces', () => {
    const corrected = entryOf(upsert({ version: 2, reason: '更正后的事实与理由' }));
    const action = planUpstream(corrected, appliedOf(first));
    expect(action).toMatchObject({ kind: 'correct', previousEntryId: 'E0001' });
    expect(action.kind === 'correct' && action.request.reason).toBe('更正后的事实与理由');
    expect(action.kind === 'correct' && 'upstreamRecordId' in action.request).toBe(false);
  });

  it('removes a listed entry once, and a removal of what was never listed changes nothing', () => {
    const removal = entryOf({
      operation: 'remove',
      upstreamRecordId: first.upstreamRecordId,
      version: 2,
      removedOn: '2026-11-30',
      reason: '已履行完毕',
    });
    expect(planUpstream(removal, appliedOf(first))).toEqual({
      kind: 'remove',
      entryId: 'E0001',
      removedOn: '2026-11-30',
      reason: '已履行完毕',
    });
    expect(planUpstream({ ...removal, version: 3 }, appliedOf(removal, { removed: true }))).toEqual({
      kind: 'tombstone',
      entryId: 'E0001',
    });
    expect(planUpstream(removal, undefined)).toEqual({ kind: 'tombstone', entryId: '' });
    // the removal arrived before an older upsert (out of order): once its version is kept, the upsert is stale
    expect(planUpstream(first, appliedOf(removal, { removed: true, entryId: '' }))).toEqual({ kind: 'stale' });
  });

  it("takes an id of the version when the request's own listing has already ended here", () => {
    const a = planUpstream(first, undefined, true);
    expect(a.kind === 'create' && a.entryId).not.toBe(entryIdOf(listingRequestOfFirst()));
    expect(a.kind === 'create' && a.entryId).toBe(upstreamEntryId(listingRequestOfFirst(), 1, undefined, true));
  });
});

describe('receipt', () => {
  const counts = { created: 2, corrected: 0, removed: 1, unchanged: 0, stale: 0, refused: 0 };

  it('is applied, partly applied or refused by its refused count', () => {
    expect(receiptStatus(counts)).toBe('applied');
    expect(receiptStatus({ ...counts, refused: 1 })).toBe('partly_applied');
    expect(receiptStatus({ ...counts, created: 0, removed: 0, refused: 3 })).toBe('refused');
  });

  it('counts the outcomes of the rows and lists the refused ones by index', () => {
    const r = receiptOf('B1', '2026-12-01T00:00:00.000Z', [
      { index: 2, upstreamRecordId: 'X2', result: 'refused', reason: '字段 category 有误' },
      { index: 0, upstreamRecordId: 'X0', result: 'created' },
      { index: 1, result: 'refused', reason: '缺少记录编号' },
      { index: 3, upstreamRecordId: 'X0', result: 'removed' },
    ]);
    expect(r).toEqual({
      batchId: 'B1',
      receivedAt: '2026-12-01T00:00:00.000Z',
      status: 'partly_applied',
      counts: { created: 1, corrected: 0, removed: 1, unchanged: 0, stale: 0, refused: 2 },
      refused: [
        { index: 1, reason: '缺少记录编号' },
        { index: 2, upstreamRecordId: 'X2', reason: '字段 category 有误' },
      ],
    });
    expect(ExchangeReceipt.parse(r)).toEqual(r);
  });

  it("digests a batch's entries whatever order their keys are in", () => {
    expect(entriesDigest([{ a: 1, b: [2] }])).toBe(entriesDigest([{ b: [2], a: 1 }]));
    expect(entriesDigest([{ a: 1 }])).not.toBe(entriesDigest([{ a: 2 }]));
    expect(entriesDigest([{ a: 1 }])).toMatch(/^[0-9a-f]{64}$/);
  });

  it('has a strict schema', () => {
    const receipt = { batchId: 'B1', receivedAt: '2026-12-01T08:00:00+08:00', status: 'applied', counts, refused: [] };
    expect(ExchangeReceipt.parse(receipt)).toEqual(receipt);
    expect(ExchangeReceipt.safeParse({ ...receipt, extra: 1 }).success).toBe(false);
  });
});

describe('a file exchange delivery', () => {
  const a = dataFile('a.jsonl', [upsert(), upsert({ upstreamRecordId: 'HB-2' })]);
  const b = dataFile('b.jsonl', [upsert({ upstreamRecordId: 'HB-3' })]);
  const manifest = {
    batchId: 'F1',
    sender: '河北省平台',
    sentAt: '2026-12-01T08:00:00+08:00',
    files: [a.listed, b.listed],
  };
  const pkg = { manifest, files: [b.file, a.file] };

  it("is the manifest's files' entries in manifest order, one batch", () => {
    const r = batchOfFiles(pkg);
    expect(r.ok && r.batch.entries.map((e) => (e as { upstreamRecordId: string }).upstreamRecordId)).toEqual([
      'HB-2026-000123',
      'HB-2',
      'HB-3',
    ]);
    expect(r.ok && r.batch).toMatchObject({ batchId: 'F1', sender: '河北省平台' });
  });

  it('is refused whole for a wrong digest, a missing or unlisted file, or a wrong count', () => {
    const refused = (p: typeof pkg) => {
      const r = batchOfFiles(p);
      return r.ok ? '' : r.reason;
    };
    expect(refused({ ...pkg, files: [{ ...a.file, content: a.file.content + '\n{}' }, b.file] })).toContain(
      'a.jsonl 的校验值不符',
    );
    expect(refused({ ...pkg, files: [a.file] })).toContain('b.jsonl 未随附');
    expect(refused({ ...pkg, files: [a.file, b.file, { name: 'c.jsonl', content: '' }] })).toContain(
      'c.jsonl 不在清单中',
    );
    const counted = { ...pkg, manifest: { ...manifest, files: [{ ...a.listed, entries: 3 }, b.listed] } };
    expect(refused(counted)).toContain('a.jsonl 有 2 条记录，清单为 3 条');
  });

  it('refuses a line that is not JSON as its own row, and reads the others', () => {
    const broken = dataFile('x.jsonl', [upsert()]);
    const content = `${broken.file.content}not json\n`;
    const listed = {
      ...broken.listed,
      entries: 2,
      sha256: createHash('sha256').update(content).digest('hex'),
    };
    const r = batchOfFiles({ manifest: { ...manifest, files: [listed] }, files: [{ name: 'x.jsonl', content }] });
    if (!r.ok) throw new Error(r.reason);
    expect(read(r.batch.entries[0])).toMatchObject({ ok: true });
    expect(read(r.batch.entries[1])).toEqual({ ok: false, reason: '数据文件 x.jsonl 第 2 行不是 JSON' });
  });
});

describe('the published format', () => {
  // docs/upstream-exchange.schema.json is derived from the zod schemas; XINLIAN_WRITE_DOCS=1 rewrites it
  const file = path.join(PROJECT_ROOT, 'docs', 'upstream-exchange.schema.json');

  it('is the JSON Schema of the zod schemas, written out in docs/', () => {
    const current = `${JSON.stringify(exchangeJsonSchema(), null, 2)}\n`;
    if (process.env.XINLIAN_WRITE_DOCS === '1') writeFileSync(file, current);
    expect(readFileSync(file, 'utf8')).toBe(current);
  });
});
