/** A fresh time-skipping server per test (clock starting where the test says) with a real worker. */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import * as listingActivities from '../../activities/listing-activities';
import { workerActivities, WORKFLOWS_PATH } from '../../infra/worker';
import { loadCatalogue } from '../../measures/catalogue';
import { timeSkippingEnv } from './temporal';
import { baseListing } from './fixtures';
import type { WorkflowHandle } from '@temporalio/client';
import { ListingRequest } from '../../domain/listing';
import { listingWorkflow } from '../../workflows/listing';
import type { ListingInput } from '../../workflows/listing-types';

export const TASK_QUEUE = 'workflow-test';
export const SMALL_MEASURES = path.join(__dirname, '..', 'fixtures', 'measures-small');

let bundle: WorkflowBundleWithSourceMap | undefined;
const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } as never;

/** Loads the small catalogue and bundles the workflows once; returns the bundle (replay tests use it). */
export async function prepareWorkflowTests(): Promise<WorkflowBundleWithSourceMap> {
  listingActivities.useCatalogue(loadCatalogue(SMALL_MEASURES));
  bundle ??= await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: silent });
  return bundle;
}

/**
 * Runs `fn` against a fresh time-skipping server starting at `startAt`, with a worker polling (some activities
 * replaced if asked).
 */
export async function withWorker(
  startAt: string,
  fn: (env: TestWorkflowEnvironment) => Promise<void>,
  replace: Record<string, (...args: never[]) => Promise<unknown>> = {},
): Promise<void> {
  if (!bundle) throw new Error('call prepareWorkflowTests() in beforeAll');
  const env = await timeSkippingEnv(startAt);
  try {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUE,
      workflowBundle: bundle,
      activities: { ...workerActivities(env.client), ...replace },
    });
    await worker.runUntil(fn(env));
  } finally {
    await env.teardown();
  }
}

export async function sleepUntil(env: TestWorkflowEnvironment, iso: string): Promise<void> {
  const ms = Date.parse(iso) - (await env.currentTimeMs());
  if (ms > 0) await env.sleep(ms);
}

/**
 * A timer fires at its instant; the workflow task that handles it runs shortly after (seconds at worst on a loaded
 * machine; a wrong deadline is minutes or days off).
 */
export function expectFiredAt(actual: unknown, expected: string): void {
  expect(typeof actual).toBe('string');
  const delay = Date.parse(actual as string) - Date.parse(expected);
  expect(delay).toBeGreaterThanOrEqual(0);
  expect(delay).toBeLessThan(10_000);
}

/** A black-list entry of a serious major-tax-violation enterprise (matches alpha and beta of the small catalogue). */
export const listingRequest = (over: Partial<Record<string, unknown>> = {}) =>
  ListingRequest.parse({
    ...baseListing(),
    subject: { type: 'enterprise', uscc: '914403001922038216', name: '示例科技有限公司' },
    decisionDocument: { number: `沧税稽罚〔2026〕${Math.floor(Math.random() * 1e9)}号`, date: '2026-09-18' },
    effectiveDate: '2026-09-29',
    validUntil: '2027-09-28',
    ...over,
  });

/** Starts a listing workflow directly (a random entry id per call). */
export async function startListing(
  env: TestWorkflowEnvironment,
  input: Omit<ListingInput, 'entryId'>,
): Promise<WorkflowHandle<typeof listingWorkflow>> {
  const entryId = `E${randomBytes(10).toString('hex')}`;
  return env.client.workflow.start(listingWorkflow, {
    workflowId: `listing-${entryId}`,
    taskQueue: TASK_QUEUE,
    args: [{ entryId, ...input }],
  });
}

/** Where the replay test's histories live (test/workflow/replay.test.ts). */
export const HISTORIES = path.join(__dirname, '..', 'fixtures', 'histories');

/**
 * With XINLIAN_RECORD_HISTORIES=1, writes the run's history as a replay fixture (what docs/operations.md
 * asks for before a workflow change): `XINLIAN_RECORD_HISTORIES=1 npx jest test/workflow/listing.test.ts`.
 * Otherwise does nothing, so the tests that call it behave the same either way.
 */
export async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (process.env.XINLIAN_RECORD_HISTORIES !== '1') return;
  writeFileSync(path.join(HISTORIES, name), JSON.stringify(await handle.fetchHistory()));
}
