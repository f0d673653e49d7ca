/**
 * A notice's content (domain/notice.ts) laid out for infra/pdf: the title, the header fields, the
 * addressee, one section per heading (paragraphs, the measures table), the closing lines. The PDF's
 * creation date is the serving date, so the document carries no time of its own rendering.
 */
import type { PdfBlock, PdfDocumentInput } from '../../infra/pdf';
import type { NoticeContent } from '../../domain/notice';
import { startOfCstDay } from '../../domain/cst';

export function noticeDocument(c: NoticeContent): PdfDocumentInput {
  return {
    title: c.title,
    subtitle: c.issuer,
    headerFields: c.fields,
    sections: [
      { heading: c.addressee, blocks: [] },
      ...c.sections.map((s) => ({
        heading: s.heading,
        blocks: [
          ...s.paragraphs.map((text): PdfBlock => ({ kind: 'paragraph', text, indent: true })),
          ...(s.table
            ? [
                {
                  kind: 'table' as const,
                  columns: s.table.columns.map((header, i) => ({
                    header,
                    width: [0.5, 1.6, 3.2, 2.6][i] ?? 1,
                    align: i === 0 ? ('center' as const) : ('left' as const),
                  })),
                  rows: s.table.rows,
                },
              ]
            : []),
        ],
      })),
      { heading: '', blocks: [{ kind: 'signature', lines: c.closing }] },
    ],
    footer: `告知书编号 ${c.noticeNo}`,
    info: {
      creationDate: startOfCstDay(c.dates.servedOn),
      subject: c.title,
      author: c.issuer,
      keywords: c.noticeNo,
    },
  };
}
