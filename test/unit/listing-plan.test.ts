import { planNotice, planTask } from '../../domain/listing-plan';

describe('listing deadline plan', () => {
  it('ends the 5-working-day notice window after National Day and the adjusted Saturday', () => {
    const p = planNotice({
      noticeServedAt: '2026-09-28T02:00:00Z',
      effectiveDate: '2026-09-29',
      validUntil: '2027-09-28',
    });
    expect(p.noticeWindowWorkingDays).toBe(5);
    expect(p.noticeEndsAt).toBe('2026-10-10T16:00:00.000Z'); // 24:00 CST, Sat 10 Oct
    expect(p.effectiveAt).toBe(p.noticeEndsAt); // the requested date is earlier: the notice window wins
    expect(p.expiresAt).toBe('2027-09-28T16:00:00.000Z');
  });

  it('keeps a later requested effective date', () => {
    const p = planNotice({
      noticeServedAt: '2026-09-28T02:00:00Z',
      effectiveDate: '2026-11-02',
      validUntil: '2027-09-28',
    });
    expect(p.effectiveAt).toBe('2026-11-01T16:00:00.000Z'); // 00:00 CST on 2 Nov
  });

  it('plans acknowledgement, reminder and feedback in working days', () => {
    // effective 00:00 CST Sun 11 Oct: 3 working days = Mon 12, Tue 13, Wed 14
    const t = planTask('2026-10-10T16:00:00.000Z', {
      departmentId: 'alpha',
      ackPeriodWorkingDays: 3,
      feedbackPeriodWorkingDays: 10,
    });
    expect(t.ackDeadline).toBe('2026-10-14T16:00:00.000Z');
    expect(t.remindAt).toBe('2026-10-13T01:00:00.000Z'); // 09:00 CST one working day before
    expect(t.feedbackDue).toBe('2026-10-23T16:00:00.000Z'); // 10 working days: 12–16, 19–23 Oct
  });

  it('takes default periods from the rules table', () => {
    const t = planTask('2026-10-10T16:00:00.000Z', { departmentId: 'beta' });
    expect(t.ackPeriodWorkingDays).toBe(3);
  });

  it('never reminds before the task exists', () => {
    const t = planTask('2026-10-12T03:00:00.000Z', { departmentId: 'x', ackPeriodWorkingDays: 1 });
    // ack deadline end of Tue 13 Oct; one working day before is Mon 12 Oct 09:00 CST, before the task was assigned
    // (11:00 CST)
    expect(t.remindAt).toBe('2026-10-12T03:00:00.000Z');
  });
});
