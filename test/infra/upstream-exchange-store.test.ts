/**
 * The store of what was applied from the provincial platform (db/upstream-exchange.ts), on MongoDB: a
 * version is recorded only over an older one, a batch and each row only once, whoever retries.
 */
import mongoose from 'mongoose';
import {
  appliedUpstream,
  findBatch,
  finishRow,
  pendingRows,
  planRow,
  recordApplied,
  recordRefusedBatch,
  rowOutcomes,
  storeBatch,
  type UpstreamBatchDoc,
  type UpstreamRowDoc,
} from '../../db/upstream-exchange';
import type { AppliedUpstream } from '../../domain/upstream-exchange';
import { connectTestDb } from '../support/mongo';

const AT = new Date('2026-12-01T02:00:00.000Z');
const record = (version: number, over: Partial<AppliedUpstream> = {}): AppliedUpstream => ({
  upstreamRecordId: 'HB-2026-000123',
  version,
  digest: `d${version}`,
  entryId: 'E0001',
  removed: false,
  ...over,
});

beforeAll(() => connectTestDb('upstream_exchange'));
afterAll(() => mongoose.disconnect());

describe('recordApplied', () => {
  /** Row 0 of batch `batchId`. */
  const by = (batchId: string) => ({ _id: `${batchId}:0`, batchId });

  it('records a first version, refuses it again and any older one, and takes a newer one', async () => {
    expect(await recordApplied(record(2), by('B1'), AT)).toBe(true);
    expect(await recordApplied(record(2, { digest: 'other' }), by('B2'), AT)).toBe(false);
    expect(await recordApplied(record(1), by('B0'), AT)).toBe(false);
    expect((await appliedUpstream(['HB-2026-000123'])).get('HB-2026-000123')).toEqual(record(2));
    expect(await recordApplied(record(3, { removed: true }), by('B3'), AT)).toBe(true);
    expect((await appliedUpstream(['HB-2026-000123', 'never'])).get('HB-2026-000123')).toEqual(
      record(3, { removed: true }),
    );
  });

  it('lets one of two writers of the same version win', async () => {
    const a = record(1, { upstreamRecordId: 'HB-RACE' });
    const results = await Promise.all([recordApplied(a, by('B1'), AT), recordApplied(a, by('B2'), AT)]);
    expect(results.sort()).toEqual([false, true]);
  });

  it('answers true again to the row that recorded the version (its retry), until a newer one is recorded', async () => {
    const a = record(1, { upstreamRecordId: 'HB-RETRY' });
    expect(await recordApplied(a, by('B1'), AT)).toBe(true);
    expect(await recordApplied(a, by('B1'), AT)).toBe(true);
    expect(await recordApplied(a, { _id: 'B1:1', batchId: 'B1' }, AT)).toBe(false);
    expect(await recordApplied(record(2, { upstreamRecordId: 'HB-RETRY' }), by('B2'), AT)).toBe(true);
    expect(await recordApplied(a, by('B1'), AT)).toBe(false);
  });
});

describe('storeBatch', () => {
  const batch = (receivedAt: string, digest = 'd1'): UpstreamBatchDoc => ({
    _id: 'B-2026-12-01-01',
    sender: '河北省信用信息共享平台',
    sentAt: '2026-12-01T08:00:00+08:00',
    mode: 'push',
    receivedAt,
    digest,
    rows: 2,
    status: 'applying',
  });
  const rows = (batchId: string): UpstreamRowDoc[] =>
    [0, 1].map((index) => ({ _id: `${batchId}:${index}`, batchId, index, status: 'pending' }));

  it('stores a batch and its rows once, and finds the first one on a repeated delivery', async () => {
    const first = batch('2026-12-01T00:00:01.000Z');
    expect(await storeBatch(first, rows(first._id))).toEqual({ stored: true });
    expect(await storeBatch(batch('2026-12-01T01:00:00.000Z', 'd2'), rows(first._id))).toEqual({
      stored: false,
      existing: first,
    });
    expect((await pendingRows(first._id, 10)).map((r) => r.index)).toEqual([0, 1]);
  });

  it('replaces a batch refused whole, and never a stored one with a refusal', async () => {
    const refused: UpstreamBatchDoc = { ...batch('2026-12-01T02:00:00.000Z'), _id: 'B-R', status: 'refused', rows: 0 };
    await recordRefusedBatch(refused);
    expect(await findBatch('B-R')).toMatchObject({ status: 'refused' });
    const again = { ...batch('2026-12-01T03:00:00.000Z'), _id: 'B-R' };
    expect(await storeBatch(again, rows('B-R'))).toEqual({ stored: true });
    await recordRefusedBatch(refused);
    expect(await findBatch('B-R')).toEqual(again);
  });

  it('keeps the first plan of a row and marks it done once', async () => {
    const b = { ...batch('2026-12-01T04:00:00.000Z'), _id: 'B-P' };
    await storeBatch(b, rows('B-P'));
    expect(await planRow('B-P:0', { kind: 'stale' })).toEqual({ kind: 'stale' });
    expect(await planRow('B-P:0', { kind: 'unchanged' })).toEqual({ kind: 'stale' });
    await finishRow('B-P:0', { result: 'stale' });
    await finishRow('B-P:0', { result: 'created' });
    expect((await pendingRows('B-P', 10)).map((r) => r.index)).toEqual([1]);
    await finishRow('B-P:1', { result: 'refused', reason: '理由' });
    expect(await rowOutcomes('B-P')).toEqual(
      expect.arrayContaining([
        { index: 0, result: 'stale' },
        { index: 1, result: 'refused', reason: '理由' },
      ]),
    );
  });
});
