/**
 * The subject's cases: objections (异议) and credit repairs (信用修复). Their state is held by the
 * objection and repair workflows; the read model stores it; the API shows a view of it.
 */
import { z } from 'zod';
import { CaseId, CreditRecordId, EntryId } from './ids';
import { Correction } from './listing-record';
import { Attachment, RepairApplication, RepairRegime } from './repair';
import type { RuleKey } from './rules';
import { text } from './text';

export const CaseKind = z.enum(['objection', 'repair']);
export type CaseKind = z.infer<typeof CaseKind>;

export const CaseStatus = z.enum([
  'filing', // objection: being flagged on the listing
  'verifying', // objection: the listing authority verifies
  'submitted', // repair: waiting for acceptance by the credit office
  'reviewing', // repair: accepted, the listing authority reviews
  'upheld',
  'rejected',
  'approved',
  'not_accepted',
  'refused', // could not be filed (e.g. the listing ended meanwhile)
]);
export type CaseStatus = z.infer<typeof CaseStatus>;
export const OPEN_CASE_STATUSES: CaseStatus[] = ['filing', 'verifying', 'submitted', 'reviewing'];

/** Who acts on a case: the API passes the caller; validators check that it is the right party. */
export const Actor = z.object({
  role: z.enum(['office', 'authority', 'subject']),
  name: z.string(),
  authority: z.string().optional(),
  subjectId: z.string().optional(),
});
export type Actor = z.infer<typeof Actor>;

export const Evidence = Attachment;
export type Evidence = z.infer<typeof Evidence>;

export const TimelineItem = z.object({
  at: z.string(),
  type: z.string(),
  by: z.string().optional(),
  detail: z.record(z.string(), z.unknown()).optional(),
});
export type TimelineItem = z.infer<typeof TimelineItem>;

/** The authority's decision on an objection, as it submits it. */
export const ObjectionDecision = z
  .object({
    outcome: z.enum(['upheld', 'rejected']),
    reasons: text({ min: 2, max: 5000, tooShort: '请填写处理理由' }),
    action: z.enum(['remove', 'correct']).optional(),
    correction: Correction.optional(),
  })
  .strict();
export type ObjectionDecision = z.infer<typeof ObjectionDecision>;

/** The office's acceptance of a repair application, and the authority's decision on it. */
export const RepairAcceptance = z.object({ accepted: z.boolean(), reasons: text({ max: 2000 }).optional() }).strict();
export const RepairDecision = z
  .object({ approved: z.boolean(), reasons: text({ min: 2, max: 5000, tooShort: '请填写审核意见' }) })
  .strict();

/** An extension of the objection's verification, in working days, with its reason. */
export const Extension = z
  .object({
    workingDays: z.number().int().min(1).max(20),
    reason: text({ min: 2, max: 1000, tooShort: '请说明延长理由' }),
  })
  .strict();

export const CaseDecision = z.object({
  outcome: z.enum(['upheld', 'rejected', 'approved', 'not_accepted']),
  reasons: z.string(),
  by: z.string(),
  at: z.string(),
  action: ObjectionDecision.shape.action,
  correction: Correction.optional(),
});

export const CaseState = z.object({
  caseId: CaseId,
  kind: CaseKind,
  /** The listing the case is on; an objection on a credit record has `recordId` instead. */
  entryId: EntryId.optional(),
  recordId: CreditRecordId.optional(),
  subjectId: z.string(),
  /** The listing authority (认定单位): the party that verifies and decides. */
  authority: z.string(),
  status: CaseStatus,
  filedAt: z.string(),
  filedBy: z.string(),
  reason: z.string().optional(),
  evidence: z.array(Evidence).optional(),
  application: RepairApplication.optional(),
  regime: RepairRegime.optional(),
  /** The current stage's deadline and reminder. */
  stage: z.enum(['verify', 'accept', 'decide']).optional(),
  deadline: z.string().optional(),
  remindAt: z.string().optional(),
  reminderSentAt: z.string().optional(),
  overdue: z.boolean(),
  escalatedAt: z.string().optional(),
  /** The current stage's rule and start (re-planning plans it again from them). Internal. */
  stageRule: z
    .object({ key: z.custom<RuleKey>((v) => typeof v === 'string'), ruleDate: z.string(), from: z.string() })
    .optional(),
  /** false: the current deadline reaches into a year whose holiday arrangement was not known yet. */
  calendarCovered: z.boolean().optional(),
  /** Calendar versions (`<year>:v<n>`) this case's deadlines have been re-planned for. Internal. */
  replans: z.array(z.string()).optional(),
  /** Repair: the overall answer is due by this instant. */
  totalDeadline: z.string().optional(),
  extensions: z.array(Extension.extend({ by: z.string(), at: z.string() })),
  extendedWorkingDays: z.number().int(),
  decision: CaseDecision.optional(),
  closedAt: z.string().optional(),
  timeline: z.array(TimelineItem),
  /** Revision of the projection. Internal. */
  rev: z.number().int(),
});
export type CaseState = z.infer<typeof CaseState>;
/** The rule a stage's deadline is planned by, from when. */
export type StageRule = NonNullable<CaseState['stageRule']>;

export const ObjectionInput = z.object({
  caseId: CaseId,
  /** one of the two: the listing, or the credit record (from the code of objection-on-credit-record) */
  entryId: EntryId.optional(),
  recordId: CreditRecordId.optional(),
  subjectId: z.string(),
  authority: z.string(),
  reason: z.string(),
  evidence: z.array(Evidence),
  filedBy: z.string(),
});
export type ObjectionInput = z.infer<typeof ObjectionInput>;

export const RepairInput = z.object({
  caseId: CaseId,
  entryId: EntryId,
  subjectId: z.string(),
  authority: z.string(),
  application: RepairApplication,
  applicationDate: z.string(),
  filedBy: z.string(),
});
export type RepairInput = z.infer<typeof RepairInput>;

const byActor = { by: Actor };
export const ExtendInput = Extension.extend(byActor);
export type ExtendInput = z.infer<typeof ExtendInput>;
export const DecideObjectionInput = ObjectionDecision.extend(byActor);
export type DecideObjectionInput = z.infer<typeof DecideObjectionInput>;
export const AcceptRepairInput = RepairAcceptance.extend(byActor);
export type AcceptRepairInput = z.infer<typeof AcceptRepairInput>;
export const DecideRepairInput = RepairDecision.extend(byActor);
export type DecideRepairInput = z.infer<typeof DecideRepairInput>;
