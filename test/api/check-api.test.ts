/** 逢办必查 and 督查考核 over HTTP on real servers. */
import { findCheck } from '../../db/check-records';
import { supervisionWorkflow } from '../../workflows/supervision';
import { createApp } from '../../api/app';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { eventually } from '../support/eventually';
import { listingBody, today } from '../support/fixtures';
import { uscc } from '../support/topology';

let stack: ApiStack;
let office: string;
let tax: string;
let finance: string;
const LISTED = '91330100716105852F'; // listed once before the cases of 逢办必查, never removed
const CLEAN = '914403001922038216';
/** The tax bureau's measures for a serious major tax violation of an enterprise in tax incentives. */
const TAX_INCENTIVE_MEASURES = ['tax.restrict-tax-incentives'];

async function listAndWait(uscc: string) {
  const created = await stack.call('POST', '/api/v1/office/listings', {
    token: office,
    body: listingBody({ subject: { type: 'enterprise', uscc, name: '被核查企业有限公司' } }),
  });
  expect(created.status).toBe(201);
  await eventually(async () => {
    const r = await stack.call('GET', `/api/v1/office/listings/${created.body.entryId}`, { token: office });
    expect(r.body.taskCount).toBeGreaterThan(0);
  }, 30_000);
  return created.body.entryId as string;
}

const check = (token: string, subjectId: string, matter: string) =>
  stack.call('POST', '/api/v1/departments/me/checks', { token, body: { subjectId, matter } });

beforeAll(async () => {
  stack = await startApiStack('checks');
  office = await stack.token({ sub: 'o', name: '信用办', role: 'office' });
  tax = await stack.token({ sub: 't', name: '税务局经办人', role: 'department', departmentId: 'tax' });
  finance = await stack.token({ sub: 'f', name: '财政局经办人', role: 'department', departmentId: 'finance' });
});
afterAll(() => stack.stop());

describe('逢办必查', () => {
  beforeAll(() => listAndWait(LISTED));

  it('answers clear for a subject on no list, and records the check', async () => {
    const r = await check(tax, CLEAN, 'tax_incentive');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ result: 'clear', entries: [], measures: [], subjectId: CLEAN, departmentId: 'tax' });
    await stack.checkLog.flush();
    expect(await findCheck('tax', r.body.checkId)).toMatchObject({
      subjectId: CLEAN,
      result: 'clear',
      userName: '税务局经办人',
    });
  });

  it('shows a new listing at once, with the department’s measures for the matter and their legal basis', async () => {
    const subject = uscc(201, 1);
    const entryId = await listAndWait(subject);
    const r = await check(tax, subject, 'tax_incentive');
    expect(r.body.result).toBe('hit');
    expect(r.body.entries).toEqual([
      expect.objectContaining({ entryId, listKind: 'black', category: 'major_tax_violation', underObjection: false }),
    ]);
    expect(r.body.measures.map((m: { measureId: string }) => m.measureId).sort()).toEqual(TAX_INCENTIVE_MEASURES);
    expect(r.body.measures[0].legalBasis.length).toBeGreaterThan(0);
  });

  it('records per measure whether it was applied, once, with reasons for not applying', async () => {
    const hit = await check(tax, LISTED, 'tax_incentive');
    const checkId = hit.body.checkId as string;
    const measureIds = (hit.body.measures as Array<{ measureId: string }>).map((m) => m.measureId);
    expect(measureIds).toEqual(TAX_INCENTIVE_MEASURES);
    const noReason = await stack.call('POST', `/api/v1/departments/me/checks/${checkId}/decisions`, {
      token: tax,
      body: { decisions: measureIds.map((measureId) => ({ measureId, applied: false })) },
    });
    expect(noReason.status).toBe(422); // valid by the schema; the rule needs the check's measures
    expect(noReason.body.error.code).toBe('rule_violated');
    expect(noReason.body.error.message).toContain('须填写理由');
    const decisions = [{ measureId: measureIds[0], applied: true }];
    const other = await stack.call('POST', `/api/v1/departments/me/checks/${checkId}/decisions`, {
      token: finance,
      body: { decisions },
    });
    expect(other.status).toBe(404);
    const ok = await stack.call('POST', `/api/v1/departments/me/checks/${checkId}/decisions`, {
      token: tax,
      body: { decisions },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ decidedBy: '税务局经办人', decisions });
    const twice = await stack.call('POST', `/api/v1/departments/me/checks/${checkId}/decisions`, {
      token: tax,
      body: { decisions },
    });
    expect(twice.status).toBe(409);
    // the department's record of it: under its public id, with the decisions, no account id
    const history = await stack.call('GET', `/api/v1/departments/me/checks?subjectId=${LISTED}`, { token: tax });
    expect(history.status).toBe(200);
    const recorded = (history.body.items as Array<Record<string, unknown>>).find((c) => c.checkId === checkId);
    expect(recorded).toMatchObject({ subjectId: LISTED, result: 'hit', decisions, decidedBy: '税务局经办人' });
    expect(recorded).not.toHaveProperty('userId');
    expect(recorded).not.toHaveProperty('_id');
  });

  it('checks up to 1,000 subjects at once and refuses more', async () => {
    const r = await stack.call('POST', '/api/v1/departments/me/checks/batch', {
      token: tax,
      body: { matter: 'tax_incentive', subjectIds: [CLEAN, LISTED, '11010519491231002X'] },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ count: 3, hits: 1 });
    expect(r.body.results.find((x: { subjectId: string }) => x.subjectId === LISTED).result).toBe('hit');
    const tooMany = await stack.call('POST', '/api/v1/departments/me/checks/batch', {
      token: tax,
      body: { matter: 'tax_incentive', subjectIds: Array(1001).fill(CLEAN) },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toContain('1000');
    const bad = await check(tax, '91330100716105852X', 'tax_incentive');
    expect(bad.status).toBe(422); // the shape of a USCC, with a wrong check character
    expect(bad.body.error.code).toBe('rule_violated');
    expect(bad.body.error.details[0].field).toBe('body.subjectId');
  });

  it('answers alike whether the exact path takes the shortcut past the router or Express routes it', async () => {
    // a query string (the route reads none) sends the same request through Express's router
    type Case = { token?: string; body: string; type?: string; requestId?: string };
    const send = (suffix: string, c: Case) =>
      fetch(`${stack.base}/api/v1/departments/me/checks${suffix}`, {
        method: 'POST',
        headers: {
          ...(c.token ? { authorization: `Bearer ${c.token}` } : {}),
          'content-type': c.type ?? 'application/json',
          ...(c.requestId ? { 'x-request-id': c.requestId } : {}),
        },
        body: c.body,
      });
    const body = (subjectId: string, extra: object = {}) =>
      JSON.stringify({ subjectId, matter: 'tax_incentive', ...extra });
    const cases: Case[] = [
      { token: tax, body: body(LISTED), requestId: 'same-answer-1' }, // a hit
      { token: tax, body: body(CLEAN) }, // clear
      { body: body(CLEAN) }, // 401
      { token: office, body: body(CLEAN) }, // 403
      { token: tax, body: body('91330100716105852X') }, // 400: check character
      { token: tax, body: body(CLEAN, { extra: 1 }) }, // 400: strict body
      { token: tax, body: '{"subjectId":' }, // 400: not JSON
      { token: tax, body: 'subjectId=x', type: 'text/plain' }, // not parsed: fields missing
      { token: tax, body: body(CLEAN, { pad: 'x'.repeat(1_100_000) }) }, // 413
    ];
    const headers = (r: Response) => [...r.headers].filter(([k]) => k !== 'date' && k !== 'x-request-id');
    const comparable = (b: Record<string, unknown>) => ({
      ...b,
      checkId: typeof b.checkId,
      checkedAt: typeof b.checkedAt,
    });
    for (const c of cases) {
      const fast = await send('', c);
      const routed = await send('?via=router', c);
      expect([c.body.slice(0, 60), fast.status]).toEqual([c.body.slice(0, 60), routed.status]);
      expect(headers(fast)).toEqual(headers(routed));
      if (c.requestId)
        expect([fast.headers.get('x-request-id'), routed.headers.get('x-request-id')]).toEqual([
          c.requestId,
          c.requestId,
        ]);
      else expect(fast.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(comparable((await fast.json()) as Record<string, unknown>)).toEqual(
        comparable((await routed.json()) as Record<string, unknown>),
      );
    }
  });

  it('shows the removal within 1 s to every API process, from the live index or the database', async () => {
    const REMOVED = uscc(201, 2);
    const entryId = await listAndWait(REMOVED);
    const { LiveTaskIndex } = await import('../../db/live-task-index');
    const mongoose = (await import('mongoose')).default;
    const otherIndex = await new LiveTaskIndex(mongoose.connection.db!).start();
    const withIndex = createApp({
      client: stack.env.client,
      taskQueue: 'unused',
      catalogue: stack.catalogue,
      tokens: stack.tokens,
      checkLog: stack.checkLog,
      liveIndex: otherIndex,
    });
    const dbOnly = createApp({
      client: stack.env.client,
      taskQueue: 'unused',
      catalogue: stack.catalogue,
      tokens: stack.tokens,
      checkLog: stack.checkLog,
    });
    const servers = [withIndex.listen(0, '127.0.0.1'), dbOnly.listen(0, '127.0.0.1')];
    await Promise.all(servers.map((s) => new Promise((r) => s.once('listening', r))));
    const via = (i: number) =>
      fetch(`http://127.0.0.1:${(servers[i].address() as { port: number }).port}/api/v1/departments/me/checks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tax}`, 'content-type': 'application/json' },
        body: JSON.stringify({ subjectId: REMOVED, matter: 'tax_incentive' }),
      }).then((r) => r.json() as Promise<{ result: string }>);
    try {
      await eventually(async () => expect(otherIndex.fresh()).toBe(true), 5000);
      expect(otherIndex.lookup(REMOVED, 'tax')).toHaveLength(1);
      expect((await via(0)).result).toBe('hit');
      expect((await via(1)).result).toBe('hit');
      const removed = await stack.call('POST', `/api/v1/office/listings/${entryId}/removal`, {
        token: office,
        body: { reason: '信用修复完成' },
      });
      expect(removed.status).toBe(200);
      const t0 = Date.now();
      expect((await via(1)).result).toBe('clear'); // the database path: at once
      await eventually(async () => {
        expect((await check(tax, REMOVED, 'tax_incentive')).body.result).toBe('clear');
        expect((await via(0)).result).toBe('clear');
      }, 1000);
      expect(Date.now() - t0).toBeLessThan(1000);
      // a failed change stream: the index stops answering, reloads, and proves its freshness again
      (otherIndex as unknown as { stream: { emit(e: string, err: Error): void } }).stream.emit(
        'error',
        new Error('simulated stream failure'),
      );
      expect(otherIndex.fresh()).toBe(false);
      expect((await via(0)).result).toBe('clear'); // from the database meanwhile
      await eventually(async () => expect(otherIndex.fresh()).toBe(true), 5000);
      expect(otherIndex.lookup(REMOVED, 'tax')).toEqual([]);
      // an index that cannot prove its freshness never answers: checks fall back to the database
      await otherIndex.stop();
      expect(otherIndex.fresh()).toBe(false);
      expect(otherIndex.lookup(REMOVED, 'tax')).toBeUndefined();
      expect((await via(0)).result).toBe('clear');
    } finally {
      servers.forEach((s) => s.close());
      await otherIndex.stop();
    }
  });
});

describe('督查考核', () => {
  it('computes per-department figures for the period, exports CSV, and stores scheduled reports', async () => {
    type Row = { departmentId: string; tasksReceived: number; acknowledged: number; checks: number } & Record<
      string,
      number
    >;
    const figures = async () => {
      await stack.checkLog.flush(); // check records are written within 50 ms; make that now
      const r = await stack.call('GET', `/api/v1/office/supervision?from=${today}&to=${today}`, { token: office });
      expect(r.status).toBe(200);
      return r;
    };
    const row = (r: { body: { departments: Row[] } }, id: string) =>
      r.body.departments.find((d) => d.departmentId === id)!;
    const before = await figures();
    // today: one listing (a task each to tax and finance); three checks by tax: two hits, one of them decided
    const subject = uscc(201, 3);
    await listAndWait(subject);
    const hit = await check(tax, subject, 'tax_incentive');
    expect((await check(tax, CLEAN, 'tax_incentive')).body.result).toBe('clear');
    expect((await check(tax, subject, 'tax_incentive')).body.result).toBe('hit');
    const decided = await stack.call('POST', `/api/v1/departments/me/checks/${hit.body.checkId}/decisions`, {
      token: tax,
      body: { decisions: [{ measureId: TAX_INCENTIVE_MEASURES[0], applied: true }] },
    });
    expect(decided.status).toBe(200);
    const r = await figures();
    const delta = (id: string, k: string) => row(r, id)[k] - (row(before, id)?.[k] ?? 0);
    expect(
      ['tasksReceived', 'acknowledged', 'checks', 'checkHits', 'hitsWithDecision'].map((k) => delta('tax', k)),
    ).toEqual([1, 0, 3, 2, 1]);
    expect([delta('finance', 'tasksReceived'), delta('finance', 'checks')]).toEqual([1, 0]);
    const taxChecks = row(r, 'tax').checks;
    expect(r.body.totals.tasksReceived).toBe(
      r.body.departments.reduce((a: number, d: { tasksReceived: number }) => a + d.tasksReceived, 0),
    );
    // no case of this file gives feedback, and at most two in three hits are decided: both flagged
    const flags = r.body.flagged.find((f: { departmentId: string }) => f.departmentId === 'tax').flags.join();
    expect(flags).toContain('反馈率 0.0%');
    expect(flags).toContain('执行填报率');

    const csv = await fetch(`${stack.base}/api/v1/office/supervision?format=csv`, {
      headers: { authorization: `Bearer ${office}` },
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toContain('按时签收率');
    expect(text).toContain('全市合计');

    const mine = await stack.call('GET', '/api/v1/departments/me/supervision', { token: tax });
    expect(mine.body).toMatchObject({ departmentId: 'tax', tasksReceived: row(r, 'tax').tasksReceived });
    expect((await stack.call('GET', '/api/v1/office/supervision', { token: tax })).status).toBe(403);
    expect(
      (await stack.call('GET', '/api/v1/office/supervision?from=2026-12-01&to=2026-11-01', { token: office })).status,
    ).toBe(422);

    const run = await stack.env.client.workflow.execute(supervisionWorkflow, {
      taskQueue: stack.taskQueue,
      workflowId: `supervision-test-${Date.now()}`,
      args: [{ from: today, to: today }],
    });
    expect(run.id).toBe(`${today}_${today}`);
    const reports = await stack.call('GET', '/api/v1/office/supervision/reports', { token: office });
    expect(
      reports.body.items
        .find((x: { id: string }) => x.id === run.id)
        .departments.find((d: { departmentId: string }) => d.departmentId === 'tax').checks,
    ).toBe(taxChecks);
  });
});
