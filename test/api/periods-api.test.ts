/** The city's own periods over HTTP: a new row from an effective date, and every refusal. */
import mongoose from 'mongoose';
import { RULE_ROWS, rulesSync } from '../../db/rules-store';
import { workingDaysRule } from '../../domain/rules';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { daysFromToday, today } from '../support/fixtures';

let stack: ApiStack;
const T: Record<string, string> = {};
const doc = { number: '沧信用办〔2026〕8号', title: '关于调整异议核查时限的通知', date: today };

beforeAll(async () => {
  stack = await startApiStack('periods');
  T.office = await stack.token({ sub: 'o', name: '信用办王科长', role: 'office' });
  T.auditor = await stack.token({ sub: 'a', name: '审计', role: 'auditor' });
});
afterAll(() => stack.stop());

const add = (body: unknown) => stack.call('POST', '/api/v1/office/periods', { token: T.office, body });
const stored = () => mongoose.connection.db!.collection(RULE_ROWS).countDocuments();

// each case starts from the rules as published, whatever an earlier case added
beforeEach(async () => {
  await mongoose.connection.db!.collection(RULE_ROWS).deleteMany({});
  await rulesSync().reload();
});

it('lists the city-configured rows with their source', async () => {
  const r = await stack.call('GET', '/api/v1/office/periods', { token: T.auditor });
  expect(r.status).toBe(200);
  expect(r.body).toContainEqual(
    expect.objectContaining({
      key: 'objection.verifyPeriod',
      label: '异议核查时限（工作日）',
      unit: 'working_days',
      value: 7,
      effectiveFrom: '2017-09-28',
      origin: 'code',
    }),
  );
  // rows fixed by national texts are not the city's to change
  expect(r.body.map((x: { key: string }) => x.key)).not.toContain('publicity.max.serious');
});

it.each([
  ['zero days', { value: 0 }, 'body.value', '期限须为正数', 400],
  ['negative days', { value: -3 }, 'body.value', '期限须为正数', 400],
  [
    'an effective date in the past',
    { effectiveFrom: daysFromToday(-1) },
    'body.effectiveFrom',
    '生效日期不能早于今天',
    422,
  ],
  ['a period fixed by the State Council', { key: 'repair.decisionPeriod' }, 'body.key', '本市不能调整', 422],
  ['an unknown period', { key: 'listing.whatever' }, 'body.key', '无效选项', 400],
  ['a missing document', { document: undefined }, 'body.document', '', 400],
])(
  'refuses %s naming the field (400: not as published; 422: a rule), and stores nothing',
  async (_what, over, field, reason, status) => {
    const r = await add({
      key: 'objection.verifyPeriod',
      value: 9,
      effectiveFrom: daysFromToday(10),
      document: doc,
      ...over,
    });
    expect(r.status).toBe(status);
    expect(r.body.error.details[0].field).toBe(field);
    expect(r.body.error.message).toContain(reason);
    expect(await stored()).toBe(0);
  },
);

it('adds a row from its effective date: new cases from then use it, earlier dates keep the old one', async () => {
  const from = daysFromToday(10);
  const since = new Date().toISOString();
  const r = await add({ key: 'objection.verifyPeriod', value: 9, effectiveFrom: from, document: doc });
  expect(r.status).toBe(201);
  expect(r.body).toEqual({
    key: 'objection.verifyPeriod',
    label: '异议核查时限（工作日）',
    unit: 'working_days',
    value: 9,
    effectiveFrom: from,
    source: `关于调整异议核查时限的通知（沧信用办〔2026〕8号，${today}）`,
    origin: 'office',
    enteredBy: '信用办王科长',
    enteredAt: expect.any(String),
  });
  expect(workingDaysRule('objection.verifyPeriod', from)).toBe(9);
  expect(workingDaysRule('objection.verifyPeriod', daysFromToday(9))).toBe(7);
  const again = await add({ key: 'objection.verifyPeriod', value: 8, effectiveFrom: from, document: doc });
  expect(again.status).toBe(422);
  expect(again.body.error.details[0].field).toBe('body.effectiveFrom');
  const audit = await stack.call(
    'GET',
    `/api/v1/audit/log?targetId=${encodeURIComponent(`objection.verifyPeriod@${from}`)}`,
    {
      token: T.office,
    },
  );
  const entries = (audit.body.items as Array<{ at: string; action: string }>).filter((e) => e.at >= since);
  expect(entries.map((e) => e.action)).toEqual(['rules.period.add']);
});
