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

/** Aggregation expressions: 1 for a task overdue now in that way, else 0 (for $sum). */
export const COUNT_ACK_OVERDUE_NOW = { $cond: [{ $and: [{ $eq: ['$status', 'pending'] }, { $eq: ['$overdue', true] }] }, 1, 0] };
export const COUNT_FEEDBACK_OVERDUE_NOW = { $cond: [{ $and: [{ $eq: ['$status', 'acknowledged'] }, { $eq: ['$feedbackOverdue', true] }] }, 1, 0] };
