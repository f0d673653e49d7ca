/**
 * Records checks without making the answer wait: records are queued in memory and written in batches
 * (every 20 ms or 100 records), one write at a time. A failed write is retried with backoff; a queue
 * over 10,000 records makes callers wait for the next flush instead of growing without bound.
 * `close()` flushes.
 *
 * Measured on the check benchmark (bench/ab.ts): the records cost mongod about 80 µs of CPU per check
 * (insert, oplog, journal). Dropping the two secondary indexes or writing with {w: 1, j: false} changed
 * that by under a tenth, within run-to-run noise, so the indexes and the default (journaled) write
 * concern stay.
 */
import { CheckModel, type CheckRecord } from './models';

const DONE = Promise.resolve();

export class CheckLog {
  private queue: CheckRecord[] = [];
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private failures = 0;

  constructor(
    // small, frequent batches: serialising a large batch blocks the event loop and shows in p99
    private readonly intervalMs = 20,
    private readonly batchSize = 100,
    private readonly maxQueue = 10_000,
    private readonly insert: (batch: CheckRecord[]) => Promise<unknown> = (batch) =>
      CheckModel.collection.insertMany(batch as never[], { ordered: false }),
  ) {}

  /** Records queued and not yet written. */
  get depth(): number {
    return this.queue.length;
  }

  start(): this {
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref();
    return this;
  }

  /** Queues records; the promise waits only when the queue is over its limit. */
  record(docs: CheckRecord[]): Promise<void> {
    for (const d of docs) this.queue.push(d);
    if (this.queue.length >= this.maxQueue) return this.flush();
    // a full batch goes at once, unless a write is under way: its end sends the next batch
    if (this.queue.length >= this.batchSize && !this.flushing) void this.flush();
    return DONE;
  }

  /** Writes everything queued so far (one flush at a time). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.flushing = this.write(batch).finally(() => {
      this.flushing = undefined;
      if (this.queue.length >= this.batchSize) void this.flush();
    });
    await this.flushing;
  }

  private async write(batch: CheckRecord[]): Promise<void> {
    try {
      await this.insert(batch);
      this.failures = 0;
    } catch (e) {
      // duplicates mean a retried batch partly landed: those records are safe
      const errs = (e as { writeErrors?: Array<{ code?: number }> }).writeErrors;
      if (errs && errs.every((w) => w.code === 11000)) return;
      this.failures++;
      console.error(
        `[check-log] write of ${batch.length} check records failed (attempt ${this.failures}), will retry:`,
        (e as Error).message,
      );
      this.queue.unshift(...batch);
      await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** this.failures)));
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (let i = 0; i < 20 && this.queue.length; i++) await this.flush();
  }
}
