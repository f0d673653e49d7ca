/** The domain's "overdue now" (domain/overdue.ts) as a MongoDB filter: either of its two branches. */
import { ACK_OVERDUE_NOW, FEEDBACK_OVERDUE_NOW } from '../domain/overdue';

export const OVERDUE_NOW = { $or: [ACK_OVERDUE_NOW, FEEDBACK_OVERDUE_NOW] };
