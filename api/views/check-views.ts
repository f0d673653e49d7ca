/** What the API answers about a recorded check: the stored record under its public id, less the account id. */
import { z } from 'zod';
import { CheckRecord } from '../../domain/check';

export const CheckRecordView = CheckRecord.omit({ _id: true, userId: true }).extend({ checkId: z.string() }).strict();
export type CheckRecordView = z.infer<typeof CheckRecordView>;

export function toCheckRecordView(doc: CheckRecord): CheckRecordView {
  const { _id, userId, ...view } = doc;
  return { checkId: _id, ...view };
}
