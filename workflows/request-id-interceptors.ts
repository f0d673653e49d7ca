/**
 * Workflow interceptors (bundled into the workflow sandbox): the `x-request-id` header of the start,
 * signal or update that came last is the workflow's current request id. It is put on the activities
 * the workflow schedules next (so their log lines carry it, infra/observability/temporal-request-id.ts)
 * and on its own log lines. Headers are recorded in history, so a replay sees the same ids; commands
 * are unchanged (headers take no part in Temporal's determinism checks).
 */
import { defaultPayloadConverter, type Headers, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

const HEADER = 'x-request-id';

/** Called once per workflow execution: `current` belongs to that execution. */
export const interceptors: WorkflowInterceptorsFactory = () => {
  let current: string | undefined;
  const take = (headers: Headers) => {
    const p = headers[HEADER];
    if (!p) return;
    const v = defaultPayloadConverter.fromPayload(p);
    if (typeof v === 'string') current = v;
  };
  const put = <T extends { headers: Headers }>(input: T): T => {
    if (!current || input.headers[HEADER]) return input;
    return { ...input, headers: { ...input.headers, [HEADER]: defaultPayloadConverter.toPayload(current) } };
  };
  return {
    inbound: [
      {
        execute: (input, next) => {
          take(input.headers);
          return next(input);
        },
        handleSignal: (input, next) => {
          take(input.headers);
          return next(input);
        },
        handleUpdate: (input, next) => {
          take(input.headers);
          return next(input);
        },
      },
    ],
    outbound: [
      {
        scheduleActivity: (input, next) => next(put(input)),
        scheduleLocalActivity: (input, next) => next(put(input)),
        continueAsNew: (input, next) => next(put(input)),
        getLogAttributes: (input, next) => next(current ? { ...input, requestId: current } : input),
      },
    ],
  };
};
