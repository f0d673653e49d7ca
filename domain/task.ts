/**
 * A department's task (部门任务) for one listing: the measures it applies, its deadlines and how it was
 * handled. The listing workflow holds these; the read model stores them; the API shows a view of them.
 */
import { z } from 'zod';
import { EntryId, TaskId } from './ids';
import { EditionRef, MeasureRef } from './measure';
import { CategoryCode, ListKind, Severity } from './vocabulary';

export const TaskStatus = z.enum(['pending', 'acknowledged', 'lifted']);
export type TaskStatus = z.infer<typeof TaskStatus>;

/** What a department needs to know of the entry behind its task (denormalised for the check path). */
export const TaskEntrySummary = z.object({
  listKind: ListKind,
  category: CategoryCode,
  severity: Severity.optional(),
  authority: z.string(),
  effectiveAt: z.string(),
  expiresAt: z.string(),
});
export type TaskEntrySummary = z.infer<typeof TaskEntrySummary>;

export const TaskState = z.object({
  taskId: TaskId,
  entryId: EntryId,
  subjectId: z.string(),
  entry: TaskEntrySummary,
  /** Set while an objection against the entry is being handled. */
  underObjection: z.boolean().optional(),
  departmentId: z.string(),
  departmentName: z.string(),
  /** The department system's webhook, if it has one: task messages are also pushed there. Internal. */
  webhookUrl: z.string().optional(),
  measures: z.array(MeasureRef),
  /** The department's measures list edition the task's measures came from (措施清单版本). */
  edition: EditionRef.optional(),
  status: TaskStatus,
  assignedAt: z.string(),
  ackDeadline: z.string(),
  remindAt: z.string(),
  feedbackDue: z.string(),
  acknowledgedAt: z.string().optional(),
  acknowledgedBy: z.string().optional(),
  ackOnTime: z.boolean().optional(),
  reminderSentAt: z.string().optional(),
  escalatedAt: z.string().optional(),
  overdue: z.boolean(),
  feedbackOverdue: z.boolean(),
  feedbackCount: z.number().int(),
  lastFeedbackAt: z.string().optional(),
  liftedAt: z.string().optional(),
  /** Set when the calendar re-planning moved this task's dates. */
  replannedAt: z.string().optional(),
  /** Revision of the projection: writes are forward-only by it. Internal. */
  rev: z.number().int(),
});
export type TaskState = z.infer<typeof TaskState>;
