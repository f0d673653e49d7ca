/**
 * Activities of the import workflow: start the listings of an import's valid rows, a chunk at a time,
 * and close the import. A credit-record file's rows are applied as records instead
 * (activities/record-import-activities.ts), decided by the import's kind. Each is safe to retry:
 * - a row moves valid → started once (a conditional update), so a retried chunk skips what is done;
 * - whether its entry existed before is recorded on the row before its listing is started, so a retry
 *   after a crash between "started" and "recorded" still counts the entry as created, not as existing;
 * - the counters on the import document follow each row at once (for progress) and are recomputed
 *   from the rows at the end of every chunk, so a crash between the two writes is healed.
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { appendAudit } from '../db/audit-log';
import { ImportModel, ImportRowModel, ListingModel, type ImportDoc, type ImportRowDoc } from '../db/models';
import { startListing } from '../api/services/listing-start';
import { createNoticeIssuer, type NoticeIssuer } from '../api/services/notice-issue';
import { loadCatalogue } from '../measures/catalogue';
import { SYSTEM } from './projection';
import { applyRecordChunk, recountRecordImport } from './record-import-activities';

/** Rows per activity call, and listings started at the same time within it. */
export const IMPORT_CHUNK = 200;
const IN_FLIGHT = 16;

import type { ImportCounts } from '../domain/import';
export type { ImportCounts };

/** Runs `fn` over the items with at most `limit` in flight. */
export async function inParallel<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

/** The counters as the rows have them (exact, whatever happened before). */
async function recount(importId: string): Promise<Pick<ImportDoc, 'processed' | 'created' | 'existing'>> {
  const groups = await ImportRowModel.aggregate<{ _id: boolean; n: number }>([
    { $match: { importId, status: 'started' } },
    { $group: { _id: '$created', n: { $sum: 1 } } },
  ]);
  const created = groups.find((g) => g._id === true)?.n ?? 0;
  const existing = groups.find((g) => g._id !== true)?.n ?? 0;
  const counts = { processed: created + existing, created, existing };
  await ImportModel.updateOne({ _id: importId }, { $set: counts });
  return counts;
}

/** Records, once per row, whether its entry was already there before this import started it. */
async function recordExistence(importId: string, rows: ImportRowDoc[]): Promise<ImportRowDoc[]> {
  const unknown = rows.filter((r) => r.existedBefore === undefined);
  if (unknown.length === 0) return rows;
  const existing = new Set(
    (await ListingModel.find({ _id: { $in: unknown.map((r) => r.entryId!) } }, { _id: 1 }).lean()).map((l) => l._id),
  );
  await ImportRowModel.bulkWrite(
    unknown.map((r) => ({
      updateOne: {
        filter: { _id: r._id, existedBefore: { $exists: false } },
        update: { $set: { existedBefore: existing.has(r.entryId!) } },
      },
    })),
    { ordered: false },
  );
  // another attempt may have recorded first: its answer stands
  return ImportRowModel.find({ importId, _id: { $in: rows.map((r) => r._id) } }).lean();
}

export function createImportActivities(client: Client) {
  // an imported row's notices are generated as a posted entry's are (the catalogue read on first use)
  let issuer: NoticeIssuer | undefined;
  const notices = (importId: string) => ({ issuer: (issuer ??= createNoticeIssuer(loadCatalogue())), by: importId });
  return {
    /** Starts the listings of the next valid rows (in file order); `more` is false once none are left. */
    async startImportChunk(input: {
      importId: string;
      taskQueue: string;
      limit?: number;
    }): Promise<{ started: number; more: boolean }> {
      const imp = await ImportModel.findById(input.importId, {
        kind: 1,
        importId: 1,
        departmentId: 1,
        departmentName: 1,
        by: 1,
      }).lean();
      if (imp?.kind === 'credit_records') return applyRecordChunk(imp, input.limit);
      const limit = input.limit ?? IMPORT_CHUNK;
      const found = await ImportRowModel.find({ importId: input.importId, status: 'valid' })
        .sort({ line: 1 })
        .limit(limit)
        .lean();
      if (found.length === 0) return { started: 0, more: false };
      const rows = await recordExistence(input.importId, found);
      let done = 0;
      await inParallel(rows, IN_FLIGHT, async (row) => {
        if (row.status !== 'valid') return;
        const r = await startListing(
          client,
          input.taskQueue,
          row.request!,
          row.existedBefore,
          notices(`批量导入 ${input.importId}`),
        );
        const moved = await ImportRowModel.updateOne(
          { _id: row._id, status: 'valid' },
          { $set: { status: 'started', created: r.created, startedAt: new Date().toISOString() } },
        );
        if (moved.modifiedCount === 1)
          await ImportModel.updateOne(
            { _id: input.importId },
            { $inc: { processed: 1, [r.created ? 'created' : 'existing']: 1 } },
          );
        Context.current().heartbeat(++done);
      });
      await recount(input.importId);
      return { started: found.length, more: found.length === limit };
    },

    /** Closes the import: exact counters, completed (or failed with the reason), audited once. */
    async finishImport(input: { importId: string; error?: string }): Promise<ImportCounts> {
      const kind = (await ImportModel.findById(input.importId, { kind: 1 }).lean())?.kind;
      const counts =
        kind === 'credit_records'
          ? await recountRecordImport(input.importId).then(({ processed, created, corrected, existing }) => ({
              processed,
              created,
              corrected,
              existing,
            }))
          : await recount(input.importId);
      // only a running import is closed: a repeated call keeps the first outcome
      await ImportModel.updateOne(
        { _id: input.importId, status: 'running' },
        {
          $set: {
            status: input.error ? 'failed' : 'completed',
            finishedAt: new Date().toISOString(),
            ...(input.error ? { error: input.error } : {}),
          },
        },
      );
      const { status, error } = (await ImportModel.findById(input.importId, { status: 1, error: 1 }).lean())!;
      await appendAudit({
        key: `import:${input.importId}:finished`,
        actor: SYSTEM,
        action: `import.${status}`,
        target: { kind: 'import', id: input.importId },
        after: { status, ...counts, ...(error ? { error } : {}) },
        requestId: input.importId,
      });
      return { status, ...counts };
    },
  };
}

export type ImportActivities = ReturnType<typeof createImportActivities>;
