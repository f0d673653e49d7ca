/**
 * Whether an error means a server Xinlian depends on is briefly unavailable (a MongoDB election, the
 * Temporal frontend restarting or unreachable), as opposed to a fault of the request or of Xinlian.
 * Such a request answers 503 with Retry-After, so a load balancer or a department system retries it,
 * and an operator's 5xx alert on `status="500"` stays for real faults.
 */
import { MongoError } from 'mongodb';

/** MongoDB's codes for "no primary at the moment" (NotWritablePrimary, PrimarySteppedDown, …). */
const MONGO_FAILOVER_CODES = new Set([189, 91, 10107, 11600, 11602, 13435, 13436]);
const MONGO_UNREACHABLE = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
]);
/** gRPC UNAVAILABLE (14) and DEADLINE_EXCEEDED (4) from the Temporal frontend. */
const GRPC_UNAVAILABLE = new Set([14, 4]);

export function isUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as { name?: string; code?: unknown; cause?: unknown; hasErrorLabel?: (l: string) => boolean };
  if (MONGO_UNREACHABLE.has(e.name ?? '')) return true;
  if (err instanceof MongoError) {
    if (typeof e.code === 'number' && MONGO_FAILOVER_CODES.has(e.code)) return true;
    if (e.hasErrorLabel?.('RetryableWriteError') || e.hasErrorLabel?.('TransientTransactionError')) return true;
  }
  if (e.name === 'ServiceError' || e.name === 'ConnectionError') {
    const code = (e.cause as { code?: unknown } | undefined)?.code ?? e.code;
    if (e.name === 'ConnectionError' || (typeof code === 'number' && GRPC_UNAVAILABLE.has(code))) return true;
  }
  // a raw gRPC error (grpc-js: numeric code and metadata)
  if (typeof e.code === 'number' && GRPC_UNAVAILABLE.has(e.code) && 'metadata' in e) return true;
  return isUnavailable(e.cause, depth + 1);
}
