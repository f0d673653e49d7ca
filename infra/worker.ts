/** The Temporal worker: listing workflow + activities on one task queue. */
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import * as listingActivities from '../activities/listing-activities';
import * as supervisionActivities from '../activities/supervision';

export const activities = { ...listingActivities, ...supervisionActivities };

export const WORKFLOWS_PATH = require.resolve('../workflows');

export async function createWorker(opts: { connection: NativeConnection; namespace: string; taskQueue: string } & Partial<WorkerOptions>): Promise<Worker> {
  return Worker.create({
    workflowsPath: WORKFLOWS_PATH,
    activities,
    ...opts,
  });
}
