/**
 * Records checks without making the answer wait. Each check joins its department's open bucket
 * (domain/check-bucket.ts), which names the check's id; buckets are sealed and written together every
 * 20 ms or once 100 checks wait, one write at a time. A failed write is retried with backoff, the same
 * buckets under the same ids, so a write that landed before its answer was lost is not stored twice.
 * Over 10,000 waiting checks a write starts at once and `record`'s `queued` waits for it; the check
 * path does not wait (an answer never waits for MongoDB). `close()` writes the rest.
 *
 * Measured with bench/ab.ts (100,000 subjects, the product's check API, in alternating rounds): one
 * inserted document per check cost mongod about 120 µs of CPU per check on that host, buckets about 80;
 * the checks per second went from 0.36 to 0.39–0.40 of the limit server (docs/benchmarks.md).
 */
import { randomUUID } from 'node:crypto';
import type { CheckRecord } from '../domain/check';
import { bucketOf, checkIdIn, fitsBucket, newBucketId, type CheckBucket } from '../domain/check-bucket';
import { insertBuckets } from './check-records';

const DONE = Promise.resolve();

/** A check as the check path has it, before the log gives it its id. */
export type NewCheckRecord = Omit<CheckRecord, '_id'>;

interface OpenBucket {
  id: string;
  earliestMs: number;
  latestMs: number;
  checks: CheckRecord[];
}

export class CheckLog {
  private readonly open = new Map<string, OpenBucket>(); // departmentId → its open bucket
  private sealed: CheckBucket[] = [];
  private openChecks = 0;
  private sealedChecks = 0;
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private failures = 0;

  constructor(
    // small, frequent writes: serialising a large one blocks the event loop and shows in p99
    private readonly intervalMs = 20,
    private readonly batchSize = 100,
    private readonly maxQueue = 10_000,
    private readonly insert: (buckets: CheckBucket[]) => Promise<unknown> = insertBuckets,
    private readonly newId: () => string = randomUUID,
  ) {}

  /** Checks queued and not yet written. */
  get depth(): number {
    return this.openChecks + this.sealedChecks;
  }

  start(): this {
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref();
    return this;
  }

  /**
   * Queues checks and gives each its id. `queued` waits only when the queue is over its limit (for the
   * next write); the check path does not wait for it.
   */
  record(docs: NewCheckRecord[]): { ids: string[]; queued: Promise<void> } {
    const ids = docs.map((d) => this.place(d));
    if (this.depth >= this.maxQueue) return { ids, queued: this.flush() };
    // a full batch goes at once, unless a write is under way: its end sends the next batch
    if (this.depth >= this.batchSize && !this.flushing) void this.flush();
    return { ids, queued: DONE };
  }

  private place(doc: NewCheckRecord): string {
    const atMs = Date.parse(doc.at);
    let bucket = this.open.get(doc.departmentId);
    if (bucket && !fitsBucket(bucket.checks.length, bucket.earliestMs, bucket.latestMs, atMs)) {
      this.seal(doc.departmentId, bucket);
      bucket = undefined;
    }
    if (!bucket) {
      bucket = { id: newBucketId(this.newId()), earliestMs: atMs, latestMs: atMs, checks: [] };
      this.open.set(doc.departmentId, bucket);
    }
    bucket.earliestMs = Math.min(bucket.earliestMs, atMs);
    bucket.latestMs = Math.max(bucket.latestMs, atMs);
    const _id = checkIdIn(bucket.id, bucket.checks.length);
    bucket.checks.push({ _id, ...doc });
    this.openChecks++;
    return _id;
  }

  private seal(departmentId: string, bucket: OpenBucket): void {
    this.open.delete(departmentId);
    this.openChecks -= bucket.checks.length;
    this.sealedChecks += bucket.checks.length;
    this.sealed.push(bucketOf(bucket.id, bucket.checks));
  }

  /** Writes everything queued so far (one write at a time). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    for (const [departmentId, bucket] of this.open) this.seal(departmentId, bucket);
    if (this.sealed.length === 0) return;
    const batch = this.sealed;
    this.sealed = [];
    this.flushing = this.write(batch).finally(() => {
      this.flushing = undefined;
      if (this.depth >= this.batchSize) void this.flush();
    });
    await this.flushing;
  }

  private async write(batch: CheckBucket[]): Promise<void> {
    const checks = batch.reduce((n, b) => n + b.count, 0);
    try {
      await this.insert(batch);
      this.sealedChecks -= checks;
      this.failures = 0;
    } catch (e) {
      this.failures++;
      console.error(
        `[check-log] write of ${checks} check records failed (attempt ${this.failures}), will retry:`,
        (e as Error).message,
      );
      this.sealed.unshift(...batch);
      await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** this.failures)));
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (let i = 0; i < 20 && this.depth; i++) await this.flush();
  }
}
