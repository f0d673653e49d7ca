/**
 * The structure of a printable document (credit report, prior notice, repair notice…): a title, header
 * fields, sections of paragraphs / field lists / tables / signature blocks, an optional QR code and a
 * footer. Defined once as a zod schema so a caller's spec is checked before anything is drawn.
 */
import { z } from 'zod';

export const PdfField = z.object({ label: z.string().min(1), value: z.string() });

export const PdfColumn = z.object({
  header: z.string(),
  /** relative width; the columns share the page width in proportion */
  width: z.number().positive().default(1),
  align: z.enum(['left', 'center', 'right']).default('left'),
});

export const PdfBlock = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('paragraph'), text: z.string(), indent: z.boolean().default(false) }),
  z.object({ kind: z.literal('note'), text: z.string() }),
  z.object({ kind: z.literal('fields'), fields: z.array(PdfField) }),
  z.object({
    kind: z.literal('table'),
    columns: z.array(PdfColumn).min(1),
    rows: z.array(z.array(z.string())),
    /** shown in one full-width row when `rows` is empty (e.g. “未发现违法违规记录”) */
    emptyText: z.string().optional(),
  }),
  /** right-aligned closing lines: issuer, date */
  z.object({ kind: z.literal('signature'), lines: z.array(z.string()).min(1) }),
]);

export const PdfSection = z.object({ heading: z.string(), blocks: z.array(PdfBlock) });

export const PdfDocumentSpec = z.object({
  title: z.string().min(1),
  subtitle: z.string().optional(),
  /** key/value lines under the title (report number, subject, period…) */
  headerFields: z.array(PdfField).default([]),
  sections: z.array(PdfSection).default([]),
  /** drawn as vector modules at the top right of the first page */
  qr: z.object({ text: z.string().min(1), caption: z.string().optional() }).optional(),
  /** left part of every page's footer; the right part is “第 n 页 共 m 页” */
  footer: z.string().optional(),
  /** document information dictionary; `creationDate` also makes the output reproducible */
  info: z
    .object({
      author: z.string().optional(),
      subject: z.string().optional(),
      keywords: z.string().optional(),
      creationDate: z.date().optional(),
    })
    .default({}),
});

export type PdfField = z.infer<typeof PdfField>;
export type PdfBlock = z.input<typeof PdfBlock>;
export type PdfSection = z.input<typeof PdfSection>;
/** What callers write (defaults optional). */
export type PdfDocumentInput = z.input<typeof PdfDocumentSpec>;
/** What the renderer draws (defaults filled). */
export type PdfDocument = z.output<typeof PdfDocumentSpec>;
