/**
 * Carries the request id from the API into Temporal and back out into the worker's activities:
 * - client interceptor: every workflow start, signal and update made while a request id is current
 *   gets it as the `x-request-id` header;
 * - activity interceptors: an activity runs with the header's id as the current request id (so a
 *   client call it makes passes it on) and its log lines carry `requestId`.
 * The workflow side (inbound headers to outbound activity headers and workflow log lines) is
 * workflows/request-id-interceptors.ts, which runs inside the workflow sandbox.
 */
import { defaultPayloadConverter, type Headers } from '@temporalio/common';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { currentRequestId, REQUEST_ID_HEADER, withRequestId } from './request-context';

function add(headers: Headers): Headers {
  const id = currentRequestId();
  if (!id || headers[REQUEST_ID_HEADER]) return headers;
  return { ...headers, [REQUEST_ID_HEADER]: defaultPayloadConverter.toPayload(id) };
}

function withHeader<T extends { headers: Headers }>(input: T): T {
  return { ...input, headers: add(input.headers) };
}

export function requestIdFromHeaders(headers: Headers): string | undefined {
  const p = headers[REQUEST_ID_HEADER];
  if (!p) return undefined;
  const v = defaultPayloadConverter.fromPayload(p);
  return typeof v === 'string' ? v : undefined;
}

export const requestIdClientInterceptor: WorkflowClientInterceptor = {
  start: (input, next) => next(withHeader(input)),
  startWithDetails: (input, next) => next(withHeader(input)),
  signal: (input, next) => next(withHeader(input)),
  signalWithStart: (input, next) => next(withHeader(input)),
  startUpdate: (input, next) => next(withHeader(input)),
  startUpdateWithStart: (input, next) =>
    next({ ...input, workflowStartHeaders: add(input.workflowStartHeaders), updateHeaders: add(input.updateHeaders) }),
};

export const requestIdActivityInterceptors: ActivityInterceptorsFactory = () => {
  let requestId: string | undefined;
  return {
    inbound: {
      execute: (input, next) => {
        requestId = requestIdFromHeaders(input.headers);
        return withRequestId(requestId, () => next(input));
      },
    },
    outbound: {
      getLogAttributes: (input, next) => next(requestId ? { ...input, requestId } : input),
    },
  };
};
