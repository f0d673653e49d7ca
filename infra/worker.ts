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
import type { Config } from './config';
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

/** No provincial endpoint, no renaming: pushes only. */
const NO_UPSTREAM = { mapping: FieldMapping.parse({}) };

export async function createWorker(
  opts: {
    connection: NativeConnection;
    client: Client;
    namespace: string;
    taskQueue: string;
    upstream?: Config['upstream'];
  } & Partial<WorkerOptions>,
): Promise<Worker> {
  const { client, upstream, ...rest } = opts;
  return Worker.create({
    workflowsPath: WORKFLOWS_PATH,
    activities: workerActivities(client, upstream),
    interceptors: { activity: [requestIdActivityInterceptors], workflowModules: [WORKFLOW_INTERCEPTORS] },
    ...rest,
  });
}
