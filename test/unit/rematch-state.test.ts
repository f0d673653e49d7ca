/**
 * Re-matching a listing's state without Temporal (workflows/listing-state.ts): what a catalogue change
 * adds, changes and lifts, what each department is told, that feedback given stays, that a key is
 * applied once, and which listings refuse.
 */
import { ListingRequest } from '../../domain/listing';
import { Refusal } from '../../domain/refusal';
import { ListingMachine } from '../../workflows/listing-state';
import type { MatchedGroup } from '../../workflows/listing-types';
import type { RematchInput } from '../../workflows/rematch-update';

const request = ListingRequest.parse({
  subject: { type: 'enterprise', uscc: '914403001922038216', name: '示例科技有限公司' },
  listKind: 'black',
  category: 'major_tax_violation',
  severity: 'serious',
  authority: '国家税务总局沧州市税务局',
  legalBasis: [{ document: '重大税收违法失信主体信息公布管理办法（国家税务总局令第54号）' }],
  decisionDocument: { number: '沧税稽罚〔2026〕12号', date: '2026-09-18' },
  reason: '虚开增值税专用发票，情节严重',
  effectiveDate: '2026-09-29',
  validUntil: '2027-09-28',
});

const ed = (dept: string, number: number) => ({ id: `${dept}:${number}`, number, label: `第${number}版` });
const m = (id: string, n = 1) => ({
  id,
  kind: 'sanction' as const,
  title: id,
  mandatory: true,
  legalBasis: [],
  edition: ed(id.split('.')[0], n),
});
const group = (dept: string, ids: string[], n = 1): MatchedGroup => ({
  departmentId: dept,
  departmentName: `${dept}局`,
  measures: ids.map((id) => m(id, n)),
  edition: ed(dept, n),
});
const plan = {
  ackDeadline: '2026-11-20T16:00:00.000Z',
  remindAt: '2026-11-19T01:00:00.000Z',
  feedbackDue: '2026-12-04T16:00:00.000Z',
};
const change: RematchInput = { key: 'edition:alpha:2', reason: 'edition_published', editionId: 'alpha:2' };

function active() {
  let now = '2026-09-28T02:00:00.000Z';
  const listing = new ListingMachine({ entryId: 'E1', request }, () => now);
  listing.serveNotice({
    noticeEndsAt: '2026-10-10T16:00:00.000Z',
    effectiveAt: '2026-10-10T16:00:00.000Z',
    expiresAt: '2027-09-28T16:00:00.000Z',
    calendarCovered: true,
    noticeWindowWorkingDays: 5,
  });
  now = '2026-10-11T00:00:00.000Z';
  listing.activate(now, [group('alpha', ['alpha.a']), group('beta', ['beta.a'])], [plan, plan]);
  listing.acknowledge({ departmentId: 'alpha', by: '甲' });
  listing.feedback({
    departmentId: 'alpha',
    by: '甲',
    matter: 'government_procurement',
    measureIds: ['alpha.a'],
    appliedOn: '2026-10-12',
    outcome: '已执行',
  });
  now = '2026-11-16T02:00:00.000Z';
  return listing;
}

it('adds a measure to a live task, a task for a new department, and lifts a task left without measures', () => {
  const listing = active();
  const groups = [group('alpha', ['alpha.a', 'alpha.b'], 2), group('gamma', ['gamma.a'])];
  expect(listing.startRematch(change)).toBe(true);
  expect(listing.groupsToPlan(groups).map((g) => g.departmentId)).toEqual(['gamma']);
  const { result, batch } = listing.applyRematch(change, groups, [plan]);
  expect(result).toEqual({
    applied: true,
    changes: [
      { departmentId: 'alpha', added: ['alpha.b'], lifted: [], task: 'changed' },
      { departmentId: 'gamma', added: ['gamma.a'], lifted: [], task: 'assigned' },
      { departmentId: 'beta', added: [], lifted: ['beta.a'], task: 'lifted' },
    ],
  });
  const byDept = Object.fromEntries(listing.state.tasks.map((t) => [t.departmentId, t]));
  // the acknowledged task keeps its acknowledgement and its feedback; its measures are the new edition's
  expect(byDept.alpha).toMatchObject({ status: 'acknowledged', feedbackCount: 1, edition: ed('alpha', 2) });
  expect(byDept.alpha.measures.map((x) => x.id)).toEqual(['alpha.a', 'alpha.b']);
  expect(byDept.gamma).toMatchObject({
    taskId: 'E1:gamma',
    status: 'pending',
    assignedAt: '2026-11-16T02:00:00.000Z',
    ackDeadline: plan.ackDeadline,
    feedbackCount: 0,
  });
  expect(byDept.beta).toMatchObject({ status: 'lifted', liftedAt: '2026-11-16T02:00:00.000Z' });
  expect(batch.outbox!.map((o) => `${o.recipient} ${o.type} ${o.id}`)).toEqual([
    'alpha measures_changed E1:rematch:edition:alpha:2:alpha',
    'gamma task_assigned E1:assigned:gamma',
    'beta lift E1:lift:beta:edition:alpha:2',
  ]);
  expect(batch.events!.map((e) => e.type)).toEqual(['measures_rematched']);
  expect(batch.tasks!.map((t) => t.departmentId)).toEqual(['alpha', 'gamma', 'beta']);
  // the next timer is gamma's reminder; the close does not lift beta's task a second time
  expect(listing.nextTimer()).toBe(plan.remindAt);
  const close = listing.close('expired');
  expect(close.outbox!.filter((o) => o.type === 'lift').map((o) => o.recipient)).toEqual(['alpha', 'gamma']);
});

it('takes a lifted task up again with new deadlines, keeping its feedback count', () => {
  const listing = active();
  listing.startRematch(change);
  listing.applyRematch(change, [group('beta', ['beta.a'])], []);
  expect(listing.state.tasks.find((t) => t.departmentId === 'alpha')!.status).toBe('lifted');
  const again: RematchInput = { key: 'edition:alpha:3', reason: 'edition_published', editionId: 'alpha:3' };
  listing.startRematch(again);
  const groups = [group('alpha', ['alpha.c'], 3), group('beta', ['beta.a'])];
  expect(listing.groupsToPlan(groups).map((g) => g.departmentId)).toEqual(['alpha']);
  const { result, batch } = listing.applyRematch(again, groups, [plan]);
  expect(result.changes).toEqual([{ departmentId: 'alpha', added: ['alpha.c'], lifted: [], task: 'assigned' }]);
  const alpha = listing.state.tasks.find((t) => t.departmentId === 'alpha')!;
  expect(alpha).toMatchObject({ status: 'pending', feedbackCount: 1, ackDeadline: plan.ackDeadline });
  expect(alpha.acknowledgedAt).toBeUndefined();
  expect(alpha.liftedAt).toBeUndefined();
  expect(batch.outbox!.map((o) => o.id)).toEqual(['E1:assigned:alpha:edition:alpha:3']);
});

it('applies a key once, writes no event when nothing changed, and refuses listings not in force', () => {
  const listing = active();
  expect(listing.startRematch(change)).toBe(true);
  expect(listing.startRematch(change)).toBe(false);
  const same = listing.applyRematch(change, [group('alpha', ['alpha.a']), group('beta', ['beta.a'])], []);
  expect(same.result).toEqual({ applied: true, changes: [] });
  expect(same.batch.events).toBeUndefined();
  expect(same.batch.outbox).toBeUndefined();

  const inNotice = new ListingMachine({ entryId: 'E2', request }, () => '2026-09-28T02:00:00.000Z');
  expect(() => inNotice.checkRematch(change)).toThrow(Refusal);
  listing.close('removed');
  expect(() => listing.checkRematch(change)).toThrow('名单条目已结束，措施不再调整');
});
