/**
 * `GET /measures` over HTTP on real servers (the small catalogue: alpha, beta, gamma): the lists in force
 * come from the edition store, so a published edition shows from its effective date (asked with `?on=`,
 * a date the test chooses) and not before, and a suspended measure is marked with its reason.
 */
import { startApiStack, type ApiStack } from '../support/api-stack';
import { eventually } from '../support/eventually';
import { daysFromToday, listingBody, today } from '../support/fixtures';
import { uscc } from '../support/import-files';
import { SMALL_MEASURES } from '../support/workflow-env';

let stack: ApiStack;
let office: string;
let beta: string;

beforeAll(async () => {
  stack = await startApiStack('lists-in-force', SMALL_MEASURES);
  office = await stack.token({ sub: 'o', name: '信用办', role: 'office' });
  beta = await stack.token({ sub: 'b', name: '乙局经办人', role: 'department', departmentId: 'beta' });
});
afterAll(() => stack.stop());

type List = {
  id: string;
  edition?: unknown;
  appliedBy: string[];
  measures: Array<{ id: string; suspended: boolean; suspension?: unknown }>;
};
const listsOn = async (on?: string) => {
  const r = await stack.call('GET', `/api/v1/measures${on ? `?on=${on}` : ''}`, { token: office });
  expect(r.status).toBe(200);
  return r.body as { onDate: string; departments: List[] };
};
const beta_ = (body: { departments: List[] }) => body.departments.find((d) => d.id === 'beta')!;

/** beta's edition 2: its first measure kept, a new one added, published from `effectiveFrom`. */
async function publishBeta2(effectiveFrom: string) {
  const draft = await stack.call('POST', '/api/v1/departments/me/editions', { token: beta });
  expect(draft.status).toBe(201);
  const file = (await stack.call('GET', '/api/v1/departments/me/editions/2/export', { token: beta })).body;
  const added = {
    ...file.measures[0],
    id: 'beta.no-honours',
    title: '限制参加评先评优',
    legalBasis: [{ document: '国发〔2016〕33号' }],
  };
  const saved = await stack.call('PUT', '/api/v1/departments/me/editions/2', {
    token: beta,
    body: { ...file, edition: '2027年版', measures: [file.measures[0], added] },
  });
  expect(saved.status).toBe(200);
  expect((await stack.call('POST', '/api/v1/departments/me/editions/2/submission', { token: beta })).status).toBe(200);
  const review = { token: office, body: { decision: 'approve' } };
  expect((await stack.call('POST', '/api/v1/office/editions/beta/2/review', review)).status).toBe(200);
  const published = await stack.call('POST', '/api/v1/office/editions/beta/2/publication', {
    token: office,
    body: { effectiveFrom, runningListings: 'keep' },
  });
  expect(published.status).toBe(200);
  return file.measures.map((m: { id: string }) => m.id) as string[];
}

describe('GET /measures: the lists in force', () => {
  it('answers every department’s list with its edition, effective date and organisation', async () => {
    const body = await listsOn();
    expect(body.onDate).toBe(today);
    expect(body.departments.map((d) => d.id)).toEqual(['alpha', 'beta', 'gamma']);
    expect(body.departments[0]).toEqual({
      id: 'alpha',
      name: '测试甲局',
      org: { id: 'cangzhou', name: '沧州市', level: 'city' },
      edition: { id: 'alpha:1', number: 1, label: 'test', effectiveFrom: '2000-01-01' },
      measures: [
        expect.objectContaining({ id: 'alpha.no-procurement', suspended: false }),
        expect.objectContaining({ id: 'alpha.no-subsidy', suspended: false }),
      ],
      appliedBy: [],
    });
    expect(body.departments[0].measures[0].suspension).toBeUndefined();
  });

  it('shows a published edition from its effective date, not before', async () => {
    const before = beta_(await listsOn()).measures.map((m) => m.id);
    const kept = await publishBeta2(daysFromToday(10));
    expect(beta_(await listsOn()).measures.map((m) => m.id)).toEqual(before);
    const eve = beta_(await listsOn(daysFromToday(9)));
    expect(eve.edition).toEqual({ id: 'beta:1', number: 1, label: 'test', effectiveFrom: '2000-01-01' });
    const day = await listsOn(daysFromToday(10));
    expect(day.onDate).toBe(daysFromToday(10));
    expect(beta_(day).edition).toEqual({
      id: 'beta:2',
      number: 2,
      label: '2027年版',
      effectiveFrom: daysFromToday(10),
    });
    expect(beta_(day).measures.map((m) => m.id)).toEqual([kept[0], 'beta.no-honours']);
    // the other departments are as they were
    expect(day.departments.find((d) => d.id === 'alpha')!.edition).toMatchObject({ id: 'alpha:1' });
  });

  it('marks a suspended measure with the reason, and keeps it in the list', async () => {
    const s = await stack.call('POST', '/api/v1/office/measure-suspensions', {
      token: office,
      body: { measureId: 'beta.green-channel', reason: '与失信行为无关，属不当联结' },
    });
    expect(s.status).toBe(201);
    const beta = beta_(await listsOn());
    expect(beta.measures.map((m) => [m.id, m.suspended])).toEqual([
      ['beta.strict-review', false],
      ['beta.green-channel', true],
    ]);
    expect(beta.measures[1].suspension).toEqual({ at: s.body.at, reason: '与失信行为无关，属不当联结' });
  });

  it('refuses a date that is not one, naming the field', async () => {
    const r = await stack.call('GET', '/api/v1/measures?on=2026-02-30', { token: office });
    expect(r.status).toBe(400);
    expect(r.body.error.details[0].field).toBe('query.on');
  });
});

describe('a county department’s own list', () => {
  type Node = { id: string; version: number; departments: unknown[] } & Record<string, unknown>;
  let county: string;

  beforeAll(async () => {
    const nodes = (await stack.call('GET', '/api/v1/organisations', { token: office })).body.nodes as Node[];
    const { id: _id, levelLabel: _l, updatedAt: _u, ...botou } = nodes.find((n) => n.id === 'botou')!;
    const dept = { id: 'botou-alpha', name: '泊头市测试甲局', measuresList: 'alpha' };
    const put = await stack.call('PUT', '/api/v1/office/organisations/botou', {
      token: office,
      body: { ...botou, departments: [...botou.departments, dept] },
    });
    expect(put.status).toBe(200);
    county = await stack.token({ sub: 'c', name: '县局经办人', role: 'department', departmentId: 'botou-alpha' });
  });

  it('starts its first draft from the city counterpart’s list in force, re-numbered under its own id', async () => {
    const lists = await listsOn();
    expect(lists.departments.find((d) => d.id === 'alpha')!.appliedBy).toEqual(['botou-alpha']);
    const r = await stack.call('POST', '/api/v1/departments/me/editions', { token: county });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      id: 'botou-alpha:1',
      departmentName: '泊头市测试甲局',
      copiedFrom: { id: 'alpha:1', number: 1, label: 'test' },
    });
    expect(r.body.basedOn).toBeUndefined();
    expect(r.body.measures.map((m: { id: string; title: string }) => `${m.id} ${m.title}`)).toEqual([
      'botou-alpha.no-procurement 限制参加政府采购活动',
      'botou-alpha.no-subsidy 限制申请财政性资金补助',
    ]);

    // it keeps one measure, publishes from today; then its own list is in force and applied in the county
    const file = (await stack.call('GET', '/api/v1/departments/me/editions/1/export', { token: county })).body;
    const body = { ...file, edition: '泊头2026', measures: [file.measures[0]] };
    expect((await stack.call('PUT', '/api/v1/departments/me/editions/1', { token: county, body })).status).toBe(200);
    const submitted = await stack.call('POST', '/api/v1/departments/me/editions/1/submission', { token: county });
    expect(submitted.status).toBe(200);
    const approve = { token: office, body: { decision: 'approve' } };
    expect((await stack.call('POST', '/api/v1/office/editions/botou-alpha/1/review', approve)).status).toBe(200);
    const published = await stack.call('POST', '/api/v1/office/editions/botou-alpha/1/publication', {
      token: office,
      body: { effectiveFrom: today, runningListings: 'keep' },
    });
    expect(published.status).toBe(200);

    const after = await listsOn();
    expect(after.departments.find((d) => d.id === 'alpha')!.appliedBy).toEqual([]);
    expect(after.departments.find((d) => d.id === 'botou-alpha')).toEqual({
      id: 'botou-alpha',
      name: '泊头市测试甲局',
      org: { id: 'botou', name: '泊头市', level: 'county' },
      edition: { id: 'botou-alpha:1', number: 1, label: '泊头2026', effectiveFrom: today },
      measures: [expect.objectContaining({ id: 'botou-alpha.no-procurement', suspended: false })],
      appliedBy: [],
    });

    const listed = await stack.call('POST', '/api/v1/office/listings', {
      token: office,
      body: listingBody({ region: 'botou', subject: { type: 'enterprise', uscc: uscc(130_001), name: '泊头企业' } }),
    });
    expect(listed.status).toBe(201);
    const tasksOf = async () =>
      (await stack.call('GET', `/api/v1/office/listings/${listed.body.entryId}/tasks`, { token: office }))
        .body as Array<{
        departmentId: string;
        measures: Array<{ id: string }>;
        edition?: { id: string };
      }>;
    await eventually(async () => expect((await tasksOf()).length).toBe(3), 30_000);
    const county_ = (await tasksOf()).find((t) => t.departmentId === 'botou-alpha')!;
    expect(county_.measures.map((m) => m.id)).toEqual(['botou-alpha.no-procurement']);
    expect(county_.edition?.id).toBe('botou-alpha:1');
  });
});
