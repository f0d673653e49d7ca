/** The calendar API on real servers: reading a year, entering an arrangement, and every refusal. */
import { isWorkingDay } from '../../domain/calendar';
import { ARRANGEMENTS, calendarSync } from '../../db/calendar-store';
import mongoose from 'mongoose';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { ARRANGEMENT_2027 } from '../support/arrangements';
import { eventually } from '../support/eventually';
import { listingBody, today } from '../support/fixtures';

let stack: ApiStack;
const T: Record<string, string> = {};

beforeAll(async () => {
  stack = await startApiStack('calendar');
  T.office = await stack.token({ sub: 'o', name: '信用办王科长', role: 'office' });
  T.subject = await stack.token({ sub: 's', name: '示例公司', role: 'subject', subjectId: '914403001922038216' });
  T.auditor = await stack.token({ sub: 'a', name: '审计', role: 'auditor' });
});
afterAll(() => stack.stop());

const put = (year: number, body: unknown) =>
  stack.call('PUT', `/api/v1/office/calendar/${year}`, { token: T.office, body });
const get = (year: number, token = T.office) => stack.call('GET', `/api/v1/calendar/${year}`, { token });
const versions = () => mongoose.connection.db!.collection(ARRANGEMENTS).countDocuments();

describe('reading a year', () => {
  it('serves 2026 from the package with its National Day holiday and adjusted working Saturday', async () => {
    const r = await get(2026, T.subject);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ year: 2026, covered: true, source: 'package' });
    expect(r.body.holidays).toContainEqual({ name: '国庆节', from: '2026-10-01', to: '2026-10-07' });
    expect(r.body.workdays).toEqual(
      expect.arrayContaining(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']),
    );
    // October 2026: 22 weekdays, 5 of them in the holiday, one Saturday worked
    expect(r.body.months[9]).toEqual({ month: 10, workingDays: 18, packageWorkingDays: 18 });
  });

  it('says 2028 is not covered: weekends only, nothing from any source', async () => {
    const r = await get(2028, T.auditor);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ year: 2028, covered: false, source: 'none', holidays: [], workdays: [] });
    expect(r.body.months[0]).toEqual({ month: 1, workingDays: 21, packageWorkingDays: null });
  });

  it('serves every package year, with holiday names as long as the 2015 commemoration day', async () => {
    for (let year = 2004; year <= 2027; year++) expect((await get(year, T.auditor)).status).toBe(200);
    const r = await get(2015, T.auditor);
    expect(r.body.holidays).toContainEqual({
      name: '中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日',
      from: '2015-09-03',
      to: '2015-09-04',
    });
  });

  it('refuses a year that is not a number', async () => {
    const r = await get('abc' as unknown as number);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('params.year');
  });
});

describe('entering the 2027 arrangement', () => {
  // each case starts with 2027 not covered, whatever ran before it
  beforeEach(async () => {
    await mongoose.connection.db!.collection(ARRANGEMENTS).deleteMany({});
    await calendarSync().reload();
  });

  it('previews the months without storing anything', async () => {
    const r = await stack.call('POST', '/api/v1/office/calendar/2027/preview', {
      token: T.office,
      body: ARRANGEMENT_2027,
    });
    expect(r.status).toBe(200);
    // February 2027: 20 weekdays, 5 of them in the Spring Festival, Sat 20 Feb worked
    expect(r.body.months[1]).toEqual({ month: 2, workingDays: 16, packageWorkingDays: null });
    expect(r.body.months[0]).toEqual({ month: 1, workingDays: 21, packageWorkingDays: null });
    expect(await versions()).toBe(0);
    expect((await get(2027)).body.covered).toBe(false);
  });

  it.each([
    [
      'a date outside the year',
      { ...ARRANGEMENT_2027, holidays: [{ name: '元旦', from: '2026-12-31', to: '2027-01-02' }] },
      'body.holidays[0].from',
      '日期须在2027年内',
      422,
    ],
    [
      'an adjusted working day on a weekday',
      { ...ARRANGEMENT_2027, workdays: ['2027-01-04'] },
      'body.workdays[0]',
      '调休上班日应为周六或周日，2027-01-04 是星期一',
      422,
    ],
    [
      'overlapping holidays',
      {
        ...ARRANGEMENT_2027,
        holidays: [
          { name: '中秋节', from: '2027-09-15', to: '2027-10-01' },
          { name: '国庆节', from: '2027-10-01', to: '2027-10-07' },
        ],
        workdays: [],
      },
      'body.holidays[1]',
      '与第1个放假时段“中秋节”重叠（2027-10-01）',
      422,
    ],
    [
      'a working day inside a holiday',
      { ...ARRANGEMENT_2027, workdays: ['2027-02-06'] },
      'body.workdays[0]',
      '2027-02-06 在放假时段“春节”内，不能同时是上班日',
      422,
    ],
    [
      'a period ending before it starts',
      { ...ARRANGEMENT_2027, holidays: [{ name: '清明节', from: '2027-04-05', to: '2027-04-03' }] },
      'body.holidays[0].to',
      '放假末日不能早于首日（2027-04-05）',
      422,
    ],
    [
      'a date that does not exist',
      { ...ARRANGEMENT_2027, workdays: ['2027-02-30'] },
      'body.workdays[0]',
      '日期不存在',
      400,
    ],
    ['a missing notice', { holidays: ARRANGEMENT_2027.holidays, workdays: [] }, 'body.notice', '', 400],
    [
      'a name with a control character',
      { ...ARRANGEMENT_2027, holidays: [{ name: '春\u0000节', from: '2027-02-06', to: '2027-02-14' }] },
      'body.holidays[0].name',
      '不能包含控制字符',
      400,
    ],
  ])(
    'refuses %s naming the field (400: not as published; 422: a rule), and stores nothing',
    async (_what, body, field, reason, status) => {
      const r = await put(2027, body);
      expect(r.status).toBe(status);
      expect(r.body.error.code).toBe(status === 400 ? 'invalid_input' : 'rule_violated');
      expect(r.body.error.details[0].field).toBe(field);
      expect(r.body.error.message).toContain(field);
      expect(r.body.error.message).toContain(reason);
      expect(await versions()).toBe(0);
    },
  );

  it('is refused to other roles', async () => {
    const r = await stack.call('PUT', '/api/v1/office/calendar/2027', { token: T.auditor, body: ARRANGEMENT_2027 });
    expect(r.status).toBe(403);
  });

  it('stores version 1, covers the year, audits it, and a repeat changes nothing', async () => {
    const since = new Date().toISOString();
    const r = await put(2027, ARRANGEMENT_2027);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ created: true, replanning: 'calendar-replan-2027-v1' });
    expect(r.body.calendar).toMatchObject({
      year: 2027,
      covered: true,
      source: 'office',
      version: 1,
      notice: ARRANGEMENT_2027.notice,
      enteredBy: '信用办王科长',
    });
    // this process's calendar follows at once
    expect(isWorkingDay('2027-01-01')).toBe(false);
    expect(isWorkingDay('2027-02-20')).toBe(true);
    const read = await get(2027, T.subject);
    expect(read.body).toMatchObject({ covered: true, source: 'office', version: 1 });
    expect(read.body.holidays).toEqual(ARRANGEMENT_2027.holidays);

    const again = await put(2027, ARRANGEMENT_2027);
    expect(again.status).toBe(200);
    expect(again.body.created).toBe(false);
    expect(await versions()).toBe(1);

    const audit = await stack.call('GET', '/api/v1/audit/log?targetId=2027', { token: T.office });
    expect(audit.status).toBe(200);
    type Entry = { at: string; action: string; before: { covered: boolean }; after: { created: boolean } };
    const entries = (audit.body.items as Entry[]).filter((e) => e.at >= since);
    expect(entries.map((e) => [e.action, e.before.covered, e.after.created])).toEqual([
      ['calendar.arrangement.put', false, true],
      ['calendar.arrangement.put', true, false],
    ]);
  });

  it('refuses a second confirmation by another notice, and keeps the one in force', async () => {
    expect((await put(2027, ARRANGEMENT_2027)).status).toBe(201);
    const r = await put(2027, {
      ...ARRANGEMENT_2027,
      notice: { number: '国办发明电〔2026〕100号', date: '2026-11-06' },
    });
    expect(r.status).toBe(422);
    expect(r.body.error.details[0].field).toBe('body.notice.number');
    expect(r.body.error.message).toContain('已由“国办发明电〔2026〕99号”确认');
    expect(await versions()).toBe(1);
    expect((await get(2027)).body.notice.number).toBe('国办发明电〔2026〕99号');
  });

  it('takes a correction under the same notice as version 2, and re-plans running deadlines again', async () => {
    // a listing in its notice window that takes effect in 2027: a deadline in the year, planned before
    const office = T.office;
    const listed = await stack.call('POST', '/api/v1/office/listings', {
      token: office,
      body: listingBody({ noticeServedOn: today, effectiveDate: '2027-01-04', validUntil: '2027-12-31' }),
    });
    expect(listed.status).toBe(201);
    const entryId = listed.body.entryId;
    await eventually(async () =>
      expect((await stack.call('GET', `/api/v1/office/listings/${entryId}`, { token: office })).body.effectiveAt).toBe(
        '2027-01-03T16:00:00.000Z',
      ),
    );

    const first = await put(2027, ARRANGEMENT_2027);
    expect(first.status).toBe(201);
    // version 1's re-planning runs once per server: an earlier case of this file may have run it already
    const v1 = await stack.env.client.workflow.getHandle(first.body.replanning).result();
    expect(v1).toMatchObject({ skipped: 0 });
    expect(isWorkingDay('2027-10-10')).toBe(false);

    const corrected = { ...ARRANGEMENT_2027, workdays: [...ARRANGEMENT_2027.workdays, '2027-10-10'] };
    const r = await put(2027, corrected);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ created: true, replanning: 'calendar-replan-2027-v2' });
    expect(r.body.calendar).toMatchObject({ version: 2, notice: ARRANGEMENT_2027.notice });
    expect(await versions()).toBe(2);
    expect(isWorkingDay('2027-10-10')).toBe(true);
    // the correction's re-planning reaches the listing (its window in December does not move)
    const v2 = await stack.env.client.workflow.getHandle('calendar-replan-2027-v2').result();
    expect(v2).toEqual({ changed: 0, unchanged: 1, already: 0, skipped: 0 });
    const listing = (await stack.call('GET', `/api/v1/office/listings/${entryId}`, { token: office })).body;
    expect(listing.effectiveAt).toBe('2027-01-03T16:00:00.000Z');

    // the same correction again: nothing new, the same re-planning
    const again = await put(2027, corrected);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, replanning: 'calendar-replan-2027-v2' });
    expect(await versions()).toBe(2);
    expect((await get(2027, T.subject)).body).toMatchObject({ version: 2, workdays: corrected.workdays });
  });
});
