/** What the API answers about an import: the stored record less the uploader's account id, with its kind. */
import { z } from 'zod';
import { pageOf } from '../../domain/pagination';
import { ImportKind, ImportRecord } from '../../domain/import';

export const ImportView = ImportRecord.omit({ bySub: true }).extend({ kind: ImportKind }).strict();
export type ImportView = z.infer<typeof ImportView>;
export const ImportList = pageOf(ImportView);

export function toImportView(doc: ImportRecord & { _id?: unknown }): ImportView {
  const { _id, bySub, ...view } = doc;
  return { ...view, kind: doc.kind ?? 'listings' };
}
