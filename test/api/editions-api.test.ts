/**
 * Measures list editions over HTTP on real servers (the small catalogue: alpha, beta, gamma): drafting,
 * every refusal with its field, review with comments per measure, publication with an effective date,
 * the difference of two editions, export, and the audit trail. Re-matching: test/api/rematch-api.test.ts.
 */
import mongoose from 'mongoose';
import { MeasuresFile } from '../../domain/measure';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { daysFromToday, today } from '../support/fixtures';
import { SMALL_MEASURES } from '../support/workflow-env';

let stack: ApiStack;
let office: string;
let alpha: string;
let beta: string;

const newMeasure = (over: Record<string, unknown> = {}) => ({
  id: 'alpha.no-honours',
  kind: 'sanction',
  title: '限制参加评先评优',
  mandatory: true,
  categories: ['major_tax_violation'],
  severities: ['serious'],
  subjectTypes: ['enterprise'],
  areas: ['awards_ratings'],
  legalBasis: [{ document: '国发〔2016〕33号', article: '第二十二条' }],
  ...over,
});

beforeAll(async () => {
  stack = await startApiStack('editions', SMALL_MEASURES);
  office = await stack.token({ sub: 'o', name: '信用办', role: 'office' });
  alpha = await stack.token({ sub: 'a', name: '甲局经办人', role: 'department', departmentId: 'alpha' });
  beta = await stack.token({ sub: 'b', name: '乙局经办人', role: 'department', departmentId: 'beta' });
});
afterAll(() => stack.stop());

const draftOf = async (number: number) =>
  (await stack.call('GET', `/api/v1/departments/me/editions/${number}`, { token: alpha })).body;
const save = (token: string, number: number, body: unknown) =>
  stack.call('PUT', `/api/v1/departments/me/editions/${number}`, { token, body });

type MeasuresFileBody = {
  department: { id: string; name: string };
  edition: string;
  measures: Array<Record<string, unknown>>;
};

/** Alpha's, beta's and gamma's editions as seeded (edition 1 each), whatever an earlier case drafted. */
const seedEditionsOnly = () =>
  mongoose.connection.db!.collection('measure_editions').deleteMany({ number: { $gt: 1 } });

describe('a department drafts an edition of its own list', () => {
  let file: MeasuresFileBody;
  let startedAt: string;
  beforeAll(async () => {
    await seedEditionsOnly();
    startedAt = new Date().toISOString();
  });

  it('edition 2 drafted, changed, submitted, returned, approved and published; a third overlaps', async () => {
    // starts from the seed: the files are edition 1, published, in force
    {
      const r = await stack.call('GET', '/api/v1/departments/me/editions', { token: alpha });
      expect(r.status).toBe(200);
      expect(r.body).toEqual([
        expect.objectContaining({
          id: 'alpha:1',
          number: 1,
          label: 'test',
          status: 'published',
          effectiveFrom: '2000-01-01',
        }),
      ]);
    }

    // creates a draft copying the edition in force; a second open draft is refused
    {
      const r = await stack.call('POST', '/api/v1/departments/me/editions', { token: alpha });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ id: 'alpha:2', number: 2, status: 'draft', basedOn: 1, statusLabel: '草稿' });
      expect(r.body.measures.map((m: { id: string }) => m.id)).toEqual(['alpha.no-procurement', 'alpha.no-subsidy']);
      const again = await stack.call('POST', '/api/v1/departments/me/editions', { token: alpha });
      expect(again.status).toBe(409);
      const exported = await stack.call('GET', '/api/v1/departments/me/editions/1/export', { token: alpha });
      expect(exported.status).toBe(200);
      file = MeasuresFile.parse(exported.body) as typeof file;
      expect(file.department).toEqual({ id: 'alpha', name: '测试甲局' });
    }

    // adds, changes and retires measures, and submits
    {
      const changed = { ...file.measures[0], title: '限制参加政府采购活动（三年内）' };
      const r = await save(alpha, 2, { ...file, edition: '2026年修订', measures: [changed, newMeasure()] });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ label: '2026年修订', status: 'draft' });
      const sub = await stack.call('POST', '/api/v1/departments/me/editions/2/submission', { token: alpha });
      expect(sub.status).toBe(200);
      expect(sub.body.status).toBe('submitted');
      expect((await save(alpha, 2, { ...file, measures: [newMeasure()] })).status).toBe(409);
    }

    const review = (body: unknown) =>
      stack.call('POST', '/api/v1/office/editions/alpha/2/review', { token: office, body });
    const publish = (number: number, body: unknown) =>
      stack.call('POST', `/api/v1/office/editions/alpha/${number}/publication`, { token: office, body });

    // lists the submitted editions and shows the differences from the edition in force
    {
      const r = await stack.call('GET', '/api/v1/office/editions?status=submitted', { token: office });
      expect(r.body.map((e: { id: string }) => e.id)).toEqual(['alpha:2']);
      const d = await stack.call('GET', '/api/v1/office/editions/alpha/diff?from=1&to=2', { token: office });
      expect(d.status).toBe(200);
      expect(d.body.added.map((m: { id: string }) => m.id)).toEqual(['alpha.no-honours']);
      expect(d.body.retired.map((m: { id: string }) => m.id)).toEqual(['alpha.no-subsidy']);
      expect(d.body.changed).toEqual([expect.objectContaining({ id: 'alpha.no-procurement', fields: ['title'] })]);
      expect(d.body.unchanged).toBe(0);
    }

    // returns it with a comment per measure; a comment on a measure it lacks is refused
    {
      const bad = await review({ decision: 'return', comments: [{ measureId: 'alpha.nothing', comment: '无此措施' }] });
      expect(bad.status).toBe(422);
      expect(bad.body.error.message).toMatch(/^字段 body\.comments\[0\]\.measureId 有误/);
      const r = await review({
        decision: 'return',
        comments: [{ measureId: 'alpha.no-honours', comment: '请补充法律依据的具体条款' }],
      });
      expect(r.status).toBe(200);
      expect(r.body.status).toBe('returned');
      const seen = await draftOf(2);
      expect(seen.reviews).toEqual([
        expect.objectContaining({
          decision: 'return',
          by: { sub: 'o', name: '信用办' },
          comments: [{ measureId: 'alpha.no-honours', comment: '请补充法律依据的具体条款' }],
        }),
      ]);
      // a returned edition cannot be published
      expect((await publish(2, { effectiveFrom: today, runningListings: 'keep' })).status).toBe(409);
    }

    // approves the resubmitted edition; publication refuses a past date or a bad choice, then publishes
    {
      const m = { ...newMeasure(), legalBasis: [{ document: '国发〔2016〕33号', article: '第（二十二）项' }] };
      const file = (await stack.call('GET', '/api/v1/departments/me/editions/2/export', { token: alpha })).body;
      expect((await save(alpha, 2, { ...file, measures: [file.measures[0], m] })).status).toBe(200);
      expect((await stack.call('POST', '/api/v1/departments/me/editions/2/submission', { token: alpha })).status).toBe(
        200,
      );
      expect((await review({ decision: 'approve' })).body.status).toBe('approved');

      const past = await publish(2, { effectiveFrom: daysFromToday(-1), runningListings: 'keep' });
      expect(past.status).toBe(422);
      expect(past.body.error.message).toMatch(/^字段 body\.effectiveFrom 有误：生效日期 .* 早于今天/);
      const bad = await publish(2, { effectiveFrom: today, runningListings: 'sometimes' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details[0].field).toBe('body.runningListings');
      expect((await draftOf(2)).status).toBe('approved'); // nothing half-published

      const r = await publish(2, { effectiveFrom: daysFromToday(10), runningListings: 'keep' });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ status: 'published', effectiveFrom: daysFromToday(10), runningListings: 'keep' });
      expect(r.body.rematchWorkflowId).toBeUndefined();
      // the same publication again answers the published edition; another date is a conflict
      expect((await publish(2, { effectiveFrom: daysFromToday(10), runningListings: 'keep' })).status).toBe(200);
      expect((await publish(2, { effectiveFrom: daysFromToday(11), runningListings: 'keep' })).status).toBe(409);
    }

    // refuses a third edition whose effective date overlaps the second
    {
      expect((await stack.call('POST', '/api/v1/departments/me/editions', { token: alpha })).status).toBe(201);
      const file = (await stack.call('GET', '/api/v1/departments/me/editions/3/export', { token: alpha })).body;
      expect(file.measures.map((m: { id: string }) => m.id)).toEqual(['alpha.no-procurement', 'alpha.no-honours']);
      expect((await stack.call('POST', '/api/v1/departments/me/editions/3/submission', { token: alpha })).status).toBe(
        200,
      );
      expect(
        (
          await stack.call('POST', '/api/v1/office/editions/alpha/3/review', {
            token: office,
            body: { decision: 'approve' },
          })
        ).status,
      ).toBe(200);
      const r = await publish(3, { effectiveFrom: daysFromToday(5), runningListings: 'keep' });
      expect(r.status).toBe(422);
      expect(r.body.error.message).toBe(
        `字段 body.effectiveFrom 有误：生效日期与第 2 版（自 ${daysFromToday(10)} 起施行）重叠：须晚于 ${daysFromToday(10)}`,
      );
      expect((await stack.call('GET', '/api/v1/office/editions/alpha/3', { token: office })).body.status).toBe(
        'approved',
      );
    }

    // keeps every edition and records each change in the audit trail
    {
      const all = await stack.call('GET', '/api/v1/office/editions?departmentId=alpha', { token: office });
      expect(all.body.map((e: { id: string; status: string }) => `${e.id} ${e.status}`)).toEqual([
        'alpha:3 approved',
        'alpha:2 published',
        'alpha:1 published',
      ]);
      const audit = await mongoose.connection
        .db!.collection('audit_log')
        .find({ 'target.kind': 'measure_edition', 'target.id': 'alpha:2', at: { $gte: startedAt } })
        .sort({ _id: 1 })
        .toArray();
      expect(audit.map((a) => a.action)).toEqual([
        'edition.draft',
        'edition.save',
        'edition.submit',
        'edition.review',
        'edition.save',
        'edition.submit',
        'edition.review',
        'edition.publish',
        'edition.publish',
      ]);
    }
  });
});

describe('refusals on a draft', () => {
  let file: MeasuresFileBody;
  // each case: alpha's open draft 2 copies edition 1, and nothing else was drafted
  beforeEach(async () => {
    await seedEditionsOnly();
    expect((await stack.call('POST', '/api/v1/departments/me/editions', { token: alpha })).status).toBe(201);
    file = (await stack.call('GET', '/api/v1/departments/me/editions/1/export', { token: alpha })).body;
  });

  it.each([
    ['no legal basis', (m: object) => ({ ...m, legalBasis: [] }), 400, 'body.measures[2].legalBasis'],
    [
      'a red-list category on a sanction',
      (m: object) => ({ ...m, categories: ['tax_a_level'] }),
      422,
      'body.measures[2].categories[0]',
    ],
    ['an unknown matter', (m: object) => ({ ...m, matters: ['no_such_area.x'] }), 400, 'body.measures[2].matters[0]'],
    [
      'a matter outside its areas',
      (m: object) => ({ ...m, matters: ['fiscal_subsidy.x'] }),
      422,
      'body.measures[2].matters[0]',
    ],
  ])('refuses a measure with %s, naming the field, and stores nothing', async (_what, spoil, status, field) => {
    const r = await save(alpha, 2, { ...file, edition: '第2版', measures: [...file.measures, spoil(newMeasure())] });
    expect(r.status).toBe(status);
    expect(r.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(r.body.error.message).toMatch(/^字段 body\.measures\[2\]/);
    expect((await draftOf(2)).measures).toHaveLength(2);
  });

  it('refuses an edition with no measures, and another department’s list (403)', async () => {
    const empty = await save(alpha, 2, { ...file, measures: [] });
    expect(empty.status).toBe(400);
    expect(empty.body.error.details[0]).toEqual({ field: 'body.measures', message: '至少需要 1 项' });
    const other = await save(alpha, 2, { department: { id: 'beta', name: '测试乙局' }, edition: 'x', measures: [] });
    expect(other.status).toBe(400); // the schema first: an empty list is refused before anything else
    const foreign = await save(alpha, 2, {
      department: { id: 'beta', name: '测试乙局' },
      edition: '第2版',
      measures: [{ ...newMeasure(), id: 'beta.no-honours' }],
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.message).toMatch(/^字段 body\.department\.id 有误：只能编辑本部门（alpha）/);
    // beta cannot even see alpha's draft
    expect((await stack.call('GET', '/api/v1/departments/me/editions/2', { token: beta })).status).toBe(404);
    expect((await draftOf(2)).measures).toHaveLength(2);
  });
});
