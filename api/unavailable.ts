/**
 * Whether an error means a server Xinlian depends on is briefly unavailable (a MongoDB election, the
 * Temporal frontend restarting or unreachable), as opposed to a fault of the request or of Xinlian.
 * Such a request answers 503 with Retry-After, so a load balancer or a department system retries it,
 * and an operator's 5xx alert on `status="500"` stays for real faults.
 */
import { MongoError, MongoNetworkError } from 'mongodb';

/**
 * The codes MongoDB's retryable-reads and retryable-writes specifications name for "this member cannot
 * serve now" (HostUnreachable, NetworkTimeout, ShutdownInProgress, PrimarySteppedDown, ExceededTimeLimit,
 * NotWritablePrimary, InterruptedDueToReplStateChange, ReadConcernMajorityNotAvailableYet, …); also the
 * code of a write concern error, which the driver puts on MongoWriteConcernError.
 */
const MONGO_FAILOVER_CODES = new Set([6, 7, 89, 91, 134, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436]);
/** Labels the server or the driver puts on an error that a retry may cure. */
const MONGO_TRANSIENT_LABELS = [
  'RetryableWriteError',
  'PoolRequestedRetry',
  'TransientTransactionError',
  'UnknownTransactionCommitResult',
];
/** Driver errors for a server it cannot reach or that went away (network errors: by their class). */
const MONGO_UNREACHABLE = new Set([
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoServerClosedError',
  'MongoStalePrimaryError',
  'MongooseServerSelectionError',
]);
/**
 * Mongoose holds a model's operations while its connection has no primary and rejects them with a plain
 * MongooseError after `bufferTimeoutMS` (10 s) if none is elected by then; its message is the only mark.
 */
const MONGOOSE_BUFFER_TIMEOUT = /buffering timed out after/;
/** gRPC UNAVAILABLE (14) and DEADLINE_EXCEEDED (4) from the Temporal frontend. */
const GRPC_UNAVAILABLE = new Set([14, 4]);

export function isUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as { name?: string; code?: unknown; cause?: unknown; hasErrorLabel?: (l: string) => boolean };
  // (a network error by its class: the pool-cleared and timeout errors are network errors with their own names)
  if (err instanceof MongoNetworkError || MONGO_UNREACHABLE.has(e.name ?? '')) return true;
  if (e.name === 'MongooseError' && MONGOOSE_BUFFER_TIMEOUT.test((err as Error).message ?? '')) return true;
  if (err instanceof MongoError) {
    if (typeof e.code === 'number' && MONGO_FAILOVER_CODES.has(e.code)) return true;
    if (MONGO_TRANSIENT_LABELS.some((l) => e.hasErrorLabel?.(l))) return true;
  }
  if (e.name === 'ServiceError' || e.name === 'ConnectionError') {
    const code = (e.cause as { code?: unknown } | undefined)?.code ?? e.code;
    if (e.name === 'ConnectionError' || (typeof code === 'number' && GRPC_UNAVAILABLE.has(code))) return true;
  }
  // a raw gRPC error (grpc-js: numeric code and metadata)
  if (typeof e.code === 'number' && GRPC_UNAVAILABLE.has(e.code) && 'metadata' in e) return true;
  return isUnavailable(e.cause, depth + 1);
}
