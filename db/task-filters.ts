/** The domain's "overdue now" (domain/overdue.ts) as MongoDB filters and aggregation counters. */
import { ACK_OVERDUE_NOW, FEEDBACK_OVERDUE_NOW } from '../domain/overdue';

export const OVERDUE_NOW = { $or: [ACK_OVERDUE_NOW, FEEDBACK_OVERDUE_NOW] };

/** An aggregation expression for $sum: 1 for a document whose fields equal all of `match`, else 0. */
const countWhere = (match: Record<string, unknown>) => ({
  $cond: [{ $and: Object.entries(match).map(([field, value]) => ({ $eq: [`$${field}`, value] })) }, 1, 0],
});

/** 1 for a task overdue now in that way, else 0 — the same conditions as the filters above. */
export const COUNT_ACK_OVERDUE_NOW = countWhere(ACK_OVERDUE_NOW);
export const COUNT_FEEDBACK_OVERDUE_NOW = countWhere(FEEDBACK_OVERDUE_NOW);
