/**
 * The credit-record side of the import workflow (workflows/import.ts): the import's next valid rows are
 * delivered as the uploading department through the same service as `POST /departments/me/credit-records`
 * (keyed by department + its own record id, so a repeated file changes nothing). Safe to retry:
 * - each row's record version before this import is recorded once, before anything is written, so a
 *   retried chunk still tells a record it created or corrected from one that was already so;
 * - a row moves valid → applied (or → refused, when its record cannot be corrected this way) once,
 *   by a conditional update;
 * - the counters and the refused rows of the import are recomputed from the rows after every chunk.
 */
import { Context } from '@temporalio/activity';
import { CreditRecordService } from '../api/services/credit-record-service';
import { recordsById } from '../db/credit-records';
import { ImportModel, ImportRowModel, type ImportDoc, type ImportRowDoc } from '../db/models';

/** Rows per activity call: one read of the stored records and one bulk write. */
export const RECORD_CHUNK = 1000;
/** Refused rows kept on the import itself (as api/services/import-service.ts keeps them at upload). */
const REFUSED_IN_VIEW = 200;
const RECORD_COLUMN = '记录编号';

type Counts = Pick<ImportDoc, 'processed' | 'created' | 'corrected' | 'existing' | 'valid' | 'refused'>;

/** The counters as the rows have them (exact, whatever happened before); refusals made while applying included. */
export async function recountRecordImport(importId: string): Promise<Counts> {
  const [groups, imp] = await Promise.all([
    ImportRowModel.aggregate<{ _id: { status: string; outcome?: string }; n: number }>([
      { $match: { importId, status: { $in: ['applied', 'refused'] } } },
      { $group: { _id: { status: '$status', outcome: '$outcome' }, n: { $sum: 1 } } },
    ]),
    ImportModel.findById(importId, { total: 1, refused: 1 }).lean(),
  ]);
  const n = (status: string, outcome?: string) =>
    groups
      .filter((g) => g._id.status === status && (!outcome || g._id.outcome === outcome))
      .reduce((a, g) => a + g.n, 0);
  const [created, corrected, existing, refused] = [
    n('applied', 'created'),
    n('applied', 'corrected'),
    n('applied', 'unchanged'),
    n('refused'),
  ];
  const counts = { processed: created + corrected + existing, created, corrected, existing, refused };
  const set: Record<string, unknown> = { ...counts, valid: imp!.total - refused };
  if (refused !== imp!.refused) {
    const first = await ImportRowModel.find({ importId, status: 'refused' }, { line: 1, field: 1, reason: 1 })
      .sort({ line: 1 })
      .limit(REFUSED_IN_VIEW)
      .lean();
    set.refusedRows = first.map((r) => ({
      line: r.line,
      ...(r.field ? { field: r.field } : {}),
      reason: r.reason ?? '',
    }));
    set.refusedRowsTruncated = refused > REFUSED_IN_VIEW;
  }
  await ImportModel.updateOne({ _id: importId }, { $set: set });
  return { ...counts, valid: imp!.total - refused };
}

/** Records, once per row, the version its record had before this import wrote it (0: none). */
async function recordVersionsBefore(importId: string, rows: ImportRowDoc[]): Promise<ImportRowDoc[]> {
  const unknown = rows.filter((r) => r.versionBefore === undefined);
  if (unknown.length === 0) return rows;
  const stored = await recordsById(unknown.map((r) => r.recordId!));
  await ImportRowModel.bulkWrite(
    unknown.map((r) => ({
      updateOne: {
        filter: { _id: r._id, versionBefore: { $exists: false } },
        update: { $set: { versionBefore: stored.get(r.recordId!)?.version ?? 0 } },
      },
    })),
    { ordered: false },
  );
  // another attempt may have recorded first: its answer stands
  return ImportRowModel.find({ importId, _id: { $in: rows.map((r) => r._id) } }).lean();
}

/** Delivers the next valid rows of a credit-record import; `more` is false once none are left. */
export async function applyRecordChunk(
  imp: Pick<ImportDoc, 'importId' | 'departmentId' | 'departmentName' | 'by'>,
  limit = RECORD_CHUNK,
): Promise<{ started: number; more: boolean }> {
  const found = await ImportRowModel.find({ importId: imp.importId, status: 'valid' })
    .sort({ line: 1 })
    .limit(limit)
    .lean();
  if (found.length === 0) return { started: 0, more: false };
  const rows = await recordVersionsBefore(imp.importId, found);
  const who = { departmentId: imp.departmentId!, departmentName: imp.departmentName!, by: imp.by };
  const results = await new CreditRecordService().deliverEach(
    who,
    rows.map((r) => r.record!),
  );
  Context.current().heartbeat(found.length);
  const byRecord = new Map(results.map((r) => [r.recordId, r]));
  const at = new Date().toISOString();
  await ImportRowModel.bulkWrite(
    rows.map((row) => {
      const r = byRecord.get(row.recordId!)!;
      const set: Partial<ImportRowDoc> =
        r.result === 'refused'
          ? { status: 'refused', field: RECORD_COLUMN, reason: r.reason }
          : {
              status: 'applied',
              appliedAt: at,
              outcome: row.versionBefore === 0 ? 'created' : r.version > row.versionBefore! ? 'corrected' : 'unchanged',
            };
      return { updateOne: { filter: { _id: row._id, status: 'valid' }, update: { $set: set } } };
    }),
    { ordered: false },
  );
  await recountRecordImport(imp.importId);
  return { started: found.length, more: found.length === limit };
}
