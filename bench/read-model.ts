/**
 * A city's read model as the listing workflow's projections write it (activities/projection.ts): listing
 * documents and one task document per matched department, deterministic by index, with the statuses
 * and escalation flags of listings that have run for years (most tasks acknowledged, some pending past
 * their deadline, some acknowledged with feedback overdue, a few lifted). Written in bulk with the driver
 * for the read-path benchmark; the paging API test uses the same documents at a small size.
 */
import type { Db } from 'mongodb';
import type { ListingDoc, TaskDoc } from '../db/models';
import { CATEGORIES, type Category } from '../domain/vocabulary';
import { benchUscc } from './subjects';

export interface Department {
  departmentId: string;
  departmentName: string;
  /** The measures the department applies to these listings (as the catalogue matches them). */
  measures?: TaskDoc['measures'];
}

/** The shares of task states in the seeded city (of all tasks). */
export const TASK_MIX = { lifted: 0.05, pendingOverdue: 0.03, pending: 0.05, feedbackOverdue: 0.02 };

const BLACK = (Object.keys(CATEGORIES) as Category[]).filter((c) => CATEGORIES[c].kind === 'black');
const RED = (Object.keys(CATEGORIES) as Category[]).filter((c) => CATEGORIES[c].kind === 'red');
const DAY = 86_400_000;
const YEARS = 5;

/** A small deterministic generator (mulberry32), so that two runs seed the same city. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
const civil = (ms: number) => iso(ms + 8 * 3600_000).slice(0, 10);
export const benchEntryId = (i: number) => `E${(0x100000 + i).toString(16).padStart(20, '0')}`;

/** Listing i (in force: notice or active) and its tasks, one per department, as the projection stores them. */
export function cityListing(
  i: number,
  departments: Department[],
  now = Date.now(),
): { listing: ListingDoc; tasks: TaskDoc[] } {
  const rnd = random(i + 1);
  const red = rnd() < 0.1;
  const category = (red ? RED : BLACK)[Math.floor(rnd() * (red ? RED.length : BLACK.length))];
  const startedMs = now - Math.floor(rnd() * YEARS * 365 * DAY) - DAY;
  const inNotice = rnd() < 0.02;
  const effectiveMs = inNotice ? now + 3 * DAY : startedMs + 7 * DAY;
  const expiresMs = now + Math.floor((1 + rnd() * 3) * 365 * DAY);
  const entryId = benchEntryId(i);
  const subjectId = benchUscc(i);
  const request = {
    subject: { type: 'enterprise' as const, uscc: subjectId, name: `基准测试企业${i}有限公司` },
    listKind: red ? ('red' as const) : ('black' as const),
    category,
    ...(red ? {} : { severity: 'serious' as const }),
    authority: '国家税务总局沧州市税务局',
    legalBasis: [{ document: '重大税收违法失信主体信息公布管理办法（国家税务总局令第54号）' }],
    decisionDocument: { number: `沧基准〔${new Date(startedMs).getUTCFullYear()}〕${i}号`, date: civil(startedMs) },
    reason: '基准测试数据',
    noticeServedOn: civil(startedMs),
    effectiveDate: civil(startedMs),
    validUntil: civil(expiresMs),
  };
  const listing: ListingDoc = {
    _id: entryId,
    entryId,
    request,
    subjectId,
    status: inNotice ? 'notice' : 'active',
    startedAt: iso(startedMs),
    noticeEndsAt: iso(startedMs + 7 * DAY),
    effectiveAt: iso(effectiveMs),
    expiresAt: iso(expiresMs),
    calendarCovered: true,
    taskCount: inNotice ? 0 : departments.length,
    rev: 3,
    eventSeq: 2 + departments.length,
    feedbackSeq: 0,
    runs: 1,
  };
  if (inNotice) return { listing, tasks: [] };
  const tasks = departments.map((d, k): TaskDoc => {
    const r = random(i * 64 + k + 7)();
    const assigned = effectiveMs + k * 1000;
    const ackDeadline = assigned + 5 * DAY;
    const base = {
      _id: `${entryId}:${d.departmentId}`,
      taskId: `${entryId}:${d.departmentId}`,
      entryId,
      subjectId,
      entry: {
        listKind: request.listKind,
        category,
        ...(red ? {} : { severity: 'serious' as const }),
        authority: request.authority,
        effectiveAt: listing.effectiveAt,
        expiresAt: listing.expiresAt,
      },
      departmentId: d.departmentId,
      departmentName: d.departmentName,
      measures: d.measures ?? [],
      assignedAt: iso(assigned),
      ackDeadline: iso(ackDeadline),
      remindAt: iso(ackDeadline - 2 * DAY),
      feedbackDue: iso(assigned + 30 * DAY),
      feedbackCount: 0,
      rev: 2,
    };
    const acked = { acknowledgedAt: iso(assigned + DAY), acknowledgedBy: '基准测试', ackOnTime: true };
    const m = TASK_MIX;
    if (r < m.lifted)
      return { ...base, ...acked, status: 'lifted', liftedAt: iso(now), overdue: false, feedbackOverdue: false };
    if (r < m.lifted + m.pendingOverdue)
      return { ...base, status: 'pending', escalatedAt: iso(ackDeadline), overdue: true, feedbackOverdue: false };
    if (r < m.lifted + m.pendingOverdue + m.pending)
      return { ...base, status: 'pending', ackDeadline: iso(now + 3 * DAY), overdue: false, feedbackOverdue: false };
    if (r < m.lifted + m.pendingOverdue + m.pending + m.feedbackOverdue)
      return { ...base, ...acked, status: 'acknowledged', overdue: false, feedbackOverdue: true };
    return {
      ...base,
      ...acked,
      status: 'acknowledged',
      overdue: false,
      feedbackOverdue: false,
      feedbackCount: 1,
      lastFeedbackAt: iso(assigned + 10 * DAY),
    };
  });
  return { listing, tasks };
}

/** Writes listings [from, to) and their tasks in bulk (unordered inserts of `batch` documents). */
export async function seedCity(
  db: Db,
  departments: Department[],
  from: number,
  to: number,
  batch = 10_000,
): Promise<{ listings: number; tasks: number }> {
  const now = Date.now();
  let listings: ListingDoc[] = [];
  let tasks: TaskDoc[] = [];
  let n = { listings: 0, tasks: 0 };
  // a few batches in flight at once: mongod inserts them on its own threads while the next is built
  const inFlight = new Set<Promise<unknown>>();
  const flush = async () => {
    const [l, t] = [listings, tasks];
    listings = [];
    tasks = [];
    n = { listings: n.listings + l.length, tasks: n.tasks + t.length };
    const p = Promise.all([
      l.length ? db.collection<ListingDoc>('listings').insertMany(l, { ordered: false }) : null,
      t.length ? db.collection<TaskDoc>('tasks').insertMany(t, { ordered: false }) : null,
    ]);
    inFlight.add(p);
    p.then(
      () => inFlight.delete(p),
      () => inFlight.delete(p), // the failure is thrown where the batch is awaited
    );
    if (inFlight.size >= 4) await Promise.race(inFlight);
  };
  for (let i = from; i < to; i++) {
    const c = cityListing(i, departments, now);
    listings.push(c.listing);
    tasks.push(...c.tasks);
    if (tasks.length >= batch) await flush();
  }
  await flush();
  await Promise.all(inFlight);
  return n;
}
