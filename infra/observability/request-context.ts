/**
 * The request id of the work at hand, carried through async calls (AsyncLocalStorage): set by the API
 * for each request and by the worker for each activity, read by the Temporal client interceptor (so a
 * workflow started or updated on behalf of a request carries its id) and by the loggers.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export const REQUEST_ID_HEADER = 'x-request-id';

const store = new AsyncLocalStorage<string>();

export function withRequestId<T>(requestId: string | undefined, fn: () => T): T {
  return requestId ? store.run(requestId, fn) : fn();
}

export function currentRequestId(): string | undefined {
  return store.getStore();
}
