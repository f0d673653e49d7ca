/**
 * Editions of a department's measures list (措施清单版本): the department drafts one (the same schema as
 * the files in measures/data, which are the seed, edition 1, and the import/export format), submits it,
 * the office approves it or returns it with comments per measure, and publishes it with an effective
 * date. Every edition is kept; the one in force on a date is the published edition with the latest
 * effective date not after it. Pure: schemas, the lifecycle's rules and the difference of two editions.
 */
import stringify from 'safe-stable-stringify';
import { z } from 'zod';
import { CivilDate } from './dates';
import { EditionRef, Measure, MeasuresFile } from './measure';
import { text } from './text';

export const EditionStatus = z.enum(['draft', 'submitted', 'returned', 'approved', 'published']);
export type EditionStatus = z.infer<typeof EditionStatus>;
export const EDITION_STATUS_LABELS: Record<EditionStatus, string> = {
  draft: '草稿',
  submitted: '已提交待审核',
  returned: '已退回修改',
  approved: '审核通过待发布',
  published: '已发布',
};

/** The seed (edition 1, from measures/data) is in force from this date: before any listing Xinlian holds. */
export const SEED_EFFECTIVE_FROM = '2000-01-01';

/** `<departmentId>:<number>`: the stored id, and how a task's measure names its edition. */
export const editionId = (departmentId: string, number: number) => `${departmentId}:${number}`;

/** What running listings do when an edition is published: keep the measures they have, or be re-matched. */
export const RunningListings = z.enum(['keep', 'rematch']);
export type RunningListings = z.infer<typeof RunningListings>;

/** A draft as the department sends it: exactly a measures file. */
export const EditionDraft = MeasuresFile;
export type EditionDraft = z.infer<typeof EditionDraft>;

export const MeasureComment = z
  .object({
    measureId: text({ min: 1, max: 200 }).describe('所评措施的编号'),
    comment: text({ min: 2, max: 1000 }).describe('审核意见'),
  })
  .strict();
export type MeasureComment = z.infer<typeof MeasureComment>;

export const ReviewRequest = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('approve'), note: text({ max: 1000 }).optional() }).strict(),
  z
    .object({
      decision: z.literal('return'),
      comments: z.array(MeasureComment).min(1, '退回修改须至少对一项措施提出意见').max(200),
      note: text({ max: 1000 }).optional(),
    })
    .strict(),
]);
export type ReviewRequest = z.infer<typeof ReviewRequest>;

export const PublicationRequest = z
  .object({
    effectiveFrom: CivilDate.describe('生效日期（不早于今天，且晚于本部门已发布版本的生效日期）'),
    runningListings: RunningListings.describe('在办名单条目：keep 保持原措施；rematch 按新版本重新匹配'),
  })
  .strict();
export type PublicationRequest = z.infer<typeof PublicationRequest>;

export const SuspensionRequest = z
  .object({
    measureId: text({ min: 3, max: 200 }).describe('暂停的措施编号'),
    reason: text({ min: 5, max: 1000, tooShort: '请说明不当联结的理由（至少5个字）' }),
  })
  .strict();
export type SuspensionRequest = z.infer<typeof SuspensionRequest>;

export const SuspensionLiftRequest = z
  .object({ reason: text({ min: 5, max: 1000, tooShort: '请说明恢复实施的理由（至少5个字）' }) })
  .strict();
export type SuspensionLiftRequest = z.infer<typeof SuspensionLiftRequest>;

/** The keys of a measure's `round`-th suspension and of its lifting: a measure may be suspended again. */
export const suspensionKeys = (measureId: string, round: number) => {
  const tail = round === 1 ? '' : `:${round}`;
  return {
    key: `suspension:${measureId}${tail}`,
    workflowId: `rematch-suspension-${measureId}${tail.replace(':', '-')}`,
    liftId: `${measureId}:${round}`,
    liftKey: `suspension-lifted:${measureId}:${round}`,
    liftWorkflowId: `rematch-suspension-lifted-${measureId}-${round}`,
  };
};

const Who = z.object({ sub: z.string(), name: z.string() });

export const EditionReview = z.object({
  decision: z.enum(['approve', 'return']),
  by: Who,
  at: z.string(),
  note: z.string().optional(),
  comments: z.array(MeasureComment),
});
export type EditionReview = z.infer<typeof EditionReview>;

/** An edition as stored (collection `measure_editions`). */
export const EditionDoc = z.object({
  _id: z.string(),
  departmentId: z.string(),
  departmentName: z.string(),
  number: z.number().int().min(1),
  label: z.string(),
  status: EditionStatus,
  measures: z.array(Measure),
  basedOn: z.number().int().optional(),
  /** A county department's first edition: the city counterpart's edition it was copied from (re-numbered). */
  copiedFrom: EditionRef.optional(),
  createdAt: z.string(),
  createdBy: Who,
  updatedAt: z.string(),
  submittedAt: z.string().optional(),
  /** Every review, the latest last: a returned edition keeps the comments it was returned with. */
  reviews: z.array(EditionReview),
  publishedAt: z.string().optional(),
  publishedBy: Who.optional(),
  effectiveFrom: CivilDate.optional(),
  runningListings: RunningListings.optional(),
  /** The re-matching run started by the publication (`rematch-<editionId>`), if any. */
  rematchWorkflowId: z.string().optional(),
  /** Internal: set while not published, so that a unique index allows one open edition per department. */
  open: z.boolean().optional(),
});
export type EditionDoc = z.infer<typeof EditionDoc>;

export { EditionRef };
export const editionRefOf = (e: Pick<EditionDoc, 'departmentId' | 'number' | 'label'>): EditionRef => ({
  id: editionId(e.departmentId, e.number),
  number: e.number,
  label: e.label,
});

/** The edition in force on `date` among a department's editions (published only), if any. */
export function editionInForce<E extends Pick<EditionDoc, 'status' | 'effectiveFrom' | 'number'>>(
  editions: E[],
  date: string,
): E | undefined {
  let best: E | undefined;
  for (const e of editions) {
    if (e.status !== 'published' || !e.effectiveFrom || e.effectiveFrom > date) continue;
    if (
      !best ||
      e.effectiveFrom > best.effectiveFrom! ||
      (e.effectiveFrom === best.effectiveFrom && e.number > best.number)
    )
      best = e;
  }
  return best;
}

/**
 * Why a publication on `effectiveFrom` is refused, or undefined: not before today, and after the
 * effective date of every edition of the department already published (periods must not overlap).
 */
export function publicationProblem(
  published: Array<Pick<EditionDoc, 'number' | 'effectiveFrom'>>,
  effectiveFrom: string,
  today: string,
): string | undefined {
  if (effectiveFrom < today) return `生效日期 ${effectiveFrom} 早于今天（${today}），不能追溯生效`;
  const clash = published.find((e) => e.effectiveFrom && e.effectiveFrom >= effectiveFrom);
  if (clash)
    return `生效日期与第 ${clash.number} 版（自 ${clash.effectiveFrom} 起施行）重叠：须晚于 ${clash.effectiveFrom}`;
  return undefined;
}

export interface MeasureChange {
  id: string;
  before: Measure;
  after: Measure;
  /** The fields that differ. */
  fields: string[];
}

export interface EditionDiff {
  added: Measure[];
  retired: Measure[];
  changed: MeasureChange[];
  unchanged: number;
}

/** What changed from one edition's measures to another's, by measure id. */
export function diffMeasures(from: Measure[], to: Measure[]): EditionDiff {
  const before = new Map(from.map((m) => [m.id, m]));
  const after = new Map(to.map((m) => [m.id, m]));
  const diff: EditionDiff = { added: [], retired: [], changed: [], unchanged: 0 };
  for (const m of to) {
    const old = before.get(m.id);
    if (!old) {
      diff.added.push(m);
      continue;
    }
    const keys = [...new Set([...Object.keys(old), ...Object.keys(m)])] as Array<keyof Measure>;
    const fields = keys.filter((k) => stringify(old[k]) !== stringify(m[k]));
    if (fields.length) diff.changed.push({ id: m.id, before: old, after: m, fields });
    else diff.unchanged++;
  }
  for (const m of from) if (!after.has(m.id)) diff.retired.push(m);
  return diff;
}

/** Comments that name a measure the edition does not hold. */
export const unknownCommented = (measures: Measure[], comments: MeasureComment[]) =>
  comments.filter((c) => !measures.some((m) => m.id === c.measureId)).map((c) => c.measureId);
