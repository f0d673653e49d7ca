/**
 * What the API answers about measures list editions and suspensions: views derived from the domain
 * schemas, joined to the stored documents by named mappers (the internal `open` flag and MongoDB ids
 * never leave the API).
 */
import { z } from 'zod';
import { EditionDoc, EDITION_STATUS_LABELS, type EditionDiff } from '../../domain/measure-edition';
import { Measure, MeasuresFile } from '../../domain/measure';
import type { SuspensionDoc, SuspensionLiftDoc } from '../../db/measure-editions';

export const EditionView = EditionDoc.omit({ _id: true, open: true })
  .extend({ id: z.string(), statusLabel: z.string() })
  .strict();
export type EditionView = z.infer<typeof EditionView>;

export const EditionSummaryView = EditionView.omit({ measures: true, reviews: true })
  .extend({ measureCount: z.number().int().optional() })
  .strict();
export type EditionSummaryView = z.infer<typeof EditionSummaryView>;

export function toEditionView(doc: EditionDoc): EditionView {
  const { _id, open, ...rest } = doc;
  return { id: _id, ...rest, statusLabel: EDITION_STATUS_LABELS[doc.status] };
}

export function toEditionSummaryView(doc: Omit<EditionDoc, 'measures'> & { measures?: unknown[] }): EditionSummaryView {
  const { _id, open, measures, reviews, ...rest } = doc;
  return {
    id: _id,
    ...rest,
    statusLabel: EDITION_STATUS_LABELS[doc.status],
    ...(measures ? { measureCount: measures.length } : {}),
  };
}

/** An edition as a measures file (the import/export format, the same as measures/data/*.json). */
export const EditionFileView = MeasuresFile;
export function toEditionFile(doc: EditionDoc): z.input<typeof MeasuresFile> {
  return { department: { id: doc.departmentId, name: doc.departmentName }, edition: doc.label, measures: doc.measures };
}

export const EditionDiffView = z
  .object({
    departmentId: z.string(),
    from: z.object({ number: z.number().int(), label: z.string(), status: z.string() }).strict(),
    to: z.object({ number: z.number().int(), label: z.string(), status: z.string() }).strict(),
    added: z.array(Measure),
    retired: z.array(Measure),
    changed: z.array(
      z.object({ id: z.string(), before: Measure, after: Measure, fields: z.array(z.string()) }).strict(),
    ),
    unchanged: z.number().int(),
  })
  .strict();
export type EditionDiffView = z.infer<typeof EditionDiffView>;

export function toEditionDiffView(from: EditionDoc, to: EditionDoc, diff: EditionDiff): EditionDiffView {
  const side = (e: EditionDoc) => ({ number: e.number, label: e.label, status: e.status });
  return { departmentId: to.departmentId, from: side(from), to: side(to), ...diff };
}

export const SuspensionView = z
  .object({
    measureId: z.string(),
    departmentId: z.string(),
    reason: z.string(),
    by: z.string(),
    at: z.string(),
    rematchWorkflowId: z.string(),
  })
  .strict();
export type SuspensionView = z.infer<typeof SuspensionView>;

export const toSuspensionView = (d: SuspensionDoc): SuspensionView => ({
  measureId: d.measureId,
  departmentId: d.departmentId,
  reason: d.reason,
  by: d.by.name,
  at: d.at,
  rematchWorkflowId: d.rematchWorkflowId,
});

export const SuspensionLiftView = z
  .object({
    measureId: z.string(),
    reason: z.string().describe('恢复实施的理由'),
    by: z.string(),
    at: z.string(),
    suspension: SuspensionView.pick({ reason: true, by: true, at: true }).describe('所解除的暂停'),
    rematchWorkflowId: z.string().describe('为在办名单条目恢复该措施的重新匹配流程'),
  })
  .strict();
export type SuspensionLiftView = z.infer<typeof SuspensionLiftView>;

export const toSuspensionLiftView = (d: SuspensionLiftDoc): SuspensionLiftView => ({
  measureId: d.measureId,
  reason: d.reason,
  by: d.by.name,
  at: d.at,
  suspension: { reason: d.suspension.reason, by: d.suspension.by.name, at: d.suspension.at },
  rematchWorkflowId: d.rematchWorkflowId,
});
