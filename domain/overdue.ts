/**
 * What "overdue" means for a department task, in one place.
 *
 * The escalation flags stay on a task once set (they record that the deadline passed), so a task is
 * overdue *now* only while it is still waiting for what was due: an acknowledgement overdue while it is
 * pending, a feedback overdue while it is acknowledged without feedback (feedback clears the flag). The
 * office's overdue list and the dashboard read it so (db/task-filters.ts turns these into queries); the
 * supervision figures' "currently overdue" is the same set by the clock (pending past its deadline at the
 * time of computing), as a report for a past moment must be.
 */
export const ACK_OVERDUE_NOW = { status: 'pending', overdue: true } as const;
export const FEEDBACK_OVERDUE_NOW = { status: 'acknowledged', feedbackOverdue: true } as const;
