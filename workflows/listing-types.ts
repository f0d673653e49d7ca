/** Types shared by the listing workflow, its activities and the API. Types only: no runtime code. */
import type { ListingRequest } from '../domain/listing';
import type { Measure } from '../domain/measure';
import type { CaseState } from './case-types';

export type ListingStatus = 'notice' | 'active' | 'closed';
export type TaskStatus = 'pending' | 'acknowledged' | 'lifted';
export type CloseReason = 'expired' | 'removed' | 'withdrawn_in_notice';

export interface MeasureRef {
  id: string;
  kind: Measure['kind'];
  title: string;
  mandatory: boolean;
  legalBasis: Measure['legalBasis'];
}

/** What a department needs to know of the entry behind its task (denormalised for the check path). */
export interface TaskEntrySummary {
  listKind: ListingRequest['listKind'];
  category: ListingRequest['category'];
  severity?: ListingRequest['severity'];
  authority: string;
  effectiveAt: string;
  expiresAt: string;
}

export interface TaskState {
  taskId: string;
  entryId: string;
  subjectId: string;
  entry: TaskEntrySummary;
  /** Set while an objection against the entry is being handled (issue: objection workflow). */
  underObjection?: boolean;
  departmentId: string;
  departmentName: string;
  /** The department system's webhook, if it has one: task messages are also pushed there. */
  webhookUrl?: string;
  measures: MeasureRef[];
  status: TaskStatus;
  assignedAt: string;
  ackDeadline: string;
  remindAt: string;
  feedbackDue: string;
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  ackOnTime?: boolean;
  reminderSentAt?: string;
  escalatedAt?: string;
  overdue: boolean;
  feedbackOverdue: boolean;
  feedbackCount: number;
  lastFeedbackAt?: string;
  liftedAt?: string;
  /** Set when the calendar re-planning moved this task's dates. */
  replannedAt?: string;
  rev: number;
}

export interface ListingState {
  entryId: string;
  request: ListingRequest;
  subjectId: string;
  status: ListingStatus;
  startedAt: string;
  noticeEndsAt: string;
  effectiveAt: string;
  expiresAt: string;
  calendarCovered: boolean;
  tasks: TaskState[];
  removal?: { by: string; reason: string; at: string };
  /** An objection being handled: flagged on the entry and its tasks; delays the effect while in notice. */
  objection?: { caseId: string; since: string };
  closedAt?: string;
  closeReason?: CloseReason;
  /** Calendar versions (`<year>:v<n>`) this listing's deadlines have been re-planned for. */
  replans?: string[];
  /** Monotonic counters: projection revision and event sequence; they make activity writes idempotent. */
  rev: number;
  eventSeq: number;
  feedbackSeq: number;
  runs: number;
}

export interface ListingInput {
  entryId: string;
  request: ListingRequest;
  /** Set by continue-as-new: the state carried into the next run. */
  resume?: ListingState;
  /** Continue-as-new once history reaches this length (tests); otherwise when the server suggests it. */
  continueAsNewAtHistoryLength?: number;
}

export interface AcknowledgeInput {
  departmentId: string;
  by: string;
  note?: string;
}

export interface FeedbackInput {
  departmentId: string;
  by: string;
  matter: string;
  measureIds: string[];
  appliedOn: string;
  outcome: string;
  note?: string;
}

export interface RemoveInput {
  by: string;
  reason: string;
}

export interface FlagObjectionInput {
  caseId: string;
}

export interface ClearObjectionInput {
  caseId: string;
  outcome: 'upheld' | 'rejected' | 'withdrawn';
}

/** Corrections an upheld objection may make without changing which measures apply. */
export interface CorrectInput {
  caseId: string;
  by: string;
  validUntil?: string;
  reason?: string;
}

export type ListingEventType =
  | 'started'
  | 'notice_served'
  | 'effective'
  | 'task_assigned'
  | 'reminder_sent'
  | 'escalated'
  | 'feedback_overdue'
  | 'acknowledged'
  | 'feedback'
  | 'removal_requested'
  | 'objection_filed'
  | 'objection_decided'
  | 'corrected'
  | 'calendar_replanned'
  | 'lifted'
  | 'closed';

export interface ListingEvent {
  id: string;
  entryId: string;
  seq: number;
  type: ListingEventType;
  at: string;
  departmentId?: string;
  detail?: Record<string, unknown>;
}

export type OutboxAudience = 'department' | 'subject' | 'office' | 'authority';
export interface OutboxMessage {
  id: string;
  audience: OutboxAudience;
  recipient: string;
  caseId?: string;
  type:
    | 'task_assigned'
    | 'reminder'
    | 'escalation'
    | 'lift'
    | 'prior_notice'
    | 'listing_effective'
    | 'listing_closed'
    | 'case_filed'
    | 'case_reminder'
    | 'case_escalation'
    | 'case_decided'
    | 'deadline_changed';
  entryId: string;
  taskId?: string;
  at: string;
  payload: Record<string, unknown>;
}

export interface FeedbackRecord extends FeedbackInput {
  id: string;
  entryId: string;
  taskId: string;
  seq: number;
  reportedAt: string;
}

/** One idempotent write batch from the workflow to the read model. */
export interface ProjectionBatch {
  listing?: Omit<ListingState, 'tasks' | 'request'> & { request: ListingRequest; taskCount: number };
  tasks?: TaskState[];
  events?: ListingEvent[];
  outbox?: OutboxMessage[];
  feedback?: FeedbackRecord[];
  cases?: CaseState[];
}

export interface MatchedGroup {
  departmentId: string;
  departmentName: string;
  webhookUrl?: string;
  measures: MeasureRef[];
  ackPeriodWorkingDays?: number;
  feedbackPeriodWorkingDays?: number;
}
