/**
 * Organisations across levels over HTTP on real servers: the tree for every role, the city office's changes
 * and every refusal, and the acceptance of issue 13 — a county office lists a subject; the county's and the
 * city's departments get their tasks; the county office sees only its region; the city office sees both.
 */
import mongoose from 'mongoose';
import { migrateOrganisations } from '../../db/organisations';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { eventually } from '../support/eventually';
import { listingBody } from '../support/fixtures';

let stack: ApiStack;
const T: Record<string, string> = {};
const CITY_DEPARTMENTS = [
  'commerce',
  'development-reform',
  'ecology-environment',
  'emergency-management',
  'finance',
  'housing-construction',
  'human-resources',
  'industry-it',
  'market-regulation',
  'natural-resources',
  'public-resources',
  'sasac',
  'tax',
  'transport',
];
const BOTOU_DEPARTMENTS = [
  'botou-development-reform',
  'botou-finance',
  'botou-housing-construction',
  'botou-human-resources',
  'botou-market-regulation',
  'botou-tax',
];

beforeAll(async () => {
  stack = await startApiStack('organisations');
  T.office = await stack.token({ sub: 'o', name: '市信用办', role: 'office' });
  T.auditor = await stack.token({ sub: 'u', name: '审计员', role: 'auditor' });
  T.botou = await stack.token({ sub: 'c1', name: '泊头市信用办', role: 'county_office', orgId: 'botou' });
  T.renqiu = await stack.token({ sub: 'c2', name: '任丘市信用办', role: 'county_office', orgId: 'renqiu' });
  T.unbound = await stack.token({ sub: 'c3', name: '未绑定', role: 'county_office' });
  T.tax = await stack.token({ sub: 't', name: '市税务局', role: 'department', departmentId: 'tax' });
  T.botouTax = await stack.token({ sub: 'bt', name: '泊头税务', role: 'department', departmentId: 'botou-tax' });
  T.subject = await stack.token({ sub: 's', name: '企业', role: 'subject', subjectId: '914403001922038216' });
});
afterAll(() => stack.stop());

const call = (method: string, path: string, token: string, body?: unknown) =>
  stack.call(method, `/api/v1${path}`, { token, body });

type Node = { id: string; name: string; level: string; version: number; departments: Array<{ id: string }> };

/** Botou's node as the tree answers it, and the same node as a PUT body (the answer-only fields left out). */
async function botouForEdit() {
  const node = ((await call('GET', '/organisations', T.office)).body.nodes as Node[]).find((n) => n.id === 'botou')!;
  const { id: _id, levelLabel: _l, updatedAt: _u, ...body } = node as Node & Record<string, unknown>;
  return { node, body };
}

/** The tree as the migration seeds it, whatever an earlier case changed. */
async function seedTree(): Promise<void> {
  await mongoose.connection.db!.collection('organisations').deleteMany({});
  await migrateOrganisations(stack.catalogue.departments);
}

describe('the tree', () => {
  beforeEach(seedTree);

  it('answers the city, 16 counties and 3 zones with their departments to every signed-in role', async () => {
    for (const who of ['office', 'auditor', 'botou', 'tax', 'botouTax', 'subject']) {
      const r = await call('GET', '/organisations', T[who]);
      expect(r.status).toBe(200);
      const nodes = r.body.nodes as Node[];
      expect(nodes).toHaveLength(20);
      expect(nodes[0]).toMatchObject({ id: 'cangzhou', name: '沧州市', level: 'city', parentId: null });
      expect(nodes[0].departments.map((d) => d.id)).toEqual(CITY_DEPARTMENTS);
      expect(nodes.filter((n) => n.level === 'zone').map((n) => n.name)).toEqual([
        '渤海新区',
        '沧州经济技术开发区',
        '沧州高新技术产业开发区',
      ]);
    }
    expect((await stack.call('GET', '/api/v1/organisations')).status).toBe(401);
  });

  it('lets the city office add a department to a county, audited, and refuses what would break the tree', async () => {
    const startedAt = new Date().toISOString();
    const { node: botou, body: fields } = await botouForEdit();
    const { version } = botou;
    const withTransport = {
      ...fields,
      version,
      departments: [
        ...botou.departments,
        { id: 'botou-transport', name: '泊头市交通运输局', measuresList: 'transport' },
      ],
    };
    const refusals: Array<[string, unknown, number, string]> = [
      ['a county office', withTransport, 403, 'forbidden'],
      ['no version for a node that exists', { ...withTransport, version: undefined }, 409, 'conflict'],
      [
        'an unknown measures list',
        { ...withTransport, departments: [{ id: 'botou-x', name: '泊头某局', measuresList: 'nope' }] },
        422,
        'rule_violated',
      ],
      [
        "the city's department id",
        { ...withTransport, departments: [{ id: 'tax', name: '税务', measuresList: 'tax' }] },
        422,
        'rule_violated',
      ],
      ['a county under a county', { ...withTransport, parentId: 'renqiu' }, 422, 'rule_violated'],
      ['a second city', { ...withTransport, level: 'city', parentId: null }, 422, 'rule_violated'],
      ['an unknown level', { ...withTransport, level: 'province' }, 400, 'invalid_input'],
      ['a name of one character', { ...withTransport, name: '泊' }, 400, 'invalid_input'],
    ];
    for (const [what, body, status, code] of refusals) {
      const r = await call('PUT', '/office/organisations/botou', what === 'a county office' ? T.botou : T.office, body);
      expect([what, r.status, r.body.error.code]).toEqual([what, status, code]);
      expect(r.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    }
    const unknownList = await call('PUT', '/office/organisations/botou', T.office, refusals[2][1]);
    expect(unknownList.body.error.message).toBe('字段 body.departments[0].measuresList 有误：措施清单“nope”不存在');
    const cityId = await call('PUT', '/office/organisations/botou', T.office, refusals[3][1]);
    expect(cityId.body.error.message).toBe(
      '字段 body.departments[0].id 有误：部门编号 tax 已被“沧州市沧州市税务局”使用',
    );
    // nothing was written by any refusal
    const still = ((await call('GET', '/organisations', T.office)).body.nodes as Node[]).find((n) => n.id === 'botou')!;
    expect(still.version).toBe(version);

    const ok = await call('PUT', '/office/organisations/botou', T.office, withTransport);
    expect(ok.status).toBe(200);
    expect(ok.body.version).toBe(version + 1);
    expect(ok.body.departments.map((d: { id: string }) => d.id)).toEqual([
      'botou-tax',
      'botou-market-regulation',
      'botou-development-reform',
      'botou-finance',
      'botou-housing-construction',
      'botou-human-resources',
      'botou-transport',
    ]);
    const stale = await call('PUT', '/office/organisations/botou', T.office, withTransport);
    expect([stale.status, stale.body.error.code]).toEqual([409, 'conflict']);

    const created = await call('PUT', '/office/organisations/lingang', T.office, {
      name: '沧州临港经济技术开发区',
      level: 'zone',
      parentId: 'cangzhou',
      creditOffice: { name: '临港信用办' },
      departments: [],
    });
    expect([created.status, created.body.version]).toEqual([201, 1]);
    const missing = await call('PUT', '/office/organisations/nowhere', T.office, { ...withTransport, version: 1 });
    expect(missing.status).toBe(404);

    const audit = await call('GET', '/audit/log?targetId=botou', T.auditor);
    const entries = audit.body.items as Array<{
      at: string;
      action: string;
      before: { version: number };
      after: { version: number };
    }>;
    const mine = entries.filter((e) => e.at >= startedAt); // this case's entries only
    expect(mine.map((e) => [e.action, e.before.version, e.after.version])).toEqual([
      ['organisation.put', version, version + 1],
    ]);
  });
});

describe('a county office lists a subject', () => {
  let entryId: string;
  let cityEntry: string;

  // the seeded tree with Botou's transport bureau and a fourth zone added, as the city office would
  beforeAll(async () => {
    await seedTree();
    const { node: botou, body: fields } = await botouForEdit();
    const departments = [
      ...botou.departments,
      { id: 'botou-transport', name: '泊头市交通运输局', measuresList: 'transport' },
    ];
    expect((await call('PUT', '/office/organisations/botou', T.office, { ...fields, departments })).status).toBe(200);
    const zone = await call('PUT', '/office/organisations/lingang', T.office, {
      name: '沧州临港经济技术开发区',
      level: 'zone',
      parentId: 'cangzhou',
      creditOffice: { name: '临港信用办' },
      departments: [],
    });
    expect(zone.status).toBe(201);
  });

  it('the acceptance scenario: the county lists, both levels get tasks, each office sees its scope', async () => {
    // fans out to the city's and the county's departments, and sets the county as the region
    {
      const r = await call('POST', '/office/listings', T.botou, listingBody());
      expect(r.status).toBe(201);
      expect(r.body.listing.request.region).toBe('botou');
      entryId = r.body.entryId;
      await eventually(
        async () => expect((await call('GET', `/office/listings/${entryId}`, T.botou)).body.status).toBe('active'),
        30_000,
      );
      const tasks = await call('GET', `/office/listings/${entryId}/tasks`, T.botou);
      expect((tasks.body as Array<{ departmentId: string }>).map((t) => t.departmentId).sort()).toEqual(
        [...BOTOU_DEPARTMENTS, 'botou-transport', ...CITY_DEPARTMENTS].sort(),
      );
      const botouTax = (tasks.body as Array<{ departmentId: string; departmentName: string }>).find(
        (t) => t.departmentId === 'botou-tax',
      );
      expect(botouTax?.departmentName).toBe('国家税务总局泊头市税务局');
    }

    // the county department receives, acknowledges and checks like a city one; the city department too
    {
      for (const token of [T.botouTax, T.tax]) {
        const inbox = await call('GET', '/departments/me/inbox?status=pending', token);
        const task = (inbox.body.items as Array<{ entryId: string; taskId: string }>).find(
          (t) => t.entryId === entryId,
        )!;
        expect(task).toBeDefined();
        const ack = await call('POST', `/departments/me/tasks/${task.taskId}/acknowledgement`, token, {
          note: '已签收',
        });
        expect([ack.status, ack.body.status]).toEqual([200, 'acknowledged']);
        const subjectId = listingBody().subject.uscc;
        const check = await call('POST', '/departments/me/checks', token, { subjectId, matter: 'tax_incentive' });
        expect(check.status).toBe(200);
        expect(check.body.result).toBe('hit');
        expect(check.body.entries.map((e: { entryId: string }) => e.entryId)).toContain(entryId);
      }
      // another county's department has nothing of it
      const renqiuTax = await stack.token({
        sub: 'rt',
        name: '任丘税务',
        role: 'department',
        departmentId: 'renqiu-tax',
      });
      const none = await call('GET', '/departments/me/inbox', renqiuTax);
      expect((none.body.items as Array<{ entryId: string }>).filter((t) => t.entryId === entryId)).toEqual([]);
    }

    // the county office sees only its region; the city office sees both and can pick a region
    {
      const city = await call('POST', '/office/listings', T.office, listingBody());
      expect(city.status).toBe(201);
      expect(city.body.listing.request.region).toBeUndefined();
      cityEntry = city.body.entryId;

      const mine = await call('GET', '/office/listings?limit=100', T.botou);
      expect((mine.body.items as Array<{ entryId: string }>).map((l) => l.entryId)).toEqual([entryId]);
      // asking for another region changes nothing: a county office's scope is its own
      const asked = await call('GET', '/office/listings?region=renqiu&limit=100', T.botou);
      expect((asked.body.items as Array<{ entryId: string }>).map((l) => l.entryId)).toEqual([entryId]);
      for (const path of [
        `/office/listings/${cityEntry}`,
        `/office/listings/${cityEntry}/tasks`,
        `/office/listings/${cityEntry}/events`,
      ])
        expect((await call('GET', path, T.botou)).status).toBe(404);
      const theirs = await call('GET', `/office/listings/${entryId}`, T.renqiu);
      expect(theirs.status).toBe(404);

      const all = await call('GET', '/office/listings?limit=100', T.office);
      expect((all.body.items as Array<{ entryId: string }>).map((l) => l.entryId).sort()).toEqual(
        [entryId, cityEntry].sort(),
      );
      const onlyBotou = await call('GET', '/office/listings?region=botou&limit=100', T.office);
      expect((onlyBotou.body.items as Array<{ entryId: string }>).map((l) => l.entryId)).toEqual([entryId]);
      await eventually(
        async () => expect((await call('GET', `/office/listings/${cityEntry}`, T.office)).body.status).toBe('active'),
        30_000,
      );
      const cityTasks = await call('GET', `/office/listings/${cityEntry}/tasks`, T.office);
      expect((cityTasks.body as Array<{ departmentId: string }>).map((t) => t.departmentId)).toEqual(CITY_DEPARTMENTS);
    }

    // supervises by level: the city its departments and each region, a county office its own units
    {
      type Level = {
        orgId: string;
        departments: Array<{ departmentId: string; tasksReceived: number; acknowledged: number }>;
        totals: { departmentName: string; tasksReceived: number; acknowledged: number };
      };
      const city = await call('GET', '/office/supervision/levels', T.office);
      expect(city.status).toBe(200);
      const levels = city.body.levels as Level[];
      expect(levels.map((l) => l.orgId).slice(0, 4)).toEqual(['cangzhou', 'yunhe', 'xinhua', 'botou']);
      expect(levels).toHaveLength(21); // the city, 16 counties, 3 zones and the zone added before
      const [cangzhou, , , botou] = levels;
      expect(cangzhou.departments.map((d) => d.departmentId)).toEqual(CITY_DEPARTMENTS);
      expect(cangzhou.departments.find((d) => d.departmentId === 'tax')).toMatchObject({
        tasksReceived: 2,
        acknowledged: 1,
      });
      expect(cangzhou.totals).toMatchObject({ departmentName: '沧州市合计', tasksReceived: 28, acknowledged: 1 });
      expect(botou.totals).toMatchObject({ departmentName: '泊头市合计', tasksReceived: 7, acknowledged: 1 });
      expect(levels.find((l) => l.orgId === 'renqiu')!.totals.tasksReceived).toBe(0);

      const county = await call('GET', '/office/supervision/levels?region=renqiu', T.botou);
      expect((county.body.levels as Level[]).map((l) => [l.orgId, l.totals.tasksReceived])).toEqual([['botou', 7]]);
      expect((county.body.levels as Level[])[0].departments.map((d) => d.departmentId)).toEqual([
        'botou-tax',
        'botou-market-regulation',
        'botou-development-reform',
        'botou-finance',
        'botou-housing-construction',
        'botou-human-resources',
        'botou-transport',
      ]);
      const csv = await stack.call('GET', '/api/v1/office/supervision/levels?format=csv', { token: T.botou });
      expect(csv.headers.get('content-type')).toContain('text/csv');
      const rows = String(csv.body)
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n');
      expect(rows.map((r) => r.split(',').slice(0, 4).join(','))).toEqual([
        '层级,地区,部门编码,部门',
        '县（市、区）,泊头市,botou-tax,国家税务总局泊头市税务局',
        '县（市、区）,泊头市,botou-market-regulation,泊头市市场监督管理局',
        '县（市、区）,泊头市,botou-development-reform,泊头市发展和改革局',
        '县（市、区）,泊头市,botou-finance,泊头市财政局',
        '县（市、区）,泊头市,botou-housing-construction,泊头市住房和城乡建设局',
        '县（市、区）,泊头市,botou-human-resources,泊头市人力资源和社会保障局',
        '县（市、区）,泊头市,botou-transport,泊头市交通运输局',
        '县（市、区）,泊头市,botou,泊头市合计',
      ]);
      const cityCsv = await stack.call('GET', '/api/v1/office/supervision/levels?format=csv', { token: T.office });
      expect(String(cityCsv.body).trimEnd().split('\r\n')).toHaveLength(1 + 14 + 1 + 20);
      const oneRegion = await call('GET', '/office/supervision/levels?region=botou', T.office);
      expect((oneRegion.body.levels as Level[]).map((l) => l.orgId)).toEqual(['botou']);
      const unknown = await call('GET', '/office/supervision/levels?region=nowhere', T.office);
      expect([unknown.status, unknown.body.error.details[0].field]).toEqual([422, 'query.region']);
      expect((await call('GET', '/office/supervision/levels', T.tax)).status).toBe(403);
    }

    // refuses a county office listing another region, an unbound token, a city listing naming no county
    {
      const other = await call('POST', '/office/listings', T.botou, listingBody({ region: 'renqiu' }));
      expect([other.status, other.body.error.code]).toEqual([403, 'forbidden']);
      expect(other.body.error.message).toContain('body.region');
      const unbound = await call('POST', '/office/listings', T.unbound, listingBody());
      expect(unbound.status).toBe(403);
      const unknown = await call('POST', '/office/listings', T.office, listingBody({ region: 'nowhere' }));
      expect([unknown.status, unknown.body.error.details[0].field]).toEqual([422, 'body.region']);
      const cityAsRegion = await call('POST', '/office/listings', T.office, listingBody({ region: 'cangzhou' }));
      expect([cityAsRegion.status, cityAsRegion.body.error.details[0].field]).toEqual([422, 'body.region']);
      const badId = await call('POST', '/office/listings', T.office, listingBody({ region: 'Bo Tou' }));
      expect([badId.status, badId.body.error.details[0].field]).toEqual([400, 'body.region']);
      // nothing was started by a refusal
      const all = await call('GET', '/office/listings?limit=100', T.office);
      expect(all.body.total).toBe(2);
    }

    // refuses another region's removal, and the city office dropping a department with live tasks
    {
      const removal = await call('POST', `/office/listings/${cityEntry}/removal`, T.botou, { reason: '越权移出' });
      expect(removal.status).toBe(404);
      const { node: botou, body: fields } = await botouForEdit();
      const dropTax = { ...fields, departments: botou.departments.filter((d) => d.id !== 'botou-tax') };
      const r = await call('PUT', '/office/organisations/botou', T.office, dropTax);
      expect([r.status, r.body.error.details[0].field]).toEqual([422, 'body.departments']);
      expect(r.body.error.message).toContain('尚有 1 项未解除的任务');
      // the county office removes its own listing: every task, county and city, is lifted
      const own = await call('POST', `/office/listings/${entryId}/removal`, T.botou, { reason: '当事人已履行义务' });
      expect([own.status, own.body.status]).toEqual([200, 'closed']);
    }
  });
});
