/**
 * Read-path benchmark: a city's read model (bench/read-model.ts, written in bulk as the projections write
 * it, indexes built afterwards) on a fresh mongod, then every read path of issue 16 timed through the
 * services the routes call (answer serialised to JSON as the route would send it), each with the plan
 * MongoDB chose for its main query (winning plan stages, keys and documents examined).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import type { Document } from 'mongodb';
import { computeDashboard } from '../api/services/dashboard-service';
import { INBOX_ORDER, LISTING_ORDER, ListingService, OVERDUE_ORDER } from '../api/services/listing-service';
import { computeSupervision } from '../api/services/supervision-service';
import { seedCatalogue } from '../db/catalogue-seed';
import {
  ACK_OVERDUE_DEPT_INDEX,
  LISTING_CATEGORY_INDEX,
  overdueByDepartment,
  TASK_STATUS_INDEX,
  tasksByStatus,
} from '../db/dashboard-queries';
import { ALL_MODELS, connectMongo, ListingModel, TaskModel } from '../db/models';
import { afterCursor, explainPage, type SortKey } from '../db/paging';
import { OVERDUE_NOW } from '../db/task-filters';
import { encodeCursor } from '../domain/pagination';
import { ACK_OVERDUE_NOW } from '../domain/overdue';
import { toCsv } from '../domain/supervision';
import { startLocalMongo } from '../infra/mongod';
import { freePort } from '../infra/process';
import { loadCatalogue } from '../measures/catalogue';
import { matchEntry } from '../measures/matching';
import { seedCity } from './read-model';
import { benchUscc } from './subjects';
import { LiveTaskIndex } from '../db/live-task-index';
import { SNAPSHOT_CHUNKS } from '../db/live-index-snapshot';
import { departmentCounts } from '../db/supervision-queries';
import { buildRollups, TASK_COUNT_GROUP } from '../db/supervision-rollups';

export interface ReadRow {
  path: string;
  ms: number;
  bytes: number;
  plan: string;
  /** 1-minute load average right after the figure was measured */
  load: number;
}
export interface ReadsResult {
  listings: number;
  tasks: number;
  seedSeconds: number;
  indexSeconds: number;
  rollupSeconds: number;
  rollupBuckets: number;
  rows: ReadRow[];
  stalls: string[];
  /** fresh from the snapshot (`seconds`) and from the tasks; the snapshot's writing and size */
  liveIndex: {
    tasks: number;
    seconds: number;
    fullSeconds: number;
    snapshotSeconds: number;
    snapshotMiB: number;
    chunks: number;
    rssMiB: number;
  };
}

const TARGET_MS = 200;
const LIMIT = 50;

/** The winning plan as its stages, outermost first, with what the execution examined. */
function planOf(explain: Document): string {
  const qp = explain.queryPlanner ?? explain.stages?.[0]?.$cursor?.queryPlanner ?? explain.command?.queryPlanner;
  const stats = explain.executionStats ?? explain.stages?.[0]?.$cursor?.executionStats;
  const stages: string[] = [];
  const walk = (p: Document | undefined) => {
    if (!p) return;
    const name = p.stage === 'IXSCAN' || p.stage === 'COUNT_SCAN' ? `${p.stage} ${p.indexName}` : p.stage;
    stages.push(name);
    if (p.inputStage) walk(p.inputStage);
    for (const s of p.inputStages ?? []) walk(s);
    if (p.queryPlan) walk(p.queryPlan);
  };
  walk(qp?.winningPlan);
  const examined = stats ? `; keys ${stats.totalKeysExamined}, docs ${stats.totalDocsExamined}` : '';
  return `${stages.join(' ← ')}${examined}`;
}

const db = () => mongoose.connection.db!;
const explainAggregate = (coll: string, pipeline: Document[], hint: Document) =>
  db().command({ explain: { aggregate: coll, pipeline, hint, cursor: {} }, verbosity: 'executionStats' });
const explainCount = (coll: string, query: Document, hint: Document) =>
  db().command({ explain: { count: coll, query, hint }, verbosity: 'executionStats' });
const deep = (filter: Document, sort: SortKey[], doc: Document) => {
  const values = sort.map((k) => k.field.split('.').reduce<Document | undefined>((v, f) => v?.[f], doc) ?? null);
  const after = afterCursor(sort, values as never);
  return {
    filter: Object.keys(filter).length ? { $and: [filter, after] } : after,
    cursor: encodeCursor(values as never),
  };
};

/** The median of `runs` timings of `fn` (after one warm-up), and the size of its answer as JSON. */
async function timed(fn: () => Promise<unknown>, runs = 5): Promise<{ ms: number; bytes: number }> {
  await fn();
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const out = await fn();
    const text = typeof out === 'string' ? out : JSON.stringify(out);
    times.push(performance.now() - t0);
    bytes = Buffer.byteLength(text);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], bytes };
}

/** The document at position `n` of `filter` in `sort` order (where a deep page starts). */
async function nth(model: typeof ListingModel | typeof TaskModel, filter: Document, sort: SortKey[], n: number) {
  const spec = Object.fromEntries(sort.map((k) => [k.field, k.dir])) as Record<string, 1 | -1>;
  const docs = await model.collection.find(filter).sort(spec).skip(n).limit(1).toArray();
  return docs[0] ?? (await model.collection.find(filter).sort(spec).limit(1).toArray())[0];
}

export async function readsBench(listings: number, log: (s: string) => void): Promise<ReadsResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xinlian-reads-'));
  const mongo = await startLocalMongo({ dbPath: path.join(dir, 'mongo'), port: await freePort(), logDir: dir });
  try {
    // no index is maintained while seeding: they are built once afterwards, as the log says
    await mongoose.connect(mongo.uri.replace('/xinlian?', '/xinlian_reads?'), { autoIndex: false });
    await db().dropDatabase();
    const catalogue = loadCatalogue();
    await seedCatalogue(catalogue);
    const departments = matchEntry(catalogue, {
      listKind: 'black',
      category: 'major_tax_violation',
      severity: 'serious',
      subjectType: 'enterprise',
    }).map((g) => ({
      departmentId: g.departmentId,
      departmentName: g.departmentName,
      measures: g.measures.map(({ id, kind, title, mandatory, legalBasis }) => ({
        id,
        kind,
        title,
        mandatory,
        legalBasis,
      })),
    }));
    log(`  seeding ${listings.toLocaleString()} listings × ${departments.length} departments …`);
    let t0 = performance.now();
    let seeded = { listings: 0, tasks: 0 };
    const step = 10_000;
    for (let i = 0; i < listings; i += step) {
      const n = await seedCity(db(), departments, i, Math.min(listings, i + step));
      seeded = { listings: seeded.listings + n.listings, tasks: seeded.tasks + n.tasks };
    }
    const seedSeconds = (performance.now() - t0) / 1000;
    log(
      `  seeded ${seeded.listings.toLocaleString()} listings, ${seeded.tasks.toLocaleString()} tasks ` +
        `in ${seedSeconds.toFixed(1)} s; building indexes …`,
    );
    t0 = performance.now();
    await Promise.all(ALL_MODELS.map((m) => m.syncIndexes()));
    await connectMongo(mongo.uri.replace('/xinlian?', '/xinlian_reads?')); // as the API connects (no-op here)
    const indexSeconds = (performance.now() - t0) / 1000;
    log(`  indexes built in ${indexSeconds.toFixed(1)} s; building the supervision roll-ups …`);
    t0 = performance.now();
    const rolled = await buildRollups();
    const rollupSeconds = (performance.now() - t0) / 1000;
    log(`  ${rolled.buckets.toLocaleString()} roll-up buckets built in ${rollupSeconds.toFixed(1)} s`);

    const svc = new ListingService({} as never, 'unused');
    const rows: ReadRow[] = [];
    const add = async (p: string, fn: () => Promise<unknown>, explain: () => Promise<Document | string>) => {
      const t = await timed(fn);
      const e = await explain();
      const plan = typeof e === 'string' ? e : planOf(e);
      const load = os.loadavg()[0];
      rows.push({ path: p, ...t, plan, load });
      log(`  ${p}: ${t.ms.toFixed(1)} ms, ${(t.bytes / 1024).toFixed(0)} KiB, load ${load.toFixed(2)} — ${plan}`);
    };

    await add('GET /office/dashboard', computeDashboard, () =>
      explainCount('listings', { 'request.category': 'major_tax_violation', status: 'active' }, LISTING_CATEGORY_INDEX),
    );
    await add('  · its tasks by status (pending, counted; acknowledged by difference)', tasksByStatus, () =>
      explainCount('tasks', { overdue: { $in: [false, true] }, status: 'pending' }, TASK_STATUS_INDEX),
    );
    await add('  · its overdue departments', overdueByDepartment, () =>
      explainAggregate(
        'tasks',
        [
          { $match: ACK_OVERDUE_NOW },
          { $project: { _id: 0, departmentId: 1 } },
          { $group: { _id: '$departmentId', n: { $sum: 1 } } },
        ],
        ACK_OVERDUE_DEPT_INDEX,
      ),
    );

    const total = await ListingModel.estimatedDocumentCount();
    const deepListing = await nth(ListingModel, {}, LISTING_ORDER, total - LIMIT);
    const d1 = deep({}, LISTING_ORDER, deepListing);
    await add(
      'GET /office/listings (first page, with total)',
      () => svc.list({ limit: LIMIT }),
      () => explainPage(ListingModel, {}, LISTING_ORDER, LIMIT),
    );
    await add(
      `GET /office/listings (the page after item ${(total - LIMIT).toLocaleString()})`,
      () => svc.list({ limit: LIMIT, cursor: d1.cursor }),
      () => explainPage(ListingModel, d1.filter, LISTING_ORDER, LIMIT),
    );
    await add(
      'GET /office/listings?status=active (first page, with total)',
      () => svc.list({ status: 'active', limit: LIMIT }),
      () => explainPage(ListingModel, { status: 'active' }, LISTING_ORDER, LIMIT),
    );

    await add(
      'GET /office/tasks/overdue (first page, with total)',
      () => svc.overdueTasks({ limit: LIMIT }),
      () => explainPage(TaskModel, OVERDUE_NOW, OVERDUE_ORDER, LIMIT),
    );
    const overdueTotal = await TaskModel.countDocuments(OVERDUE_NOW);
    const deepOverdue = await nth(TaskModel, OVERDUE_NOW, OVERDUE_ORDER, Math.max(0, overdueTotal - LIMIT));
    const d2 = deep(OVERDUE_NOW, OVERDUE_ORDER, deepOverdue);
    await add(
      `GET /office/tasks/overdue (the page after item ${Math.max(0, overdueTotal - LIMIT).toLocaleString()})`,
      () => svc.overdueTasks({ limit: LIMIT, cursor: d2.cursor }),
      () => explainPage(TaskModel, d2.filter, OVERDUE_ORDER, LIMIT),
    );

    const inboxFilter = { departmentId: 'tax', status: 'pending' };
    await add(
      'GET /departments/me/inbox?status=pending (tax, first page, with total)',
      () => svc.inbox('tax', { status: 'pending', limit: LIMIT }),
      () => explainPage(TaskModel, inboxFilter, INBOX_ORDER, LIMIT),
    );
    const taxTotal = await TaskModel.countDocuments({ departmentId: 'tax' });
    const deepInbox = await nth(TaskModel, { departmentId: 'tax' }, INBOX_ORDER, Math.max(0, taxTotal - LIMIT));
    const d3 = deep({ departmentId: 'tax' }, INBOX_ORDER, deepInbox);
    await add(
      `GET /departments/me/inbox (tax, the page after item ${Math.max(0, taxTotal - LIMIT).toLocaleString()})`,
      () => svc.inbox('tax', { limit: LIMIT, cursor: d3.cursor }),
      () => explainPage(TaskModel, d3.filter, INBOX_ORDER, LIMIT),
    );

    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const monthStart = `${today.slice(0, 8)}01`;
    const daysAgo = (n: number) => new Date(Date.now() + 8 * 3600_000 - n * 86_400_000).toISOString().slice(0, 10);
    const quarterAgo = daysAgo(91);
    const yearAgo = daysAgo(365);
    const lo = (from: string) => new Date(`${from}T00:00:00+08:00`).toISOString();
    const explainDirect = (from: string) =>
      db().command({
        explain: {
          aggregate: 'tasks',
          pipeline: [
            { $match: { assignedAt: { $gte: lo(from) } } },
            { $group: { _id: '$departmentId', ...TASK_COUNT_GROUP } },
          ],
          cursor: {},
        },
        verbosity: 'executionStats',
      });
    // the roll-up answer's query: the buckets of the period, summed
    const explainRolled = async (from: string) =>
      `roll-ups: ${planOf(
        await db().command({
          explain: {
            aggregate: 'supervision_rollups',
            pipeline: [
              { $match: { day: { $gte: from, $lte: today } } },
              { $group: { _id: '$departmentId', n: { $sum: '$tasksReceived' } } },
            ],
            cursor: {},
          },
          verbosity: 'executionStats',
        }),
      )}`;
    for (const [label, from] of [
      ['this month', monthStart],
      ['a quarter', quarterAgo],
      ['a year', yearAgo],
    ] as const)
      await add(
        `GET /office/supervision (${label})`,
        () => computeSupervision(from, today),
        () => explainRolled(from),
      );
    await add(
      'GET /office/supervision?format=csv (a year)',
      async () => {
        const r = await computeSupervision(yearAgo, today);
        return toCsv([...r.departments, r.totals]);
      },
      () => explainRolled(yearAgo),
    );
    await add(
      '  · before: the supervision figures of a year from the tasks (today on main)',
      () => departmentCounts(yearAgo, today, new Date().toISOString(), { direct: true }),
      () => explainDirect(yearAgo),
    );
    // the check path while the heaviest read runs: the check's MongoDB lookup, timed in a loop alongside
    const checkWhile = async (label: string, read: () => Promise<unknown>) => {
      let done = false;
      const lat: number[] = [];
      const loop = (async () => {
        for (let i = 0; !done; i++) {
          const t = performance.now();
          await TaskModel.collection
            .find({
              subjectId: benchUscc((i * 7919) % listings),
              departmentId: 'tax',
              status: { $in: ['pending', 'acknowledged'] },
            })
            .toArray();
          lat.push(performance.now() - t);
        }
      })();
      const t = performance.now();
      await read();
      const readMs = performance.now() - t;
      done = true;
      await loop;
      lat.sort((a, b) => a - b);
      const q = (f: number) => lat[Math.min(lat.length - 1, Math.floor(lat.length * f))];
      const line =
        `check (MongoDB lookup) while ${label} (${readMs.toFixed(0)} ms) runs: ${lat.length} checks, ` +
        `p50 ${q(0.5).toFixed(1)} ms, p99 ${q(0.99).toFixed(1)} ms, max ${lat[lat.length - 1].toFixed(1)} ms, ` +
        `load ${os.loadavg()[0].toFixed(2)}`;
      log(`  ${line}`);
      return line;
    };
    const stalls = [
      await checkWhile('the supervision figures of a year from the tasks', () =>
        departmentCounts(yearAgo, today, new Date().toISOString(), { direct: true }),
      ),
      await checkWhile('the supervision figures of a year from the roll-ups', () => computeSupervision(yearAgo, today)),
    ];

    // the live task index of the first API process: nothing to start from but the tasks
    const fresh = async (index: LiveTaskIndex) => {
      while (!index.fresh()) await new Promise((r) => setTimeout(r, 20));
      return index;
    };
    t0 = performance.now();
    const first = await fresh(await new LiveTaskIndex(db()).start());
    const fullSeconds = (performance.now() - t0) / 1000;
    log(
      `  live task index from the tasks: ${first.size.toLocaleString()} live tasks, ` +
        `fresh after ${fullSeconds.toFixed(1)} s`,
    );
    t0 = performance.now();
    const meta = await first.snapshot();
    if (!meta) throw new Error('the live task index wrote no snapshot');
    const snapshotSeconds = (performance.now() - t0) / 1000;
    const snapshotMiB =
      (await db()
        .collection(SNAPSHOT_CHUNKS)
        .aggregate<{ b: number }>([{ $group: { _id: null, b: { $sum: { $strLenBytes: '$data' } } } }])
        .next())!.b /
      2 ** 20;
    log(`  snapshot written in ${snapshotSeconds.toFixed(1)} s (${meta.chunks} chunks, ${snapshotMiB.toFixed(0)} MiB)`);
    // the live task index of every later API process: the snapshot, then the change stream from its token
    t0 = performance.now();
    const index = await fresh(await new LiveTaskIndex(db()).start());
    const indexLoadSeconds = (performance.now() - t0) / 1000;
    if (typeof index.loadedFrom !== 'object')
      throw new Error('the second live task index did not start from the snapshot');
    log(
      `  live task index from the snapshot: ${index.size.toLocaleString()} live tasks, ` +
        `fresh after ${indexLoadSeconds.toFixed(1)} s`,
    );
    const rssMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
    await Promise.all([first.stop(), index.stop()]);
    return {
      listings: seeded.listings,
      tasks: seeded.tasks,
      seedSeconds,
      indexSeconds,
      rollupSeconds,
      rollupBuckets: rolled.buckets,
      rows,
      stalls,
      liveIndex: {
        tasks: index.size,
        seconds: indexLoadSeconds,
        fullSeconds,
        snapshotSeconds,
        snapshotMiB,
        chunks: meta.chunks,
        rssMiB,
      },
    };
  } finally {
    await mongoose.disconnect();
    await mongo.process.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The docs/benchmarks.md section of a run. */
export function readsSection(r: ReadsResult, measured: string): string {
  const over = r.rows.filter((x) => !x.path.startsWith('  ·') && x.ms >= TARGET_MS).map((x) => x.path);
  return [
    '## Read paths',
    '',
    `Measured by \`npm run bench -- --reads-only\` ${measured}.`,
    '',
    `Read model: ${r.listings.toLocaleString()} listings in force, ${r.tasks.toLocaleString()} tasks ` +
      '(bench/read-model.ts: as the projections write them, 14 departments each, over five years; 5% lifted, ' +
      '8% pending of which 3% past the deadline, 2% with feedback overdue), written in bulk in ' +
      `${r.seedSeconds.toFixed(0)} s, indexes built afterwards in ${r.indexSeconds.toFixed(0)} s. Each path is timed ` +
      'through the service its route calls, the answer serialised to JSON; median of 5 after a warm-up. ' +
      'Plan: the winning plan of its main query (outermost stage first) with the keys and documents examined.',
    '',
    '| read path | ms | answer KiB | load | plan |',
    '|---|---:|---:|---:|---|',
    ...r.rows.map(
      (x) =>
        `| ${x.path.replace(/^ {2}/, '')} | ${x.ms.toFixed(1)} | ${(x.bytes / 1024).toFixed(0)} | ` +
        `${x.load.toFixed(2)} | ${x.plan} |`,
    ),
    '',
    `Target (issue): every page, the dashboard and the supervision figures under ${TARGET_MS} ms, each on an index — ` +
      (over.length ? `not met for: ${over.join('; ')}.` : 'met.'),
    '',
    "The check path while a big read runs (the check's MongoDB lookup of a subject's live tasks, in a loop):",
    '',
    ...r.stalls.map((x) => `- ${x}`),
    '',
    `Live task index of a fresh API process (db/live-task-index.ts), ${r.liveIndex.tasks.toLocaleString()} live ` +
      `tasks: fresh after ${r.liveIndex.seconds.toFixed(1)} s from the newest snapshot (target: under 10 s). ` +
      `That is how every API process starts once one has run: the snapshot (db/live-index-snapshot.ts; ` +
      `${r.liveIndex.chunks} chunks, ${r.liveIndex.snapshotMiB.toFixed(0)} MiB of JSON, written in ` +
      `${r.liveIndex.snapshotSeconds.toFixed(1)} s by a fresh process, every XINLIAN_INDEX_SNAPSHOT_MINUTES) and ` +
      `the change stream from its resume token. The very first process, with no snapshot (or one whose token the ` +
      `oplog no longer holds), reads the tasks: fresh after ${r.liveIndex.fullSeconds.toFixed(1)} s in the same run. ` +
      `RSS of the benchmark process holding both indexes: ${r.liveIndex.rssMiB} MiB.`,
    '',
  ].join('\n');
}
