/** The Temporal worker: every workflow and activity of Xinlian on one task queue. */
import type { Client } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import * as listingActivities from '../activities/listing-activities';
import * as supervisionActivities from '../activities/supervision';
import * as webhookActivities from '../activities/webhook-activities';
import { createCaseActivities, planCaseDeadline } from '../activities/case-activities';
import { createImportActivities } from '../activities/import-activities';
import { createRecordObjectionActivities } from '../activities/record-objection-activities';
import {
  createCalendarActivities,
  replanCaseDeadlines,
  replanListingDeadlines,
} from '../activities/calendar-activities';
import { createRematchActivities } from '../activities/rematch-activities';
import { createUpstreamActivities } from '../activities/upstream-activities';
import { FieldMapping } from '../domain/upstream-exchange';
import { WORKER_CACHED_WORKFLOWS, type Config } from './config';
import { requestIdActivityInterceptors } from './observability/temporal-request-id';

export const WORKFLOWS_PATH = require.resolve('../workflows');
/** Workflow interceptors bundled with the workflow code: the request id from headers to activities and logs. */
export const WORKFLOW_INTERCEPTORS = require.resolve('../workflows/request-id-interceptors');

/**
 * All activities; the case activities call the listing workflow's Updates with `client`, the import activities start
 * listings with it, the upstream activities both (and fetch from the provincial endpoint, when given).
 */
export function workerActivities(
  client: Client,
  upstream: Pick<Config['upstream'], 'endpoint' | 'mapping'> = NO_UPSTREAM,
) {
  return {
    ...listingActivities,
    ...supervisionActivities,
    ...webhookActivities,
    ...createCaseActivities(client),
    planCaseDeadline,
    ...createImportActivities(client),
    ...createRecordObjectionActivities(),
    ...createCalendarActivities(client),
    replanListingDeadlines,
    replanCaseDeadlines,
    ...createRematchActivities(client),
    ...createUpstreamActivities(client, upstream),
  };
}

/**
 * The worker process's V8 heap limit (MiB): `node --max-old-space-size=384` in `npm run worker`, the
 * systemd unit (docs/deployment.md) and the fan-out benchmark. With the cache bounded
 * (XINLIAN_WORKER_CACHED_WORKFLOWS) the live heap stays well under it; the limit makes V8 collect instead of
 * growing the heap, which keeps the process under 512 MiB (docs/benchmarks.md, fan-out). Raise both together.
 */
export const WORKER_HEAP_MIB = 384;

/** No provincial endpoint, no renaming: pushes only. */
const NO_UPSTREAM = { mapping: FieldMapping.parse({}) };

export async function createWorker(
  opts: {
    connection: NativeConnection;
    client: Client;
    namespace: string;
    taskQueue: string;
    upstream?: Config['upstream'];
    /** runs kept in memory (XINLIAN_WORKER_CACHED_WORKFLOWS) */
    cachedWorkflows?: number;
  } & Partial<WorkerOptions>,
): Promise<Worker> {
  const { client, upstream, cachedWorkflows = WORKER_CACHED_WORKFLOWS, ...rest } = opts;
  return Worker.create({
    workflowsPath: WORKFLOWS_PATH,
    maxCachedWorkflows: cachedWorkflows,
    activities: workerActivities(client, upstream),
    interceptors: { activity: [requestIdActivityInterceptors], workflowModules: [WORKFLOW_INTERCEPTORS] },
    ...rest,
  });
}
