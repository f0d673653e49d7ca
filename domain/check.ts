/**
 * 逢办必查: which of a department's measures apply to a subject in an administrative matter, given the
 * department's live tasks for that subject. Pure: the caller fetches the tasks and the catalogue.
 */
import { z } from 'zod';
import { EditionRef, MeasureRef, type Measure } from './measure';
import type { TaskState } from './task';
import { CATEGORIES, CategoryCode, ListKind, matterArea, Severity } from './vocabulary';

/** What the check needs of a live task: the entry it belongs to, its measures, the objection flag. */
export type CheckTask = Pick<TaskState, 'entryId' | 'entry' | 'measures' | 'underObjection'>;

/** An entry in force that the check found. */
export const CheckEntry = z.strictObject({
  entryId: z.string(),
  listKind: ListKind,
  category: CategoryCode,
  categoryLabel: z.string(),
  severity: Severity.optional(),
  authority: z.string(),
  effectiveAt: z.string(),
  expiresAt: z.string(),
  underObjection: z.boolean(),
});
export type CheckEntry = z.infer<typeof CheckEntry>;

/** A measure the department must (or may) apply in the matter, from a task it holds. */
export const CheckMeasure = MeasureRef.pick({ kind: true, title: true, mandatory: true, legalBasis: true })
  .extend({
    measureId: z.string(),
    entryId: z.string(),
    /** The list edition the measure came from (tasks matched before editions existed have none). */
    edition: EditionRef.optional().describe('措施所出自的清单版本'),
  })
  .strict();
export type CheckMeasure = z.infer<typeof CheckMeasure>;

export const CheckResult = z.enum(['clear', 'hit']);

/** What the check concludes; the API's answer adds the check's own id, time and request. */
export const CheckOutcome = z.strictObject({
  result: CheckResult,
  underObjection: z.boolean(),
  entries: z.array(CheckEntry),
  measures: z.array(CheckMeasure),
});
export type CheckOutcome = z.infer<typeof CheckOutcome>;

/** Measure scope as the catalogue defines it; `undefined` when the catalogue no longer has the measure. */
export type MeasureScope = (measureId: string) => Pick<Measure, 'areas' | 'matters'> | undefined;

export function appliesToMatter(scope: Pick<Measure, 'areas' | 'matters'>, matter: string): boolean {
  if (!scope.areas.includes(matterArea(matter))) return false;
  if (scope.matters.length === 0 || !matter.includes('.')) return true;
  return scope.matters.some((mm) => matter === mm || matter.startsWith(`${mm}.`) || mm.startsWith(`${matter}.`));
}

export function evaluateCheck(tasks: CheckTask[], matter: string, scopeOf: MeasureScope): CheckOutcome {
  const entries: CheckEntry[] = tasks.map((t) => ({
    entryId: t.entryId,
    listKind: t.entry.listKind,
    category: t.entry.category,
    categoryLabel: CATEGORIES[t.entry.category]?.label ?? t.entry.category,
    severity: t.entry.severity,
    authority: t.entry.authority,
    effectiveAt: t.entry.effectiveAt,
    expiresAt: t.entry.expiresAt,
    underObjection: !!t.underObjection,
  }));
  const measures: CheckMeasure[] = [];
  for (const t of tasks) {
    for (const m of t.measures) {
      // the scope the task recorded from its edition; tasks matched before editions: the catalogue's
      const scope = m.areas ? { areas: m.areas, matters: m.matters ?? [] } : scopeOf(m.id);
      // a measure the task holds but the catalogue dropped is still shown: the task is what binds
      if (scope && !appliesToMatter(scope, matter)) continue;
      measures.push({
        measureId: m.id,
        entryId: t.entryId,
        kind: m.kind,
        title: m.title,
        mandatory: m.mandatory,
        legalBasis: m.legalBasis,
        ...(m.edition ? { edition: m.edition } : {}),
      });
    }
  }
  return {
    result: entries.length > 0 ? 'hit' : 'clear',
    underObjection: entries.some((e) => e.underObjection),
    entries,
    measures,
  };
}

/** Whether one measure of a check was applied; "not applied" carries the reason. */
export const MeasureDecision = z.strictObject({
  measureId: z.string(),
  applied: z.boolean(),
  reason: z.string().optional(),
});
export type MeasureDecision = z.infer<typeof MeasureDecision>;

/** One check as recorded (in its bucket, domain/check-bucket.ts): who checked whom for which matter, what it found. */
export const CheckRecord = z.strictObject({
  _id: z.string(),
  at: z.string(),
  departmentId: z.string(),
  userId: z.string(),
  userName: z.string(),
  subjectId: z.string(),
  matter: z.string(),
  result: z.enum(['clear', 'hit']),
  underObjection: z.boolean(),
  entryIds: z.array(z.string()),
  measureIds: z.array(z.string()),
  batchId: z.string().optional(),
  decisions: z.array(MeasureDecision).optional(),
  decidedAt: z.string().optional(),
  decidedBy: z.string().optional(),
});
export type CheckRecord = z.infer<typeof CheckRecord>;

/** Every measure of the check decided exactly once; "not applied" needs a reason (Zhongshan model). */
export function validateDecisions(checkMeasureIds: string[], decisions: MeasureDecision[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const d of decisions) {
    if (!checkMeasureIds.includes(d.measureId)) problems.push(`措施 ${d.measureId} 不在本次核查结果中`);
    if (seen.has(d.measureId)) problems.push(`措施 ${d.measureId} 重复填报`);
    seen.add(d.measureId);
    if (!d.applied && !d.reason?.trim()) problems.push(`措施 ${d.measureId} 未执行，须填写理由`);
  }
  for (const id of checkMeasureIds) if (!seen.has(id)) problems.push(`措施 ${id} 未填报是否执行`);
  return problems;
}
