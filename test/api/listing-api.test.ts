/** The office → department flow over HTTP on real servers (Temporal dev server, mongod). */
import { ListingModel, TaskModel } from '../../db/models';
import { eventually } from '../support/eventually';
import { CATALOGUE_TAX_ENTERPRISE } from '../support/expected-matches';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { daysFromToday, listingBody, today } from '../support/fixtures';

let stack: ApiStack;
let office: string;
let tax: string;
let finance: string;

const listing = listingBody;

beforeAll(async () => {
  stack = await startApiStack('api');
  office = await stack.token({ sub: 'o1', name: '信用办张科长', role: 'office' });
  tax = await stack.token({ sub: 't1', name: '税务局李四', role: 'department', departmentId: 'tax' });
  finance = await stack.token({ sub: 'f1', name: '财政局王五', role: 'department', departmentId: 'finance' });
});
afterAll(() => stack.stop());

describe('listing through the API', () => {
  it('lists an enterprise, one task per matched department, acknowledgement, feedback, lifted on removal', async () => {
    const created = await stack.call('POST', '/api/v1/office/listings', { token: office, body: listing() });
    expect(created.status).toBe(201);
    const { entryId } = created.body;

    // repeating the same request starts nothing new
    const again = await stack.call('POST', '/api/v1/office/listings', {
      token: office,
      body: { ...listing(), decisionDocument: created.body.listing.request.decisionDocument },
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, entryId });

    // the listing document is written last: once it is active, its tasks are all there
    await eventually(
      async () =>
        expect((await stack.call('GET', `/api/v1/office/listings/${entryId}`, { token: office })).body.status).toBe(
          'active',
        ),
      30_000,
    );
    const r = await stack.call('GET', `/api/v1/office/listings/${entryId}/tasks`, { token: office });
    expect(r.status).toBe(200);
    const tasks = r.body as Array<{
      taskId: string;
      departmentId: string;
      measures: Array<{ id: string }>;
      status: string;
    }>;
    // exactly the departments whose measures match a serious major-tax-violation enterprise, one task each
    const expected = CATALOGUE_TAX_ENTERPRISE.map((g) => g.departmentId);
    expect(tasks.map((t) => t.departmentId)).toEqual(expected);
    expect(tasks.map((t) => t.measures.map((m) => m.id))).toEqual(
      CATALOGUE_TAX_ENTERPRISE.map((g) => g.measures.map((m) => m.id)),
    );
    expect(new Set(tasks.map((t) => t.taskId)).size).toBe(tasks.length);

    const inbox = await stack.call('GET', '/api/v1/departments/me/inbox', { token: tax });
    expect(inbox.status).toBe(200);
    const mine = inbox.body.items.find((t: { entryId: string }) => t.entryId === entryId);
    expect(mine).toMatchObject({ departmentId: 'tax', status: 'pending', subject: { uscc: '9144030071526726XG' } });
    const pulled = await stack.call('GET', '/api/v1/departments/me/outbox', { token: tax });
    expect(
      pulled.body.some((m: { type: string; taskId: string }) => m.type === 'task_assigned' && m.taskId === mine.taskId),
    ).toBe(true);

    const ack = await stack.call('POST', `/api/v1/departments/me/tasks/${mine.taskId}/acknowledgement`, {
      token: tax,
      body: { note: '已签收' },
    });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ status: 'acknowledged', ackOnTime: true, acknowledgedBy: '税务局李四' });
    const twice = await stack.call('POST', `/api/v1/departments/me/tasks/${mine.taskId}/acknowledgement`, {
      token: tax,
      body: {},
    });
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toContain('不能重复签收');

    const measureId = mine.measures[0].id;
    const fb = { matter: 'tax_incentive', measureIds: [measureId], appliedOn: today, outcome: '取消其享受的税收优惠' };
    for (let i = 0; i < 2; i++) {
      const r = await stack.call('POST', `/api/v1/departments/me/tasks/${mine.taskId}/feedback`, {
        token: tax,
        body: fb,
      });
      expect(r.status).toBe(201);
    }
    const history = await stack.call('GET', `/api/v1/departments/me/tasks/${mine.taskId}/feedback`, { token: tax });
    expect(history.body).toHaveLength(2);
    expect(history.body[0]).toMatchObject({ matter: 'tax_incentive', measureIds: [measureId], by: '税务局李四' });

    const removed = await stack.call('POST', `/api/v1/office/listings/${entryId}/removal`, {
      token: office,
      body: { reason: '当事人已履行义务，提前移出' },
    });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ status: 'closed', closeReason: 'removed' });
    const after = await stack.call('GET', `/api/v1/office/listings/${entryId}/tasks`, { token: office });
    expect(after.body.every((t: { status: string; liftedAt?: string }) => t.status === 'lifted' && t.liftedAt)).toBe(
      true,
    );
    const lift = await stack.call('GET', '/api/v1/departments/me/outbox', { token: tax });
    expect(lift.body.some((m: { type: string; taskId: string }) => m.type === 'lift' && m.taskId === mine.taskId)).toBe(
      true,
    );

    const events = await stack.call('GET', `/api/v1/office/listings/${entryId}/events`, { token: office });
    expect(events.body.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining([
        'started',
        'effective',
        'acknowledged',
        'feedback',
        'removal_requested',
        'lifted',
        'closed',
      ]),
    );

    const late = await stack.call('POST', `/api/v1/departments/me/tasks/${mine.taskId}/feedback`, {
      token: tax,
      body: fb,
    });
    expect(late.status).toBe(409);
    const removeAgain = await stack.call('POST', `/api/v1/office/listings/${entryId}/removal`, {
      token: office,
      body: { reason: '再次移出' },
    });
    expect(removeAgain.status).toBe(409);
  });

  it('keeps departments to their own tasks and offices to office endpoints', async () => {
    const created = await stack.call('POST', '/api/v1/office/listings', { token: office, body: listing() });
    await eventually(
      async () =>
        expect(
          (await stack.call('GET', `/api/v1/office/listings/${created.body.entryId}`, { token: office })).body.status,
        ).toBe('active'),
      30_000,
    );
    const tasks = (await stack.call('GET', `/api/v1/office/listings/${created.body.entryId}/tasks`, { token: office }))
      .body as Array<{ taskId: string; departmentId: string }>;
    const taxTask = tasks.find((t) => t.departmentId === 'tax')!;
    const asFinance = await stack.call('POST', `/api/v1/departments/me/tasks/${taxTask.taskId}/acknowledgement`, {
      token: finance,
      body: {},
    });
    expect(asFinance.status).toBe(404);
    expect((await stack.call('GET', '/api/v1/office/listings', { token: tax })).status).toBe(403);
    expect((await stack.call('GET', '/api/v1/departments/me/inbox', { token: office })).status).toBe(403);
    expect((await stack.call('GET', '/api/v1/office/listings')).status).toBe(401);
    expect((await stack.call('GET', '/api/v1/office/listings', { token: 'not-a-token' })).status).toBe(401);
    const page = await stack.call('GET', `/api/v1/office/listings?subjectId=9144030071526726XG&status=active`, {
      token: office,
    });
    expect(page.status).toBe(200);
    expect(page.body.items.every((l: { subjectId: string }) => l.subjectId === '9144030071526726XG')).toBe(true);
  });
});

describe('bad input', () => {
  const post = (body: unknown) => stack.call('POST', '/api/v1/office/listings', { token: office, body });

  it.each([
    [
      'a USCC of the wrong length',
      { subject: { type: 'enterprise', uscc: '9144030071526726X', name: '某公司' } },
      'body.subject.uscc',
      '应为18位',
    ],
    [
      'an ID number with a letter inside',
      { subject: { type: 'individual', idNumber: '11010519491231A021', name: '张三' } },
      'body.subject.idNumber',
      '17位数字',
    ],
    ['an unknown category', { category: 'unknown_list' }, 'body.category', ''],
    ['an impossible date', { effectiveDate: '2026-02-30' }, 'body.effectiveDate', '日期不存在'],
    ['an unknown field', { sneaky: true }, 'body', 'sneaky'],
  ])('answers 400 naming the field for %s, and writes nothing', async (_what, over, field, text) => {
    const before = await ListingModel.countDocuments();
    const r = await post(listing(over));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_input');
    expect(r.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(r.body.error.message).toContain(text);
    expect(await ListingModel.countDocuments()).toBe(before);
  });

  // the request matches the published schema, but breaks a rule between its fields: 422, not 400
  it.each([
    ['an expiry before the effective date', { validUntil: '2020-01-01' }, 'body.validUntil', '晚于生效日期'],
    ['a validity beyond the publicity period', { validUntil: daysFromToday(365 * 4) }, 'body.validUntil', '最长36个月'],
    ['a red-list category on the black list', { category: 'tax_a_level' }, 'body.category', '属于红名单'],
    [
      'a USCC with a wrong check character',
      { subject: { type: 'enterprise', uscc: '9144030071526726XA', name: '某公司' } },
      'body.subject.uscc',
      '校验位',
    ],
    [
      'an ID number with a wrong check digit',
      { subject: { type: 'individual', idNumber: '110105194912310021', name: '张三' } },
      'body.subject.idNumber',
      '校验码',
    ],
  ])('answers 422 naming the field for %s, and writes nothing', async (_what, over, field, text) => {
    const before = await ListingModel.countDocuments();
    const r = await post(listing(over));
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('rule_violated');
    expect(r.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(r.body.error.message).toContain(text);
    expect(await ListingModel.countDocuments()).toBe(before);
  });

  it('answers 400 to malformed JSON and bad ids, and 404 to unknown entries and routes', async () => {
    expect(
      (await stack.call('POST', '/api/v1/office/listings', { token: office, raw: '{"subject":' })).body.error.code,
    ).toBe('invalid_json');
    expect((await stack.call('GET', '/api/v1/office/listings/not-an-id', { token: office })).status).toBe(400);
    expect((await stack.call('GET', '/api/v1/office/listings/E00000000000000000000', { token: office })).status).toBe(
      404,
    );
    expect((await stack.call('GET', '/api/v1/office/listings?limit=100000', { token: office })).status).toBe(400);
    expect((await stack.call('GET', '/api/v1/nope', { token: office })).status).toBe(404);
    const fb = await stack.call('POST', '/api/v1/departments/me/tasks/E00000000000000000000:tax/feedback', {
      token: tax,
      body: { matter: 'nowhere', measureIds: [], appliedOn: 'x', outcome: '' },
    });
    expect(fb.status).toBe(400);
    expect(fb.body.error.details.map((d: { field: string }) => d.field)).toEqual(
      expect.arrayContaining(['body.matter', 'body.measureIds', 'body.appliedOn', 'body.outcome']),
    );
    expect(await TaskModel.countDocuments({ entryId: 'E00000000000000000000' })).toBe(0);
  });

  it('refuses text with control characters with a 400 naming the field, and starts nothing', async () => {
    const before = await ListingModel.countDocuments();
    const created = await stack.call('POST', '/api/v1/office/listings', {
      token: office,
      body: listing({ reason: '\u0000\u0000' }),
    });
    expect(created.status).toBe(400);
    expect(created.body.error).toEqual({
      code: 'invalid_input',
      message: '字段 body.reason 有误：不能包含控制字符（如 NUL、退格、转义符）',
      details: [{ field: 'body.reason', message: '不能包含控制字符（如 NUL、退格、转义符）' }],
    });
    const removal = await stack.call('POST', '/api/v1/office/listings/E00000000000000000000/removal', {
      token: office,
      body: { reason: '移出\u001b[2J理由' },
    });
    expect(removal.status).toBe(400);
    expect(removal.body.error.message).toBe('字段 body.reason 有误：不能包含控制字符（如 NUL、退格、转义符）');
    expect(await ListingModel.countDocuments()).toBe(before);
  });
});

describe('OpenAPI', () => {
  it('serves an OpenAPI 3.1 document describing every route with its request schema', async () => {
    const r = await stack.call('GET', '/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe('3.1.0');
    const post = r.body.paths['/api/v1/office/listings'].post;
    expect(post.requestBody.content['application/json'].schema.properties.subject).toBeDefined();
    expect(Object.keys(r.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/departments/me/tasks/{taskId}/acknowledgement',
        '/api/v1/office/listings/{entryId}/removal',
      ]),
    );
    const docs = await fetch(`${stack.base}/docs`);
    expect(await docs.text()).toContain('swagger-ui');
  });

  it('answers 405 with an Allow header to a method a declared path does not take', async () => {
    const put = await stack.call('PUT', '/api/v1/office/listings', { token: office, body: {} });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, POST');
    expect(put.body.error).toEqual({
      code: 'method_not_allowed',
      message: '该接口不支持 PUT 方法，可用的方法：GET, HEAD, POST',
    });
    const del = await stack.call('DELETE', '/api/v1/office/listings/E00000000000000000000/removal');
    expect([del.status, del.headers.get('allow')]).toEqual([405, 'POST']);
    expect((await stack.call('DELETE', '/api/v1/no/such/path', { token: office })).status).toBe(404);
  });

  it('documents the CSV answer of the supervision figures beside the JSON one', async () => {
    const doc = (await stack.call('GET', '/openapi.json')).body;
    const ok = doc.paths['/api/v1/office/supervision'].get.responses['200'].content;
    expect(Object.keys(ok)).toEqual(['application/json', 'text/csv']);
    expect(Object.keys(doc.paths['/api/v1/office/listings'].post.responses)).toEqual(
      expect.arrayContaining(['200', '201', '400', '422']),
    );
  });
});
