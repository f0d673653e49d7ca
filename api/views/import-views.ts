/** What the API answers about an import: the stored record less the uploader's account id. */
import { z } from 'zod';
import { pageOf } from '../../domain/pagination';
import { ImportRecord } from '../../domain/import';

export const ImportView = ImportRecord.omit({ bySub: true }).strict();
export type ImportView = z.infer<typeof ImportView>;
export const ImportList = pageOf(ImportView);

export function toImportView(doc: ImportRecord & { _id?: unknown }): ImportView {
  const { _id, bySub, ...view } = doc;
  return view;
}
