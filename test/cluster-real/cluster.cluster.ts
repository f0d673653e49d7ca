/**
 * `npm run test:cluster`: Xinlian on a real Temporal server (PostgreSQL persistence, schema by the
 * server's own SQL tool), a three-member MongoDB replica set, two workers and two API processes, all on
 * 127.0.0.1. The full scenario first (listing, fan-out, acknowledgement, feedback, checks from either
 * API, objection, repair, import); then, mid fan-out of 1,000 listings: the mongod primary killed, a
 * worker SIGKILLed, an API process killed and the Temporal server restarted. Afterwards every listing
 * has exactly one task per department and measure, no feedback is lost, and checks through the
 * surviving API are correct within 1 s. Each step and what was checked is written to the report
 * (XINLIAN_CLUSTER_REPORT, default .data/cluster-report.md) that docs/cluster-test.md records.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import { TokenService } from '../../api/auth';
import { startReplicaSet, type ReplicaSet } from '../../infra/cluster/replica-set';
import {
  setupTemporalSchema,
  startPostgres,
  startTemporalServer,
  type TemporalPorts,
} from '../../infra/cluster/temporal-cluster';
import { findBinary } from '../../infra/binaries';
import { PROJECT_ROOT } from '../../infra/paths';
import type { Launched } from '../../infra/process';
import { eventually } from '../support/eventually';
import { daysFromToday, today } from '../support/fixtures';
import { csvFile, validRows } from '../support/import-files';
import { API_MAIN, ready, spawnMain, WORKER_MAIN, type Proc } from '../support/processes';
import { call, callUntilOk, exactlyOnceProblems, expectedGroups, listingFor, uscc } from '../support/topology';

const SERVER_DIR = process.env.TEMPORAL_SERVER_DIR!;
const REPORT = process.env.XINLIAN_CLUSTER_REPORT ?? path.join(PROJECT_ROOT, '.data', 'cluster-report.md');
const N = Number(process.env.XINLIAN_CLUSTER_LISTINGS ?? 1000);
/**
 * Free loopback ports below 32768, so two runs on one machine (or other servers) never collide:
 * Temporal's PostgreSQL schema stores membership ports as smallint, which the kernel's ephemeral
 * ports (32768 and up) overflow ("value is out of range for type smallint" at start).
 */
async function freeLowPort(taken: number[]): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (taken.includes(port)) continue;
    const ok = await new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (ok) return port;
  }
}
let PG_PORT: number;
let T: TemporalPorts;
let MONGO_PORTS: number[];
let API_PORTS: number[];
let WORKER_PORTS: number[];
async function choosePorts() {
  const free = async (n: number) => {
    const out: number[] = [];
    while (out.length < n) {
      out.push(await freeLowPort(out));
    }
    return out;
  };
  const ports = await free(19);
  PG_PORT = ports[0];
  T = {
    frontend: ports[1],
    history: ports[2],
    matching: ports[3],
    worker: ports[4],
    membership: [ports[5], ports[6], ports[7], ports[8]],
    http: ports[9],
    metrics: ports[10],
  };
  MONGO_PORTS = ports.slice(11, 14);
  API_PORTS = ports.slice(14, 16);
  WORKER_PORTS = ports.slice(16, 18);
}
const NAMESPACE = 'xinlian';
const SECRET = 'cluster-test-secret-cluster-test-secret!';
const AUTHORITY = '国家税务总局沧州市税务局';

const started = Date.now();
const report = (line: string) => {
  const s = `- [${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`;
  appendFileSync(REPORT, `${s}\n`);
  process.stderr.write(`${s}\n`);
};

let dir: string;
let pg: Launched;
let temporal: Launched;
let rs: ReplicaSet;
let db: MongoClient;
const apis: Proc[] = [];
const workers: Proc[] = [];
let urls: string[];

/** As an operator does on a real cluster (docs/deployment.md): the Temporal CLI's namespace create. */
async function registerNamespace(): Promise<void> {
  await eventually(async () => {
    try {
      execFileSync(
        findBinary('temporal'),
        [
          'operator',
          'namespace',
          'create',
          '--address',
          `127.0.0.1:${T.frontend}`,
          '-n',
          NAMESPACE,
          '--retention',
          '72h',
        ],
        { stdio: 'pipe' },
      );
    } catch (e) {
      const out = `${(e as { stderr?: Buffer }).stderr ?? ''}`;
      if (!/already exists|AlreadyExists/i.test(out)) throw new Error(out || (e as Error).message);
    }
  }, 120_000);
  // the namespace is served once every frontend's cache has it
  await eventually(async () => {
    const c = await Connection.connect({ address: `127.0.0.1:${T.frontend}` });
    try {
      await c.workflowService.describeNamespace({ namespace: NAMESPACE });
    } finally {
      await c.close();
    }
  }, 60_000);
}

beforeAll(async () => {
  await choosePorts();
  urls = API_PORTS.map((p) => `http://127.0.0.1:${p}`);
  mkdirSync(path.dirname(REPORT), { recursive: true });
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: PROJECT_ROOT }).toString().trim();
  const version = (bin: string, args: string[]) =>
    execFileSync(bin, args).toString().split('\n').find(Boolean)?.trim() ?? '?';
  writeFileSync(
    REPORT,
    [
      `# Cluster test run (${new Date().toISOString()})`,
      '',
      `- commit ${commit}; ${N} listings in the fault phase; machine: ` +
        `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
      `- Temporal server: ${version(path.join(SERVER_DIR, 'temporal-server'), ['--version'])} ` +
        `(go.temporal.io/server, PostgreSQL persistence)`,
      `- PostgreSQL: ${version('/bin/sh', ['-c', 'ls /usr/lib/postgresql'])} (Debian)`,
      `- mongod: ${version(findBinary('mongod'), ['--version'])}, replica set of 3`,
      `- Node ${process.version}; 2 API processes, 2 worker processes`,
      '',
    ].join('\n'),
  );
  dir = mkdtempSync(path.join(os.tmpdir(), 'xinlian-cluster-'));
  pg = await startPostgres({ dir, port: PG_PORT });
  setupTemporalSchema(path.join(SERVER_DIR, 'temporal-sql-tool'), PG_PORT);
  report(`PostgreSQL on 127.0.0.1:${PG_PORT}; schemas temporal and temporal_visibility set up by temporal-sql-tool`);
  temporal = await startTemporalServer({
    binary: path.join(SERVER_DIR, 'temporal-server'),
    dir,
    pgPort: PG_PORT,
    ports: T,
  });
  await registerNamespace();
  report(`Temporal server on 127.0.0.1:${T.frontend}; namespace ${NAMESPACE} registered (retention 3 days)`);
  rs = await startReplicaSet({ dir, ports: MONGO_PORTS });
  report(`replica set ${rs.uri}; primary ${await rs.primary()}`);
  const env = {
    TEMPORAL_ADDRESS: `127.0.0.1:${T.frontend}`,
    TEMPORAL_NAMESPACE: NAMESPACE,
    MONGODB_URI: rs.uri,
    XINLIAN_JWT_SECRET: SECRET,
    XINLIAN_SHUTDOWN_GRACE_S: '10',
  };
  for (let i = 0; i < 2; i++) {
    apis.push(await ready(spawnMain(API_MAIN, { ...env, PORT: String(API_PORTS[i]) })));
    workers.push(await ready(spawnMain(WORKER_MAIN, { ...env, XINLIAN_WORKER_PORT: String(WORKER_PORTS[i]) })));
  }
  for (const u of [...urls, ...WORKER_PORTS.map((p) => `http://127.0.0.1:${p}`)])
    await eventually(async () => expect((await fetch(`${u}/readyz`)).status).toBe(200), 60_000);
  report(
    `2 APIs (${API_PORTS.join(', ')}) and 2 workers (readiness on ` +
      `${WORKER_PORTS.join(', ')}) started; every /readyz answered 200`,
  );
  db = await MongoClient.connect(rs.uri);
}, 900_000);

afterAll(async () => {
  await db?.close();
  for (const p of [...apis, ...workers]) await p.stop('SIGKILL');
  await temporal?.stop();
  await rs?.stop();
  await pg?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const tokens = new TokenService(SECRET);
const token = (p: Parameters<TokenService['issue']>[0]) => tokens.issue(p);
const MATTER = 'tax_incentive';

it('runs the full scenario through both API processes', async () => {
  const office = await token({ sub: 'o', name: '信用办', role: 'office' });
  const tax = await token({ sub: 't', name: '税务局经办人', role: 'department', departmentId: 'tax' });
  const authority = await token({ sub: 'a', name: '税务稽查局', role: 'authority', authority: AUTHORITY });
  const tag = 901;
  const groups = expectedGroups();

  // listing and fan-out
  const subject = uscc(tag, 1);
  const listed = await callUntilOk(
    [urls[0]],
    'POST',
    '/api/v1/office/listings',
    office,
    listingFor(subject, '集群〔1〕号'),
  );
  const entryId = listed.body.entryId as string;
  await eventually(async () => expect(await exactlyOnceProblems(db.db(), [entryId])).toEqual([]), 120_000);
  report(
    `scenario: listing ${entryId} through API 1; fan-out: exactly one task for each of ${groups.length} departments`,
  );

  // acknowledgement through API 2, feedback through API 1
  const inbox = await call(urls[1], 'GET', '/api/v1/departments/me/inbox?limit=200', tax);
  const task = (
    inbox.body as unknown as { items: Array<{ taskId: string; entryId: string; measures: Array<{ id: string }> }> }
  ).items.find((t) => t.entryId === entryId)!;
  const ack = await call(urls[1], 'POST', `/api/v1/departments/me/tasks/${task.taskId}/acknowledgement`, tax, {
    note: '已签收',
  });
  expect(ack.status).toBe(200);
  const fb = await call(urls[0], 'POST', `/api/v1/departments/me/tasks/${task.taskId}/feedback`, tax, {
    matter: MATTER,
    measureIds: [task.measures[0].id],
    appliedOn: today,
    outcome: '取消其享受的税收优惠',
  });
  expect(fb.status).toBe(201);
  await eventually(async () =>
    expect(
      await db
        .db()
        .collection('feedback')
        .countDocuments({ _id: fb.body.feedbackId as never }),
    ).toBe(1),
  );
  report('scenario: acknowledgement through API 2 (200), feedback through API 1 (201, stored)');

  // checks from either API
  const checkBoth = async (expected: Partial<Record<string, unknown>>) => {
    for (const u of urls)
      await eventually(async () => {
        const c = await call(u, 'POST', '/api/v1/departments/me/checks', tax, { subjectId: subject, matter: MATTER });
        expect(c.status).toBe(200);
        expect(c.body).toMatchObject(expected);
      }, 5_000);
  };
  await checkBoth({ result: 'hit', underObjection: false });
  report('scenario: check of the subject from API 1 and API 2: hit');

  // objection: flagged at once on both, rejected by the authority
  const subjectToken = await token({ sub: 's', name: '拓扑测试企业', role: 'subject', subjectId: subject });
  const obj = await call(urls[1], 'POST', '/api/v1/subjects/me/objections', subjectToken, {
    entryId,
    reason: '处罚决定已被行政复议撤销',
  });
  expect(obj.status).toBe(201);
  await checkBoth({ result: 'hit', underObjection: true });
  const decided = await call(urls[0], 'POST', `/api/v1/authority/objections/${obj.body.caseId}/decision`, authority, {
    outcome: 'rejected',
    reasons: '复议决定未撤销原处罚，异议不成立',
  });
  expect(decided.status).toBe(200);
  await checkBoth({ result: 'hit', underObjection: false });
  report('scenario: objection filed through API 2 (checks on both APIs show underObjection), rejected through API 1');

  // repair of a minor listing: accepted, approved, the listing ends and both APIs' checks are clear
  const minorSubject = uscc(tag, 2);
  const minor = await callUntilOk([urls[1]], 'POST', '/api/v1/office/listings', office, {
    ...listingFor(minorSubject, '集群〔2〕号'),
    severity: 'minor',
    validUntil: daysFromToday(60),
  });
  const minorId = minor.body.entryId as string;
  // the listing's status, not its tasks: the projection writes tasks and listing side by side, so tasks
  // may be stored a moment before the listing reads active (and a repair needs it active)
  await eventually(
    async () =>
      expect(await db.db().collection('listings').findOne({ entryId: minorId })).toMatchObject({ status: 'active' }),
    60_000,
  );
  const minorToken = await token({ sub: 's2', name: '拓扑测试企业二', role: 'subject', subjectId: minorSubject });
  const repair = await call(urls[0], 'POST', '/api/v1/subjects/me/repairs', minorToken, {
    entryId: minorId,
    commitment: { signedOn: today, text: '本企业承诺依法诚信经营，今后不再发生同类失信行为。' },
    obligationsFulfilled: true,
    proofs: [{ name: '缴款凭证.pdf' }],
  });
  expect(repair).toMatchObject({ status: 201 }); // on failure, the answer's body says why
  expect(
    (await call(urls[1], 'POST', `/api/v1/office/repairs/${repair.body.caseId}/acceptance`, office, { accepted: true }))
      .status,
  ).toBe(200);
  const approved = await call(urls[0], 'POST', `/api/v1/authority/repairs/${repair.body.caseId}/decision`, authority, {
    approved: true,
    reasons: '已履行义务并作出信用承诺，同意修复',
  });
  expect(approved.status).toBe(200);
  expect((await call(urls[1], 'GET', `/api/v1/office/listings/${minorId}`, office)).body).toMatchObject({
    status: 'closed',
  });
  for (const u of urls)
    await eventually(async () => {
      const c = await call(u, 'POST', '/api/v1/departments/me/checks', tax, {
        subjectId: minorSubject,
        matter: MATTER,
      });
      expect(c.body.result).toBe('clear');
    }, 5_000);
  report('scenario: repair applied (API 1), accepted (API 2), approved (API 1): listing closed, checks clear on both');

  // import of 20 rows
  const up = await fetch(`${urls[0]}/api/v1/office/imports?filename=cluster.csv`, {
    method: 'POST',
    headers: { authorization: `Bearer ${office}`, 'content-type': 'text/csv' },
    body: csvFile(validRows(20, 'cluster', 500)),
  });
  expect(up.status).toBe(202);
  const { importId } = (await up.json()) as { importId: string };
  await eventually(async () => {
    const i = await call(urls[1], 'GET', `/api/v1/office/imports/${importId}`, office);
    expect(i.body).toMatchObject({ status: 'completed', processed: 20, created: 20 });
  }, 180_000);
  report(`scenario: import ${importId} of 20 rows through API 1, completed (20 created) as seen through API 2`);
});

it(`keeps every invariant through the faults, mid fan-out of ${N} listings`, async () => {
  const office = await token({ sub: 'o', name: '信用办', role: 'office' });
  const tax = await token({ sub: 't', name: '税务局经办人', role: 'department', departmentId: 'tax' });
  const groups = expectedGroups();
  const taxMeasure = groups.find((g) => g.departmentId === 'tax')!.measures[0].id;
  const tag = 902;

  // tasks acknowledged before the faults, to report feedback on during them
  const early = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      callUntilOk(
        urls,
        'POST',
        '/api/v1/office/listings',
        office,
        listingFor(uscc(tag, 5000 + i), `集群反馈〔${i}〕号`),
      ),
    ),
  );
  const earlyIds = early.map((a) => a.body.entryId as string);
  await eventually(async () => expect(await exactlyOnceProblems(db.db(), earlyIds)).toEqual([]), 300_000);
  const inbox = (
    (await call(urls[1], 'GET', '/api/v1/departments/me/inbox?status=pending&limit=200', tax)).body as unknown as {
      items: Array<{
        taskId: string;
        entryId: string;
      }>;
    }
  ).items;
  const taxTasks = inbox.filter((t) => earlyIds.includes(t.entryId));
  expect(taxTasks).toHaveLength(10);
  for (const t of taxTasks)
    await callUntilOk(urls, 'POST', `/api/v1/departments/me/tasks/${t.taskId}/acknowledgement`, tax, {
      note: '已签收',
    });

  // N listings, 16 at a time through both APIs (a request cut off is sent again, as a load balancer would)
  const subjects = Array.from({ length: N }, (_, i) => uscc(tag, i));
  const entryIds: string[] = new Array(N);
  let next = 0;
  const listStart = Date.now();
  const listing = Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < N) {
        const i = next++;
        const a = await callUntilOk(
          [urls[i % 2], urls[(i + 1) % 2]],
          'POST',
          '/api/v1/office/listings',
          office,
          listingFor(subjects[i], `集群故障〔${tag}〕${i}号`),
          600_000,
        );
        entryIds[i] = a.body.entryId as string;
      }
    }),
  );
  const expectedTasks = N * groups.length;
  const tasksNow = () =>
    db
      .db()
      .collection('tasks')
      .countDocuments({ subjectId: { $in: subjects } });
  await eventually(async () => expect(await tasksNow()).toBeGreaterThan(expectedTasks * 0.1), 600_000);

  const oldPrimary = await rs.primary();
  report(
    `faults: ${await tasksNow()} of ${expectedTasks} tasks written; ` +
      `killing the mongod primary (${oldPrimary}) with SIGKILL`,
  );
  await rs.kill(oldPrimary, 'SIGKILL');
  await workers[0].stop('SIGKILL');
  report(`faults: worker 1 killed with SIGKILL (${await tasksNow().catch(() => '?')} tasks)`);
  await apis[0].stop('SIGKILL');
  report('faults: API 1 killed with SIGKILL; API 2 carries on');
  const survivor = [urls[1]];
  const feedback = Promise.all(
    taxTasks.map(async (t, i) => {
      const a = await callUntilOk(
        survivor,
        'POST',
        `/api/v1/departments/me/tasks/${t.taskId}/feedback`,
        tax,
        {
          matter: MATTER,
          measureIds: [taxMeasure],
          appliedOn: today,
          outcome: `故障期间的执行反馈 ${i}`,
        },
        600_000,
      );
      return a.body.feedbackId as string;
    }),
  );
  const newPrimary = await rs.primary(120_000);
  report(`faults: the set elected ${newPrimary} as primary`);
  await temporal.stop();
  report('faults: Temporal server stopped (SIGTERM)');
  temporal = await startTemporalServer({
    binary: path.join(SERVER_DIR, 'temporal-server'),
    dir,
    pgPort: PG_PORT,
    ports: T,
  });
  report('faults: Temporal server started again');
  await rs.restart(oldPrimary);
  report(`faults: old primary ${oldPrimary} restarted (rejoins as a secondary)`);

  await listing;
  report(`all ${N} listings answered 2xx (${((Date.now() - listStart) / 1000).toFixed(0)} s from the first)`);
  const feedbackIds = await feedback;
  await eventually(
    async () => expect(await exactlyOnceProblems(db.db(), [...entryIds, ...earlyIds])).toEqual([]),
    1_800_000,
  );
  report(
    `checked: every one of ${N + 10} listings has exactly one task per department and ` +
      `measure (${groups.length} each), one task_assigned message per task, one effective event`,
  );
  await eventually(async () => {
    expect(
      await db
        .db()
        .collection('feedback')
        .countDocuments({ _id: { $in: feedbackIds as never[] } }),
    ).toBe(10);
  }, 120_000);
  report('checked: all 10 feedback reports answered 201 during the faults are stored');

  await eventually(async () => expect((await fetch(`${urls[1]}/readyz`)).status).toBe(200), 120_000);
  for (let i = 0; i < N; i += Math.max(1, Math.floor(N / 50))) {
    const c = await call(urls[1], 'POST', '/api/v1/departments/me/checks', tax, {
      subjectId: subjects[i],
      matter: MATTER,
    });
    expect(c.status).toBe(200);
    expect(c.body.result).toBe('hit');
  }
  report('checked: API 2 ready again; checks of 50 subjects spread over the listings: all hit');
  const fresh = uscc(tag, 9999);
  expect(
    (await call(urls[1], 'POST', '/api/v1/departments/me/checks', tax, { subjectId: fresh, matter: MATTER })).body
      .result,
  ).toBe('clear');
  await callUntilOk(survivor, 'POST', '/api/v1/office/listings', office, listingFor(fresh, `集群故障后〔${tag}〕号`));
  await eventually(
    async () =>
      expect(await db.db().collection('tasks').countDocuments({ subjectId: fresh, departmentId: 'tax' })).toBe(1),
    120_000,
  );
  const seen = Date.now();
  await eventually(async () => {
    const c = await call(urls[1], 'POST', '/api/v1/departments/me/checks', tax, { subjectId: fresh, matter: MATTER });
    expect(c.body.result).toBe('hit');
  }, 5_000);
  const ms = Date.now() - seen;
  expect(ms).toBeLessThan(1000);
  report(`checked: a listing made after the faults: its task in MongoDB → API 2's check hits ${ms} ms later (< 1 s)`);
});
