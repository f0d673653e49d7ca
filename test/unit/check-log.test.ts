/** The check log's batching: one write at a time, every record written once, callers wait only when full. */
import { CheckLog } from '../../db/check-log';
import type { CheckRecord } from '../../db/models';
import { eventually } from '../support/eventually';

const rec = (i: number) => ({ _id: `c${i}` }) as CheckRecord;
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

function slowStore(ms: number) {
  const written: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let writes = 0;
  const insert = async (batch: CheckRecord[]) => {
    writes++;
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    await tick(ms);
    written.push(...batch.map((r) => r._id));
    inFlight--;
  };
  return { insert, written, stats: () => ({ writes, maxInFlight }) };
}

it('writes full batches as they fill, one write at a time, and every record exactly once', async () => {
  const store = slowStore(15);
  const log = new CheckLog(1000, 100, 10_000, store.insert);
  for (let i = 0; i < 1000; i++) {
    void log.record([rec(i)]);
    if (i % 50 === 0) await tick(1);
  }
  await log.flush();
  expect(store.written).toEqual(Array.from({ length: 1000 }, (_, i) => `c${i}`));
  expect(store.stats().maxInFlight).toBe(1);
  // records that arrive while a write is under way go together in the next one
  expect(store.stats().writes).toBeLessThan(20);
});

it('writes what the timer finds, and close() writes the rest', async () => {
  const store = slowStore(1);
  const log = new CheckLog(10, 100, 10_000, store.insert).start();
  void log.record([rec(1), rec(2)]);
  // no flush: the 10 ms timer writes them
  await eventually(async () => expect(store.written).toEqual(['c1', 'c2']), 5000);
  void log.record([rec(3)]);
  await log.close();
  expect(store.written).toEqual(['c1', 'c2', 'c3']);
});

it('makes callers wait when the queue is full, and retries a failed write', async () => {
  let fail = true;
  const written: string[] = [];
  const log = new CheckLog(1000, 100, 5, async (batch) => {
    if (fail) {
      fail = false;
      throw new Error('mongod away');
    }
    written.push(...batch.map((r) => r._id));
  });
  const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    await log.record([rec(1), rec(2), rec(3), rec(4), rec(5)]); // full: waits for a flush (which fails and requeues)
    await log.flush();
    expect(written).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    expect(error).toHaveBeenCalledTimes(1);
  } finally {
    error.mockRestore();
  }
});
