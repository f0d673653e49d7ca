/**
 * Lifting a measure's suspension (不当联结 no longer) over HTTP on real servers (the small catalogue):
 * the refusals with their fields and messages, running listings that still match regain the measure
 * through the re-matching run (each once), the audit trail, and a second suspension of the same measure
 * after it was lifted lifts it again (its own keys).
 */
import mongoose from 'mongoose';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { eventually } from '../support/eventually';
import { listingBody } from '../support/fixtures';
import { uscc } from '../support/import-files';
import { SMALL_MEASURES } from '../support/workflow-env';

let stack: ApiStack;
let office: string;
const MEASURE = 'alpha.no-subsidy';
const REASON = '与失信行为无关，属不当联结';

beforeAll(async () => {
  stack = await startApiStack('suspension-lift', SMALL_MEASURES);
  office = await stack.token({ sub: 'o', name: '信用办', role: 'office' });
});
afterAll(() => stack.stop());

const lift = (measureId: string, body: unknown) =>
  stack.call('POST', `/api/v1/office/measure-suspensions/${measureId}/lifting`, { token: office, body });
const suspend = () =>
  stack.call('POST', '/api/v1/office/measure-suspensions', {
    token: office,
    body: { measureId: MEASURE, reason: REASON },
  });
const alphaMeasures = async (entryId: string) => {
  const tasks = (await stack.call('GET', `/api/v1/office/listings/${entryId}/tasks`, { token: office })).body as Array<{
    departmentId: string;
    measures: Array<{ id: string }>;
  }>;
  return tasks.find((t) => t.departmentId === 'alpha')?.measures.map((m) => m.id);
};
const resultOf = (workflowId: string) => stack.env.client.workflow.getHandle(workflowId).result();

describe('lifting a suspension', () => {
  it('refuses a measure that is not suspended, a bad id and a missing reason, naming each', async () => {
    const notSuspended = await lift('alpha.no-procurement', { reason: '经复核不属于不当联结' });
    expect(notSuspended.status).toBe(409);
    expect(notSuspended.body.error.message).toBe('措施 alpha.no-procurement 未暂停实施，无需恢复');
    const badId = await lift('ALPHA', { reason: '经复核不属于不当联结' });
    expect(badId.status).toBe(400);
    expect(badId.body.error.details[0].field).toBe('params.measureId');
    const short = await lift(MEASURE, { reason: '复核' });
    expect(short.status).toBe(400);
    expect(short.body.error.details[0]).toMatchObject({ field: 'body.reason' });
    expect(short.body.error.details[0].message).toMatch(/恢复实施的理由/);
  });

  it('gives it back to every running listing matching it, once, audited; it may be suspended again', async () => {
    const entries: string[] = [];
    for (const i of [1, 2]) {
      const r = await stack.call('POST', '/api/v1/office/listings', {
        token: office,
        body: listingBody({ subject: { type: 'enterprise', uscc: uscc(131_000 + i), name: `恢复企业${i}有限公司` } }),
      });
      expect(r.status).toBe(201);
      entries.push(r.body.entryId);
    }
    for (const e of entries)
      await eventually(
        async () => expect(await alphaMeasures(e)).toEqual(['alpha.no-procurement', 'alpha.no-subsidy']),
        30_000,
      );

    const s = await suspend();
    expect(s.status).toBe(201);
    expect(s.body.rematchWorkflowId).toBe(`rematch-suspension-${MEASURE}`);
    expect(await resultOf(s.body.rematchWorkflowId)).toEqual({ changed: 2, unchanged: 0, already: 0, skipped: 0 });
    for (const e of entries) expect(await alphaMeasures(e)).toEqual(['alpha.no-procurement']);

    const r = await lift(MEASURE, { reason: '经复核与失信行为直接相关，恢复实施' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      measureId: MEASURE,
      reason: '经复核与失信行为直接相关，恢复实施',
      by: '信用办',
      at: expect.any(String),
      suspension: { reason: REASON, by: '信用办', at: s.body.at },
      rematchWorkflowId: `rematch-suspension-lifted-${MEASURE}-1`,
    });
    expect(await resultOf(r.body.rematchWorkflowId)).toEqual({ changed: 2, unchanged: 0, already: 0, skipped: 0 });
    for (const e of entries) {
      expect(await alphaMeasures(e)).toEqual(['alpha.no-procurement', 'alpha.no-subsidy']);
      const events = (await stack.call('GET', `/api/v1/office/listings/${e}/events`, { token: office })).body as Array<{
        type: string;
        detail?: { reason?: string };
      }>;
      const rematched = events.filter((x) => x.type === 'measures_rematched');
      expect(rematched.map((x) => x.detail?.reason)).toEqual(['measure_suspended', 'suspension_lifted']);
    }
    expect((await stack.call('GET', '/api/v1/office/measure-suspensions', { token: office })).body).toEqual([]);
    const again = await lift(MEASURE, { reason: '经复核与失信行为直接相关，恢复实施' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe(`措施 ${MEASURE} 未暂停实施，无需恢复`);

    const audit = await mongoose.connection
      .db!.collection('audit_log')
      .find({ 'target.kind': 'measure', 'target.id': MEASURE })
      .sort({ _id: 1 })
      .toArray();
    expect(audit.map((a) => a.action)).toEqual(['measure.suspend', 'measure.unsuspend']);

    // suspended a second time: a run of its own, which lifts it again from both listings
    const second = await suspend();
    expect(second.status).toBe(201);
    expect(second.body.rematchWorkflowId).toBe(`rematch-suspension-${MEASURE}-2`);
    expect(await resultOf(second.body.rematchWorkflowId)).toEqual({ changed: 2, unchanged: 0, already: 0, skipped: 0 });
    for (const e of entries) expect(await alphaMeasures(e)).toEqual(['alpha.no-procurement']);
  });
});
