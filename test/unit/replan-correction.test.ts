/** Re-planning after a correction (domain/replan-correction.ts with domain/replan.ts): candidates, periods, order. */
import { WorkingCalendar } from '../../domain/calendar';
import { appliedVersions, correctionBasis } from '../../domain/replan-correction';
import { replanListing, type ListingDeadlines } from '../../domain/replan';
import { ARRANGEMENT_2027 } from '../support/arrangements';

const V1 = { year: 2027, version: 1, arrangement: ARRANGEMENT_2027 };
const V2 = {
  year: 2027,
  version: 2,
  arrangement: {
    ...ARRANGEMENT_2027,
    holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-04' }, ...ARRANGEMENT_2027.holidays.slice(1)],
  },
};
const versions = [
  { year: V1, enteredAt: '2026-12-30T03:00:00.000Z' },
  { year: V2, enteredAt: '2026-12-30T04:00:00.000Z' },
];
const current = WorkingCalendar.of([V2]);

/** A task assigned on Wed 30 Dec 2026 10:00 CST with 3 working days, as planned under `ack`. */
const listing = (ack: string): ListingDeadlines => ({
  status: 'active',
  startedAt: '2026-12-30T02:00:00.000Z',
  noticeServedAt: '2026-12-01T16:00:00.000Z',
  effectiveDate: '2026-12-30',
  noticeEndsAt: '2026-12-08T16:00:00.000Z',
  effectiveAt: '2026-12-30T02:00:00.000Z',
  tasks: [
    {
      departmentId: 'alpha',
      status: 'pending',
      assignedAt: '2026-12-30T02:00:00.000Z',
      ackDeadline: ack,
      remindAt: '2027-01-04T01:00:00.000Z',
      feedbackDue: ack,
    },
  ],
});

it('reads the versions of the year among the applied keys', () => {
  expect(appliedVersions(2027, ['2026:v1', '2027:v1', '2027:v12', 'x'])).toEqual([1, 12]);
});

it('counts the working days by the calendar that set the deadline: the re-plan to version 1', () => {
  const basis = correctionBasis(2027, 2, versions, ['2027:v1', '2027:v2'], current);
  expect(basis.superseded).toBe(false);
  // planned provisionally (31 Dec, 1, 4 Jan), moved by version 1 to 5 Jan (31 Dec, 4, 5): 3 days, not 4
  const plan = replanListing(listing('2027-01-05T16:00:00.000Z'), versions[1].enteredAt, basis.plannedWith, current);
  // version 2 (1–4 Jan off): 31 Dec, 5, 6 Jan
  expect(plan.tasks[0].ackDeadline).toBe('2027-01-06T16:00:00.000Z');
  expect(plan.changes[0]).toEqual({
    what: 'ackDeadline',
    departmentId: 'alpha',
    from: '2027-01-05T16:00:00.000Z',
    to: '2027-01-06T16:00:00.000Z',
  });
});

it('counts the provisional plan when version 1 never reached the task', () => {
  const basis = correctionBasis(2027, 2, versions, ['2027:v2'], current);
  // still the provisional 4 Jan (31 Dec, 1, 4): version 2 gives 31 Dec, 5, 6 Jan
  const plan = replanListing(listing('2027-01-04T16:00:00.000Z'), versions[1].enteredAt, basis.plannedWith, current);
  expect(plan.tasks[0].ackDeadline).toBe('2027-01-06T16:00:00.000Z');
});

it('leaves a listing that a newer version has reached', () => {
  expect(correctionBasis(2027, 2, versions, ['2027:v1', '2027:v3'], current).superseded).toBe(true);
});

it('a deadline planned after a version was stored was planned with it', () => {
  const basis = correctionBasis(2027, 2, versions, [], current);
  const cals = basis.plannedWith('2026-12-30T03:30:00.000Z');
  expect(cals).toHaveLength(1);
  expect(cals[0].isWorkingDay('2027-01-01')).toBe(false); // version 1's 元旦
  expect(cals[0].isWorkingDay('2027-01-04')).toBe(true);
  // before any version: weekends only for 2027
  expect(basis.plannedWith('2026-12-30T02:00:00.000Z')[0].isWorkingDay('2027-01-01')).toBe(true);
});
