/**
 * The store of what was applied from the provincial platform (db/upstream-exchange.ts), on MongoDB: a
 * version is recorded only over an older one, and a batch only once, whoever retries.
 */
import mongoose from 'mongoose';
import { appliedUpstream, recordApplied, recordBatch, type UpstreamBatchDoc } from '../../db/upstream-exchange';
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
  it('records a first version, refuses it again and any older one, and takes a newer one', async () => {
    expect(await recordApplied(record(2), 'B1', AT)).toBe(true);
    expect(await recordApplied(record(2, { digest: 'other' }), 'B2', AT)).toBe(false);
    expect(await recordApplied(record(1), 'B0', AT)).toBe(false);
    expect((await appliedUpstream(['HB-2026-000123'])).get('HB-2026-000123')).toEqual(record(2));
    expect(await recordApplied(record(3, { removed: true }), 'B3', AT)).toBe(true);
    expect((await appliedUpstream(['HB-2026-000123', 'never'])).get('HB-2026-000123')).toEqual(
      record(3, { removed: true }),
    );
  });

  it('lets one of two writers of the same version win', async () => {
    const a = record(1, { upstreamRecordId: 'HB-RACE' });
    const results = await Promise.all([recordApplied(a, 'B1', AT), recordApplied(a, 'B1', AT)]);
    expect(results.sort()).toEqual([false, true]);
  });
});

describe('recordBatch', () => {
  const batch = (receivedAt: string): UpstreamBatchDoc => ({
    _id: 'B-2026-12-01-01',
    sender: '河北省信用信息共享平台',
    sentAt: '2026-12-01T08:00:00+08:00',
    mode: 'push',
    receivedAt,
    receipt: {
      batchId: 'B-2026-12-01-01',
      receivedAt,
      status: 'applied',
      counts: { created: 1, corrected: 0, removed: 0, unchanged: 0, stale: 0, refused: 0 },
      refused: [],
    },
  });

  it('records a batch once and answers the first receipt to a repeated delivery', async () => {
    const first = batch('2026-12-01T00:00:01.000Z');
    expect(await recordBatch(first)).toBeUndefined();
    expect(await recordBatch(batch('2026-12-01T01:00:00.000Z'))).toEqual(first.receipt);
  });
});
