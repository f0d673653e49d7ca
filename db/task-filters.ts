/**
 * What "overdue" means for a department task in the read model, in one place.
 *
 * The escalation flags stay on a task once set (they record that the deadline passed), so a task is
 * overdue *now* only while it is still waiting for what was due: an acknowledgement overdue while it is
 * pending, a feedback overdue while it is acknowledged without feedback (feedback clears the flag). The
 * office's overdue list and the dashboard read it so; the supervision figures' "currently overdue" is the
 * same set by the clock (pending past its deadline at the time of computing), as a report for a past
 * moment must be.
 */
export const ACK_OVERDUE_NOW = { status: 'pending', overdue: true } as const;
export const FEEDBACK_OVERDUE_NOW = { status: 'acknowledged', feedbackOverdue: true } as const;
export const OVERDUE_NOW = { $or: [ACK_OVERDUE_NOW, FEEDBACK_OVERDUE_NOW] };

/** An aggregation expression for $sum: 1 for a document whose fields equal all of `match`, else 0. */
const countWhere = (match: Record<string, unknown>) => ({
  $cond: [{ $and: Object.entries(match).map(([field, value]) => ({ $eq: [`$${field}`, value] })) }, 1, 0],
});

/** 1 for a task overdue now in that way, else 0 — the same conditions as the filters above. */
export const COUNT_ACK_OVERDUE_NOW = countWhere(ACK_OVERDUE_NOW);
export const COUNT_FEEDBACK_OVERDUE_NOW = countWhere(FEEDBACK_OVERDUE_NOW);
