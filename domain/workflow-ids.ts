/**
 * Business workflow ids, one builder per kind of workflow: the same business key always names the same
 * execution, which is what makes a repeated start harmless. `workflowKindOf` reads the kind back (the
 * API names it in a 404).
 */
export const listingWorkflowId = (entryId: string) => `listing-${entryId}`;
export const objectionWorkflowId = (caseId: string) => `objection-${caseId}`;
export const repairWorkflowId = (caseId: string) => `repair-${caseId}`;
export const importWorkflowId = (importId: string) => `import-${importId}`;
export const webhookWorkflowId = (messageId: string) => `webhook-${messageId}`;
/** The re-planning run of a calendar year's arrangement, one per version entered. */
export const calendarReplanWorkflowId = (year: number, version: number) => `calendar-replan-${year}-v${version}`;
/** The re-matching run of a published edition (`<department>:<n>`). */
export const editionRematchWorkflowId = (editionId: string) => `rematch-edition-${editionId.replace(':', '-')}`;
/** The feedback batch sent up to the provincial platform for a period. */
export const upstreamFeedbackWorkflowId = (batchId: string) => `upstream-feedback-${batchId}`;

const KINDS = { listing: '名单条目', objection: '异议案件', repair: '信用修复案件', import: '导入批次' } as const;
export type WorkflowKind = keyof typeof KINDS;

/** The kind of workflow an id names, and its name for people; undefined for an id of no known kind. */
export function workflowKindOf(workflowId: string): { kind: WorkflowKind; name: string } | undefined {
  const kind = workflowId.slice(0, workflowId.indexOf('-')) as WorkflowKind;
  return kind in KINDS ? { kind, name: KINDS[kind] } : undefined;
}
export const upstreamBatchWorkflowId = (batchId: string) => `upstream-batch-${batchId}`;
export const UPSTREAM_PULL_WORKFLOW_ID = 'upstream-pull';
