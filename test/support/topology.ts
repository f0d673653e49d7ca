/**
 * Helpers shared by the topology tests (replica-set failover in `npm test`, the real-cluster test of
 * `npm run test:cluster`): distinct valid subjects, the HTTP calls a department system makes (with
 * retries where a system would retry), and the exactly-once invariant of the fan-out.
 */
import type { Db } from 'mongodb';
import { usccCheckChar } from '../../domain/identifiers';
import { daysFromToday, listingBody } from './fixtures';
import { expectedGroups } from './expected-matches';

export { expectedGroups };

/** A valid USCC per (tag, i): 91 + 110000 + 9 characters from the tag and the number. */
export function uscc(tag: number, i: number): string {
  const first17 = `91110000${String(tag).padStart(3, '0')}${String(i).padStart(6, '0')}`;
  return first17 + usccCheckChar(first17);
}

export function listingFor(subject: string, decision: string) {
  return listingBody({
    subject: { type: 'enterprise', uscc: subject, name: `拓扑测试企业${subject.slice(-6)}` },
    decisionDocument: { number: decision, date: daysFromToday(-30) },
  });
}

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** Every answer through `call` in this test file, in order: its status and the request it answered. */
export const answersSeen: Array<{ status: number; request: string }> = [];

export async function call(base: string, method: string, url: string, token: string, body?: unknown): Promise<Answer> {
  const res = await fetch(base + url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  answersSeen.push({ status: res.status, request: `${method} ${base}${url}` });
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/**
 * As a department system would: retry until a 2xx (network errors and 5xx while a server fails over).
 * A 4xx is an answer, not a failure to retry, and fails the call.
 */
export async function callUntilOk(
  bases: string[],
  method: string,
  url: string,
  token: string,
  body?: unknown,
  ms = 120_000,
): Promise<Answer> {
  const deadline = Date.now() + ms;
  let last = '';
  for (let i = 0; Date.now() < deadline; i++) {
    try {
      const a = await call(bases[i % bases.length], method, url, token, body);
      if (a.status < 300) return a;
      if (a.status < 500 && a.status !== 429)
        throw new Error(`${method} ${url}: ${a.status} ${JSON.stringify(a.body)}`);
      last = `${a.status} ${JSON.stringify(a.body)}`;
    } catch (e) {
      if ((e as Error).message.startsWith(`${method} ${url}:`)) throw e;
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${method} ${url}: no 2xx within ${ms} ms; last: ${last}`);
}

/**
 * Every entry has exactly one task per matched department with exactly its measures, one
 * task-assigned message each, and one "effective" event: none lost, none doubled.
 */
export async function exactlyOnceProblems(db: Db, entryIds: string[], measuresDir?: string): Promise<string[]> {
  const groups = expectedGroups(measuresDir);
  const expected = groups.map((g) => `${g.departmentId}:${g.measures.map((m) => m.id).join(',')}`).sort();
  const problems: string[] = [];
  const tasks = await db
    .collection('tasks')
    .find({ entryId: { $in: entryIds } }, { projection: { entryId: 1, departmentId: 1, measures: 1 } })
    .toArray();
  const byEntry = new Map<string, string[]>();
  for (const t of tasks) {
    const key = `${t.departmentId}:${(t.measures as Array<{ id: string }>).map((m) => m.id).join(',')}`;
    byEntry.set(t.entryId as string, [...(byEntry.get(t.entryId as string) ?? []), key]);
  }
  for (const id of entryIds) {
    const got = (byEntry.get(id) ?? []).sort();
    if (JSON.stringify(got) !== JSON.stringify(expected)) problems.push(`${id}: tasks ${JSON.stringify(got)}`);
  }
  const assigned = await db
    .collection('outbox')
    .aggregate([
      { $match: { entryId: { $in: entryIds }, type: 'task_assigned' } },
      { $group: { _id: '$entryId', n: { $sum: 1 } } },
    ])
    .toArray();
  for (const a of assigned) if (a.n !== groups.length) problems.push(`${a._id}: ${a.n} task_assigned messages`);
  if (assigned.length !== entryIds.length)
    problems.push(`${entryIds.length - assigned.length} entries without messages`);
  const effective = await db
    .collection('listing_events')
    .aggregate([
      { $match: { entryId: { $in: entryIds }, type: 'effective' } },
      { $group: { _id: '$entryId', n: { $sum: 1 } } },
    ])
    .toArray();
  for (const e of effective) if (e.n !== 1) problems.push(`${e._id}: ${e.n} effective events`);
  if (effective.length !== entryIds.length)
    problems.push(`${entryIds.length - effective.length} entries not effective`);
  return problems;
}
