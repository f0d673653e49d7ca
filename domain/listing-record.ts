/**
 * A listing's life as data: its state (held by the listing workflow), its events (the timeline), the
 * messages it sends, the department feedback it takes, and the inputs of its Updates. Defined once;
 * the workflow types, the MongoDB documents and the API views are derived from these.
 */
import { z } from 'zod';
import { CivilDate } from './dates';
import { CaseId, EntryId, TaskId } from './ids';
import { ListingRequest } from './listing';
import { TaskState } from './task';
import { text } from './text';
import { MatterCode } from './vocabulary';

export const ListingStatus = z.enum(['notice', 'active', 'closed']);
export type ListingStatus = z.infer<typeof ListingStatus>;
export const CloseReason = z.enum(['expired', 'removed', 'withdrawn_in_notice']);
export type CloseReason = z.infer<typeof CloseReason>;

export const ListingState = z.object({
  entryId: EntryId,
  request: ListingRequest,
  subjectId: z.string(),
  status: ListingStatus,
  startedAt: z.string(),
  noticeEndsAt: z.string(),
  effectiveAt: z.string(),
  expiresAt: z.string(),
  calendarCovered: z.boolean(),
  tasks: z.array(TaskState),
  removal: z.object({ by: z.string(), reason: z.string(), at: z.string() }).optional(),
  /** An objection being handled: flagged on the entry and its tasks; delays the effect while in notice. */
  objection: z.object({ caseId: CaseId, since: z.string() }).optional(),
  closedAt: z.string().optional(),
  closeReason: CloseReason.optional(),
  /** Calendar versions (`<year>:v<n>`) this listing's deadlines have been re-planned for. Internal. */
  replans: z.array(z.string()).optional(),
  /** Catalogue changes (publication or suspension keys) this listing has been re-matched for. Internal. */
  rematches: z.array(z.string()).optional(),
  /** Monotonic counters: projection revision, event and feedback sequences (idempotent writes). Internal. */
  rev: z.number().int(),
  eventSeq: z.number().int(),
  feedbackSeq: z.number().int(),
  /** Runs of the workflow so far (continue-as-new). Internal. */
  runs: z.number().int(),
});
export type ListingState = z.infer<typeof ListingState>;

/** The listing as the read model stores it: its tasks apart, counted. */
export const ListingRecord = ListingState.omit({ tasks: true }).extend({ taskCount: z.number().int() });
export type ListingRecord = z.infer<typeof ListingRecord>;

export const ListingEventType = z.enum([
  'started',
  'notice_served',
  'effective',
  'task_assigned',
  'reminder_sent',
  'escalated',
  'feedback_overdue',
  'acknowledged',
  'feedback',
  'removal_requested',
  'objection_filed',
  'objection_decided',
  'corrected',
  'calendar_replanned',
  'measures_rematched',
  'lifted',
  'closed',
]);
export type ListingEventType = z.infer<typeof ListingEventType>;

export const ListingEvent = z.object({
  id: z.string(),
  entryId: EntryId,
  seq: z.number().int(),
  type: ListingEventType,
  at: z.string(),
  departmentId: z.string().optional(),
  detail: z.record(z.string(), z.unknown()).optional(),
});
export type ListingEvent = z.infer<typeof ListingEvent>;

export const OutboxAudience = z.enum(['department', 'subject', 'office', 'authority']);
export const OutboxType = z.enum([
  'task_assigned',
  'reminder',
  'escalation',
  'lift',
  'prior_notice',
  'listing_effective',
  'listing_closed',
  'case_filed',
  'case_reminder',
  'case_escalation',
  'case_decided',
  'deadline_changed',
  'measures_changed',
]);
export const OutboxMessage = z.object({
  id: z.string(),
  audience: OutboxAudience,
  recipient: z.string(),
  caseId: z.string().optional(),
  type: OutboxType,
  entryId: z.string(),
  taskId: z.string().optional(),
  at: z.string(),
  payload: z.record(z.string(), z.unknown()),
});
export type OutboxMessage = z.infer<typeof OutboxMessage>;

/** What a department reports on a task (执行反馈), as it submits it. */
export const FeedbackReport = z
  .object({
    matter: MatterCode.describe('执行措施所在的行政事项'),
    measureIds: z
      .array(text({ min: 1, max: 200 }))
      .min(1, '至少选择一项已执行的措施')
      .max(50),
    appliedOn: CivilDate.describe('执行日期'),
    outcome: text({ min: 2, max: 2000, tooShort: '请填写执行结果（至少2个字）' }),
    note: text({ max: 2000 }).optional(),
  })
  .strict();
export const FeedbackInput = FeedbackReport.extend({ departmentId: z.string(), by: z.string() });
export type FeedbackInput = z.infer<typeof FeedbackInput>;
export const FeedbackRecord = FeedbackInput.extend({
  id: z.string(),
  entryId: EntryId,
  taskId: TaskId,
  seq: z.number().int(),
  reportedAt: z.string(),
});
export type FeedbackRecord = z.infer<typeof FeedbackRecord>;

/** Acknowledgement (签收) of a task. */
export const Acknowledgement = z.object({ note: text({ max: 1000 }).optional() }).strict();
export const AcknowledgeInput = Acknowledgement.extend({ departmentId: z.string(), by: z.string() });
export type AcknowledgeInput = z.infer<typeof AcknowledgeInput>;

/** Removal (移出) of a listing by the office. */
export const Removal = z
  .object({ reason: text({ min: 2, max: 1000, tooShort: '请填写移出理由（至少2个字）' }) })
  .strict();
export const RemoveInput = Removal.extend({ by: z.string() });
export type RemoveInput = z.infer<typeof RemoveInput>;

export const ObjectionOutcome = z.enum(['upheld', 'rejected', 'withdrawn']);
export const FlagObjectionInput = z.object({ caseId: z.string() });
export type FlagObjectionInput = z.infer<typeof FlagObjectionInput>;
export const ClearObjectionInput = z.object({ caseId: z.string(), outcome: ObjectionOutcome });
export type ClearObjectionInput = z.infer<typeof ClearObjectionInput>;

/** Corrections an upheld objection may make without changing which measures apply. */
export const Correction = z
  .object({ validUntil: CivilDate.optional(), reason: text({ min: 2, max: 2000 }).optional() })
  .strict();
export const CorrectInput = Correction.extend({ caseId: z.string(), by: z.string() });
export type CorrectInput = z.infer<typeof CorrectInput>;
