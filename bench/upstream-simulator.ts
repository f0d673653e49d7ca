/**
 * A simulator of the provincial credit platform's side of the exchange (docs/upstream-exchange.md), for the
 * tests and the benchmark: it serves the batches it is given at GET /batches?after=<cursor> (a page at a
 * time, in order), takes receipts at POST /receipts and feedback at POST /feedback (refusing some on
 * request), checks the bearer token, and can be taken down
 * (every request answered 503) to play an outage.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { dataFile, entriesDigest, type ExchangeReceipt, type FilePackage } from '../domain/upstream-exchange';
import type { FeedbackBatch } from '../domain/upstream-feedback';

export interface SimulatedBatch {
  batchId: string;
  sender: string;
  sentAt: string;
  entries: unknown[];
  sha256?: string;
}

export interface UpstreamSimulator {
  url: string;
  token: string;
  /** Adds a batch to what the pull serves (with its digest unless `sha256` is given). */
  publish(batch: Omit<SimulatedBatch, 'sha256'> & { sha256?: string }): void;
  /** Adds a file exchange delivery of the batch (its entries in two data files) to what the pull serves. */
  publishFiles(batch: Omit<SimulatedBatch, 'sha256'>, tamper?: (pkg: FilePackage) => FilePackage): void;
  /** Down: every request answered 503 until up again. */
  setDown(down: boolean): void;
  /** Refuse the next `n` receipts with 503. */
  refuseReceipts(n: number): void;
  /** Every receipt taken, in order of arrival (a resent one appears again). */
  receipts: ExchangeReceipt[];
  /** Refuse the next `n` feedback batches (422, status refused, with `reason`). */
  refuseFeedback(n: number, reason: string): void;
  /** Every feedback batch taken, in order of arrival. */
  feedback: FeedbackBatch[];
  /** Requests to /batches answered 200, and answered 503 while down. */
  pulls: { served: number; refused: number };
  close(): Promise<void>;
}

export const SIM_SENDER = '河北省社会信用信息共享平台（模拟）';

export async function startUpstreamSimulator(opts: { pageSize?: number } = {}): Promise<UpstreamSimulator> {
  const pageSize = opts.pageSize ?? 5;
  const token = 'simulated-provincial-token';
  // what the pull serves, in order: batches and file deliveries alike
  const packages: unknown[] = [];
  let down = false;
  let receiptsToRefuse = 0;
  let feedbackRefusal = { n: 0, reason: '' };
  const sim: Omit<UpstreamSimulator, 'url' | 'close'> = {
    token,
    publish: (b) => void packages.push({ ...b, sha256: b.sha256 ?? entriesDigest(b.entries) }),
    publishFiles: (b, tamper = (p) => p) => void packages.push(tamper(filePackageOf(b))),
    setDown: (d) => void (down = d),
    refuseReceipts: (n) => void (receiptsToRefuse = n),
    receipts: [],
    refuseFeedback: (n, reason) => void (feedbackRefusal = { n, reason }),
    feedback: [],
    pulls: { served: 0, refused: 0 },
  };
  const answer = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    if (down) {
      if (url.pathname === '/batches') sim.pulls.refused++;
      return answer(res, 503, { error: '省级平台维护中' });
    }
    if (req.headers.authorization !== `Bearer ${token}`) return answer(res, 401, { error: '令牌无效' });
    if (req.method === 'GET' && url.pathname === '/batches') {
      const after = Number(url.searchParams.get('after') ?? 0);
      const limit = Math.min(pageSize, Number(url.searchParams.get('limit') ?? pageSize));
      const page = packages.slice(after, after + limit);
      sim.pulls.served++;
      return answer(res, 200, { batches: page, cursor: String(after + page.length) });
    }
    if (req.method === 'POST' && (url.pathname === '/receipts' || url.pathname === '/feedback')) {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (url.pathname === '/feedback') {
          if (feedbackRefusal.n > 0) {
            feedbackRefusal.n--;
            return answer(res, 422, { status: 'refused', reason: feedbackRefusal.reason });
          }
          sim.feedback.push(JSON.parse(body) as FeedbackBatch);
          return answer(res, 200, { status: 'accepted' });
        }
        if (receiptsToRefuse > 0) {
          receiptsToRefuse--;
          return answer(res, 503, { error: '回执暂不能接收' });
        }
        sim.receipts.push(JSON.parse(body) as ExchangeReceipt);
        answer(res, 200, { ok: true });
      });
      return;
    }
    answer(res, 404, { error: 'no such endpoint' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    ...sim,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** A file exchange delivery of a batch: its entries split over two data files, with their manifest. */
export function filePackageOf(b: Omit<SimulatedBatch, 'sha256'>): FilePackage {
  const half = Math.ceil(b.entries.length / 2);
  const parts = [b.entries.slice(0, half), b.entries.slice(half)].filter((p) => p.length > 0);
  const files = parts.map((p, i) => dataFile(`${b.batchId}-${i + 1}.jsonl`, p));
  return {
    manifest: { batchId: b.batchId, sender: b.sender, sentAt: b.sentAt, files: files.map((f) => f.listed) },
    files: files.map((f) => f.file),
  };
}
