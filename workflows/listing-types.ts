/**
 * The listing workflow's types: the shapes are defined once as schemas in domain/ (listing-record.ts,
 * task.ts, measure.ts) and re-exported here; only what exists for the workflow alone is written here.
 * Types only: no runtime code.
 */
import type { CaseState } from '../domain/case';
import type { ListingRequest } from '../domain/listing';
import type {
  FeedbackRecord,
  ListingEvent,
  ListingRecord,
  ListingState,
  OutboxMessage,
} from '../domain/listing-record';
import type { EditionRef, MeasureRef } from '../domain/measure';
import type { TaskState } from '../domain/task';

export type {
  AcknowledgeInput,
  ClearObjectionInput,
  CloseReason,
  CorrectInput,
  FeedbackInput,
  FeedbackRecord,
  FlagObjectionInput,
  ListingEvent,
  ListingEventType,
  ListingRecord,
  ListingState,
  ListingStatus,
  OutboxMessage,
  RemoveInput,
} from '../domain/listing-record';
export type { MeasureRef } from '../domain/measure';
export type { TaskEntrySummary, TaskState, TaskStatus } from '../domain/task';

export interface ListingInput {
  entryId: string;
  request: ListingRequest;
  /** Set by continue-as-new: the state carried into the next run. */
  resume?: ListingState;
  /** Continue-as-new once history reaches this length (tests); otherwise when the server suggests it. */
  continueAsNewAtHistoryLength?: number;
}

/** One idempotent write batch from the workflow to the read model. */
export interface ProjectionBatch {
  listing?: ListingRecord;
  tasks?: TaskState[];
  events?: ListingEvent[];
  outbox?: OutboxMessage[];
  feedback?: FeedbackRecord[];
  cases?: CaseState[];
}

/** The measures of one department that a listing matched (measures/matching.ts). */
export interface MatchedGroup {
  departmentId: string;
  departmentName: string;
  webhookUrl?: string;
  measures: MeasureRef[];
  /** The department's list edition the measures came from (absent: matched from the files). */
  edition?: EditionRef;
  ackPeriodWorkingDays?: number;
  feedbackPeriodWorkingDays?: number;
}
