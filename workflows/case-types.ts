/** Types of the subject's cases: objections (异议) and credit repairs (信用修复). Types only. */
import type { RepairApplication, RepairRegime } from '../domain/repair';
import type { RuleKey } from '../domain/rules';

export type CaseKind = 'objection' | 'repair';
export type CaseStatus =
  | 'filing' // objection: being flagged on the listing
  | 'verifying' // objection: the listing authority verifies
  | 'submitted' // repair: waiting for acceptance by the credit office
  | 'reviewing' // repair: accepted, the listing authority reviews
  | 'upheld'
  | 'rejected'
  | 'approved'
  | 'not_accepted'
  | 'refused'; // could not be filed (e.g. the listing ended meanwhile)

export const OPEN_CASE_STATUSES: CaseStatus[] = ['filing', 'verifying', 'submitted', 'reviewing'];

/** The rule a stage's deadline is planned by, from when. */
export interface StageRule {
  key: RuleKey;
  ruleDate: string;
  from: string;
}

/** Who acts on a case: the API passes the caller; validators check that it is the right party. */
export interface Actor {
  role: 'office' | 'authority' | 'subject';
  name: string;
  authority?: string;
  subjectId?: string;
}

export interface Evidence {
  name: string;
  contentType?: string;
  size?: number;
  sha256?: string;
}

export interface TimelineItem {
  at: string;
  type: string;
  by?: string;
  detail?: Record<string, unknown>;
}

export interface CaseState {
  caseId: string;
  kind: CaseKind;
  entryId: string;
  subjectId: string;
  /** The listing authority (认定单位): the party that verifies and decides. */
  authority: string;
  status: CaseStatus;
  filedAt: string;
  filedBy: string;
  reason?: string;
  evidence?: Evidence[];
  application?: RepairApplication;
  regime?: RepairRegime;
  /** The current stage's deadline and reminder. */
  stage?: 'verify' | 'accept' | 'decide';
  deadline?: string;
  remindAt?: string;
  reminderSentAt?: string;
  overdue: boolean;
  escalatedAt?: string;
  /** The current stage's rule and start (re-planning plans it again from them). */
  stageRule?: StageRule;
  /** false: the current deadline reaches into a year whose holiday arrangement was not known yet. */
  calendarCovered?: boolean;
  /** Calendar versions (`<year>:v<n>`) this case's deadlines have been re-planned for. */
  replans?: string[];
  /** Repair: the overall answer is due by this instant. */
  totalDeadline?: string;
  extensions: Array<{ workingDays: number; reason: string; by: string; at: string }>;
  extendedWorkingDays: number;
  decision?: {
    outcome: 'upheld' | 'rejected' | 'approved' | 'not_accepted';
    reasons: string;
    by: string;
    at: string;
    action?: 'remove' | 'correct';
    correction?: { validUntil?: string; reason?: string };
  };
  closedAt?: string;
  timeline: TimelineItem[];
  rev: number;
}

export interface ObjectionInput {
  caseId: string;
  entryId: string;
  subjectId: string;
  authority: string;
  reason: string;
  evidence: Evidence[];
  filedBy: string;
}

export interface RepairInput {
  caseId: string;
  entryId: string;
  subjectId: string;
  authority: string;
  application: RepairApplication;
  applicationDate: string;
  filedBy: string;
}

export interface ExtendInput {
  by: Actor;
  workingDays: number;
  reason: string;
}

export interface DecideObjectionInput {
  by: Actor;
  outcome: 'upheld' | 'rejected';
  reasons: string;
  action?: 'remove' | 'correct';
  correction?: { validUntil?: string; reason?: string };
}

export interface AcceptRepairInput {
  by: Actor;
  accepted: boolean;
  reasons?: string;
}

export interface DecideRepairInput {
  by: Actor;
  approved: boolean;
  reasons: string;
}
