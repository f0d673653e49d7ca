/**
 * The API alone and the worker alone (dist/infra/api-main.js, worker-main.js) against a real Temporal
 * dev server and mongod: a bad or missing setting stops them at start naming the variable; /readyz
 * turns ready; /metrics has the series operations watch; a request id given to the API shows up in
 * the worker's activity log lines; SIGTERM lets requests in flight finish and exits 0.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TokenService } from '../../api/auth';
import { freePort, type Launched } from '../../infra/process';
import { startTemporalDev } from '../../infra/temporal-dev';
import { eventually } from '../support/eventually';
import { listingBody } from '../support/fixtures';
import { API_MAIN, ready, spawnMain, WORKER_MAIN, type Proc } from '../support/processes';
import { SMALL_MEASURES } from '../support/workflow-env';

jest.setTimeout(180_000);

const SECRET = 'processes-test-secret-processes-test!';
let dir: string;
let temporal: Launched;
let env: Record<string, string>;
let api: Proc;
let worker: Proc;
let apiUrl: string;
let workerUrl: string;
let office: string;
let tax: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'xinlian-processes-'));
  const tPort = await freePort();
  temporal = await startTemporalDev({
    dir,
    port: tPort,
    uiPort: await freePort(),
    logDir: dir,
    namespace: 'default',
  });
  const mongo = new URL(process.env.MONGODB_URI ?? process.env.XINLIAN_TEST_MONGO_BASE!);
  mongo.pathname = '/xinlian_test_processes';
  const [apiPort, workerPort] = [await freePort(), await freePort()];
  env = {
    TEMPORAL_ADDRESS: `127.0.0.1:${tPort}`,
    MONGODB_URI: mongo.toString(),
    XINLIAN_MEASURES_DIR: SMALL_MEASURES,
    XINLIAN_TASK_QUEUE: 'processes',
  };
  apiUrl = `http://127.0.0.1:${apiPort}`;
  workerUrl = `http://127.0.0.1:${workerPort}`;
  [api, worker] = await Promise.all([
    ready(
      spawnMain(API_MAIN, { ...env, XINLIAN_JWT_SECRET: SECRET, PORT: String(apiPort), XINLIAN_DRAIN_DELAY_S: '1' }),
    ),
    ready(spawnMain(WORKER_MAIN, { ...env, XINLIAN_WORKER_PORT: String(workerPort), XINLIAN_LOG_LEVEL: 'debug' })),
  ]);
  const tokens = new TokenService(SECRET);
  office = await tokens.issue({ sub: 'o1', name: '信用办', role: 'office' });
  tax = await tokens.issue({ sub: 't1', name: '税务局', role: 'department', departmentId: 'tax' });
});

afterAll(async () => {
  await api?.stop('SIGKILL');
  await worker?.stop('SIGKILL');
  await temporal?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a bad or missing setting stops the process at start, naming the variable', () => {
  test('the API without servers or keys', async () => {
    const p = spawnMain(API_MAIN, {});
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toContain('TEMPORAL_ADDRESS: required');
    expect(p.stderr()).toContain('MONGODB_URI: required');
    expect(p.stderr()).toContain('XINLIAN_JWT_KEYS');
  });

  test('the worker with a client certificate that does not exist and a bad port', async () => {
    const p = spawnMain(WORKER_MAIN, {
      ...env,
      TEMPORAL_TLS_CERT: '/nonexistent/client.pem',
      TEMPORAL_TLS_KEY: '/nonexistent/client.key',
      XINLIAN_WORKER_PORT: '70000',
    });
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toMatch(/TEMPORAL_TLS_CERT: must name a readable file/);
    expect(p.stderr()).toMatch(/TEMPORAL_TLS_KEY: must name a readable file/);
    expect(p.stderr()).toMatch(/XINLIAN_WORKER_PORT: must be a port number/);
  });
});

test('/readyz of the API and of the worker turn ready with every check ok', async () => {
  const a = await fetch(`${apiUrl}/readyz`);
  expect(a.status).toBe(200);
  expect(await a.json()).toEqual({ ready: true, checks: { mongodb: 'ok', temporal: 'ok', liveIndex: 'ok' } });
  const w = await fetch(`${workerUrl}/readyz`);
  expect(w.status).toBe(200);
  expect(await w.json()).toEqual({ ready: true, checks: { worker: 'ok', mongodb: 'ok', temporal: 'ok' } });
  expect((await fetch(`${apiUrl}/healthz`)).status).toBe(200);
  expect((await fetch(`${workerUrl}/healthz`)).status).toBe(200);
});

test('a request id given to the API is in the workflow and activity log lines of the worker, and /metrics counts', async () => {
  const requestId = `req-${Date.now()}`;
  const res = await fetch(`${apiUrl}/api/v1/office/listings`, {
    method: 'POST',
    headers: { authorization: `Bearer ${office}`, 'content-type': 'application/json', 'x-request-id': requestId },
    body: JSON.stringify(listingBody()),
  });
  expect(res.status).toBe(201);
  expect(res.headers.get('x-request-id')).toBe(requestId);
  const { entryId } = (await res.json()) as { entryId: string };
  const activityLine = await eventually(async () => {
    const line = worker.lines.find((l) => l.requestId === requestId && typeof l.activityType === 'string');
    if (!line) throw new Error(`no activity log line with requestId ${requestId}`);
    return line;
  }, 60_000);
  expect(activityLine).toMatchObject({ workflowId: `listing-${entryId}`, service: 'worker' });
  expect(api.lines).toContainEqual(
    expect.objectContaining({ requestId, route: '/office/listings', status: 201, msg: 'request' }),
  );

  // a check, then the API's series
  const check = await fetch(`${apiUrl}/api/v1/departments/me/checks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tax}`, 'content-type': 'application/json' },
    body: JSON.stringify({ subjectId: '9144030071526726XG', matter: 'tax_incentive' }),
  });
  expect(check.status).toBe(200);
  const text = await (await fetch(`${apiUrl}/metrics`)).text();
  expect(text).toMatch(/xinlian_http_requests_total\{method="POST",route="\/office\/listings",status="201"\} 1/);
  expect(text).toMatch(
    /xinlian_http_request_duration_seconds_bucket\{le="[0-9.]+",method="POST",route="\/departments\/me\/checks"\}/,
  );
  expect(text).toMatch(/xinlian_checks_total\{result="(hit|clear)",source="(index|database)"\} 1/);
  expect(text).toMatch(/xinlian_check_duration_seconds_count\{source="(index|database)"\} 1/);
  expect(text).toMatch(/^xinlian_live_index_lag_seconds [0-9.]+$/m);
  expect(text).toMatch(/^xinlian_live_index_fresh 1$/m);
  expect(text).toMatch(/^xinlian_check_log_queue_depth \d+$/m);
  expect(text).toContain('# TYPE xinlian_import_rows gauge');
  expect(text).toContain('process_cpu_seconds_total');

  const sdk = await (await fetch(`${workerUrl}/metrics`)).text();
  expect(sdk).toMatch(/temporal_num_pollers\{[^}]*task_queue="processes"[^}]*\} \d+/);
  expect(sdk).toMatch(/temporal_activity_execution_latency/);
  expect(sdk).toContain('process_cpu_seconds_total');
});

test('SIGTERM: /readyz turns 503 at once, requests sent meanwhile are answered, then both exit 0', async () => {
  api.child.kill('SIGTERM');
  worker.child.kill('SIGTERM');
  const during = await eventually(async () => {
    const r = await fetch(`${apiUrl}/readyz`);
    if (r.status !== 503) throw new Error(`readyz ${r.status}`);
    return r.json();
  }, 900);
  expect(during).toMatchObject({ ready: false, checks: { process: expect.stringContaining('draining') } });
  const inFlight = Array.from({ length: 20 }, () =>
    fetch(`${apiUrl}/api/v1/office/listings`, { headers: { authorization: `Bearer ${office}` } }).then((r) => r.status),
  );
  expect(await Promise.all(inFlight)).toEqual(Array(20).fill(200));
  expect(await api.exited).toBe(0);
  expect(await worker.exited).toBe(0);
  expect(api.lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['api draining', 'api stopped']));
  expect(worker.lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['worker draining', 'worker stopped']));
  await expect(fetch(`${apiUrl}/healthz`)).rejects.toThrow();
});
