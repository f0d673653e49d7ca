/**
 * Acceptance of issue 13's second half on real servers (small catalogue: alpha, beta, gamma): departments
 * draft editions, the office publishes them with re-matching, and a running listing gains a task for a
 * new measure (inbox and check, with the edition it came from) while its earlier feedback remains; a
 * retired measure is lifted; a new listing matches the new editions; a measure suspended city-wide as
 * over-reaching (不当联结) is lifted from every running listing.
 */
import { insertSuspension } from '../../db/measure-editions';
import { suspensionKeys } from '../../domain/measure-edition';
import { listingBody, today } from '../support/fixtures';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { eventually } from '../support/eventually';
import { SMALL_MEASURES } from '../support/workflow-env';

jest.setTimeout(120_000);

let stack: ApiStack;
let office: string;
const dept: Record<string, string> = {};
const USCC = '91330100716105852F';

const measure = (id: string, area: string, over: Record<string, unknown> = {}) => ({
  id,
  kind: 'sanction',
  title: `测试措施 ${id}`,
  mandatory: true,
  categories: ['major_tax_violation'],
  severities: ['serious'],
  subjectTypes: ['enterprise'],
  areas: [area],
  legalBasis: [{ document: '国发〔2016〕33号' }],
  ...over,
});

/** Drafts, submits, approves and publishes (today, re-matching) an edition with `edit` applied. */
async function publishEdition(departmentId: string, edit: (ms: Array<{ id: string }>) => unknown[]) {
  const token = dept[departmentId];
  const draft = await stack.call('POST', '/api/v1/departments/me/editions', { token });
  expect(draft.status).toBe(201);
  const n = draft.body.number;
  const file = (await stack.call('GET', `/api/v1/departments/me/editions/${n}/export`, { token })).body;
  const saved = await stack.call('PUT', `/api/v1/departments/me/editions/${n}`, {
    token,
    body: { ...file, edition: '2026年修订', measures: edit(file.measures) },
  });
  expect(saved.status).toBe(200);
  expect((await stack.call('POST', `/api/v1/departments/me/editions/${n}/submission`, { token })).status).toBe(200);
  const base = `/api/v1/office/editions/${departmentId}/${n}`;
  expect((await stack.call('POST', `${base}/review`, { token: office, body: { decision: 'approve' } })).status).toBe(
    200,
  );
  const pub = await stack.call('POST', `${base}/publication`, {
    token: office,
    body: { effectiveFrom: today, runningListings: 'rematch' },
  });
  expect(pub.status).toBe(200);
  expect(pub.body.rematchWorkflowId).toBe(`rematch-edition-${departmentId}-${n}`);
  return pub.body.rematchWorkflowId as string;
}

const tasksOf = async (entryId: string) =>
  (await stack.call('GET', `/api/v1/office/listings/${entryId}/tasks`, { token: office })).body as Array<{
    departmentId: string;
    status: string;
    feedbackCount: number;
    measures: Array<{ id: string; edition?: { id: string } }>;
    edition?: { id: string };
  }>;

async function listSubject(uscc: string) {
  const created = await stack.call('POST', '/api/v1/office/listings', {
    token: office,
    body: listingBody({ subject: { type: 'enterprise', uscc, name: '被核查企业有限公司' } }),
  });
  expect(created.status).toBe(201);
  const entryId = created.body.entryId as string;
  await eventually(async () => expect((await tasksOf(entryId)).length).toBeGreaterThan(0), 30_000);
  return entryId;
}

beforeAll(async () => {
  stack = await startApiStack('rematch', SMALL_MEASURES);
  office = await stack.token({ sub: 'o', name: '信用办', role: 'office' });
  for (const d of ['alpha', 'beta', 'gamma'])
    dept[d] = await stack.token({ sub: d, name: `${d}经办人`, role: 'department', departmentId: d });
});
afterAll(() => stack.stop());

describe('publication with re-matching', () => {
  let entryId: string;

  it('a listing under edition 1 is re-matched once by edition 2, keeps its feedback, loses a suspension', async () => {
    // fans a listing out under edition 1 and the check names the edition
    {
      entryId = await listSubject(USCC);
      const tasks = await tasksOf(entryId);
      expect(tasks.map((t) => `${t.departmentId} ${t.edition?.id}`)).toEqual(['alpha alpha:1', 'beta beta:1']);
      const check = await stack.call('POST', '/api/v1/departments/me/checks', {
        token: dept.alpha,
        body: { subjectId: USCC, matter: 'government_procurement.bid_award' },
      });
      expect(check.body.measures).toEqual([
        expect.objectContaining({
          measureId: 'alpha.no-procurement',
          edition: { id: 'alpha:1', number: 1, label: 'test' },
        }),
      ]);
      const taskId = `${entryId}:alpha`;
      expect(
        (
          await stack.call('POST', `/api/v1/departments/me/tasks/${taskId}/acknowledgement`, {
            token: dept.alpha,
            body: {},
          })
        ).status,
      ).toBe(200);
      const fb = await stack.call('POST', `/api/v1/departments/me/tasks/${taskId}/feedback`, {
        token: dept.alpha,
        body: {
          matter: 'government_procurement.bid_award',
          measureIds: ['alpha.no-procurement'],
          appliedOn: today,
          outcome: '已拒绝其投标',
        },
      });
      expect(fb.status).toBe(201);
    }

    // adds a task measure, a new department’s task and lifts a retired one, keeping the feedback
    {
      const ids = [
        await publishEdition('alpha', (ms) => [...ms, measure('alpha.no-honours', 'awards_ratings')]),
        await publishEdition('gamma', (ms) => [...ms, measure('gamma.no-land', 'land_use_rights')]),
        await publishEdition('beta', (ms) => ms.filter((m) => m.id !== 'beta.strict-review')),
      ];
      for (const id of ids) await stack.env.client.workflow.getHandle(id).result();

      const tasks = await tasksOf(entryId);
      const by = Object.fromEntries(tasks.map((t) => [t.departmentId, t]));
      expect(tasks.map((t) => `${t.departmentId} ${t.status}`)).toEqual([
        'alpha acknowledged',
        'beta lifted',
        'gamma pending',
      ]);
      expect(by.alpha.measures.map((m) => `${m.id} ${m.edition?.id}`)).toEqual([
        'alpha.no-procurement alpha:2',
        'alpha.no-subsidy alpha:2',
        'alpha.no-honours alpha:2',
      ]);
      expect(by.alpha.feedbackCount).toBe(1);
      const feedback = await stack.call('GET', `/api/v1/departments/me/tasks/${entryId}:alpha/feedback`, {
        token: dept.alpha,
      });
      expect(feedback.body.map((f: { outcome: string }) => f.outcome)).toEqual(['已拒绝其投标']);
      expect(by.gamma.measures.map((m) => m.id)).toEqual(['gamma.no-land']);

      // the department inboxes and the check follow
      const inbox = await stack.call('GET', '/api/v1/departments/me/inbox?status=pending', { token: dept.gamma });
      expect(inbox.body.items.map((t: { taskId: string }) => t.taskId)).toEqual([`${entryId}:gamma`]);
      await eventually(async () => {
        const check = await stack.call('POST', '/api/v1/departments/me/checks', {
          token: dept.alpha,
          body: { subjectId: USCC, matter: 'awards_ratings' },
        });
        expect(check.body.measures).toEqual([
          expect.objectContaining({
            measureId: 'alpha.no-honours',
            edition: { id: 'alpha:2', number: 2, label: '2026年修订' },
          }),
        ]);
      });
      // every affected department was told
      const outbox = async (d: string) =>
        (await stack.call('GET', '/api/v1/departments/me/outbox', { token: dept[d] })).body;
      const types = async (d: string) =>
        ((await outbox(d)) as Array<{ entryId: string; type: string }>)
          .filter((m) => m.entryId === entryId)
          .map((m) => m.type);
      expect(await types('alpha')).toEqual(['task_assigned', 'measures_changed']);
      expect(await types('beta')).toEqual(['task_assigned', 'lift']);
      expect(await types('gamma')).toEqual(['task_assigned']);
      const events = (await stack.call('GET', `/api/v1/office/listings/${entryId}/events`, { token: office })).body;
      expect(events.filter((e: { type: string }) => e.type === 'measures_rematched')).toHaveLength(3);
    }

    // re-matches each listing once, and a repeated publication changes nothing
    {
      const r = await stack.env.client.workflow.getHandle('rematch-edition-alpha-2').result();
      expect(r).toEqual({ changed: 1, unchanged: 0, already: 0, skipped: 0 });
      const again = await stack.call('POST', '/api/v1/office/editions/alpha/2/publication', {
        token: office,
        body: { effectiveFrom: today, runningListings: 'rematch' },
      });
      expect(again.status).toBe(200);
      expect((await tasksOf(entryId)).find((t) => t.departmentId === 'alpha')!.measures).toHaveLength(3);
    }

    // matches a new listing against the editions in force
    {
      const second = await listSubject('9144030071526726XG');
      const tasks = await tasksOf(second);
      expect(tasks.map((t) => `${t.departmentId} ${t.edition?.id}`)).toEqual(['alpha alpha:2', 'gamma gamma:2']);
    }

    // suspends a measure city-wide as over-reaching, lifting it from every running listing
    {
      const unknown = await stack.call('POST', '/api/v1/office/measure-suspensions', {
        token: office,
        body: { measureId: 'alpha.nothing', reason: '与失信行为无关，属不当联结' },
      });
      expect(unknown.status).toBe(422);
      expect(unknown.body.error.message).toMatch(/^字段 body\.measureId 有误/);
      const r = await stack.call('POST', '/api/v1/office/measure-suspensions', {
        token: office,
        body: { measureId: 'alpha.no-honours', reason: '与失信行为无关，属不当联结' },
      });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ measureId: 'alpha.no-honours', departmentId: 'alpha', by: '信用办' });
      const counts = await stack.env.client.workflow.getHandle(r.body.rematchWorkflowId).result();
      expect(counts).toEqual({ changed: 2, unchanged: 0, already: 0, skipped: 0 });
      const alphaMeasures = async (e: string) =>
        (await tasksOf(e)).find((t) => t.departmentId === 'alpha')!.measures.map((m) => m.id);
      expect(await alphaMeasures(entryId)).toEqual(['alpha.no-procurement', 'alpha.no-subsidy']);
      await eventually(async () => {
        const check = await stack.call('POST', '/api/v1/departments/me/checks', {
          token: dept.alpha,
          body: { subjectId: USCC, matter: 'awards_ratings' },
        });
        expect(check.body.measures).toEqual([]);
      });
      const twice = await stack.call('POST', '/api/v1/office/measure-suspensions', {
        token: office,
        body: { measureId: 'alpha.no-honours', reason: '与失信行为无关，属不当联结' },
      });
      expect(twice.status).toBe(409);
      const list = await stack.call('GET', '/api/v1/office/measure-suspensions', { token: office });
      expect(list.body.map((s: { measureId: string }) => s.measureId)).toEqual(['alpha.no-honours']);
    }

    // a suspension stored by a request that died before starting its run: the office's repeat starts it
    {
      const measureId = 'alpha.no-subsidy';
      const stored = await insertSuspension(() => ({
        _id: measureId,
        measureId,
        departmentId: 'alpha',
        reason: '与失信行为无关，属不当联结',
        by: { sub: 'office-dev', name: '信用办' },
        at: new Date().toISOString(),
        rematchWorkflowId: suspensionKeys(measureId, 1).workflowId,
      }));
      expect(stored).not.toBe(false);
      const again = await stack.call('POST', '/api/v1/office/measure-suspensions', {
        token: office,
        body: { measureId, reason: '与失信行为无关，属不当联结' },
      });
      expect(again.status).toBe(409);
      const run = stack.env.client.workflow.getHandle(suspensionKeys(measureId, 1).workflowId);
      expect(await run.result()).toEqual({ changed: 2, unchanged: 0, already: 0, skipped: 0 });
      const alphaMeasures = async (e: string) =>
        (await tasksOf(e)).find((t) => t.departmentId === 'alpha')?.measures.map((m) => m.id) ?? [];
      expect(await alphaMeasures(entryId)).toEqual(['alpha.no-procurement']);
    }
  }, 300_000);
});
