/**
 * Bulk import use-cases: check an uploaded list file (the office) or credit-record file (a department, as
 * itself), store its rows and start the import workflow; read imports back; the refused rows and the
 * templates as files.
 */
import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/client';
import { cstDate } from '../../domain/cst';
import { toCsvText } from '../../domain/csv';
import { recordTemplate, type RecordFileContext, type RecordImportRow } from '../../domain/credit-record-file';
import { importTemplate, WholeFileError, type ImportRow } from '../../domain/import-file';
import { oversizeProblem, toXlsx, XLSX_TYPE } from '../../domain/spreadsheet';
import { ImportModel, ImportRowModel, type ImportDoc, type ImportRowDoc } from '../../db/models';
import { importWorkflow, importWorkflowId } from '../../workflows/import';
import { HttpError } from '../errors';
import { RawResponse } from '../route';
import { parseFileInThread, parseImportFileInThread } from './parse-in-thread';
import { toImportView, type ImportView } from '../views/import-views';
import { findPage, type SortKey } from '../../db/paging';
import { mapPage, type Page, type PageRequest } from '../../domain/pagination';

/** Refused rows kept on the import itself (the view); all of them are in refused.csv. */
export const REFUSED_IN_VIEW = 200;
const INSERT_BATCH = 5000;
/**
 * Files read at once per API process. Reading takes memory in proportion to the file (a 100,000-row
 * XLSX takes about 1.2 GB in its thread), so more uploads at the same time are refused with 429
 * instead of risking the process that also serves the checks.
 */
export const CONCURRENT_READS = 2;

const refusal = (r: { line: number; field?: string; reason?: string }) => ({
  line: r.line,
  ...(r.field ? { field: r.field } : {}),
  reason: r.reason ?? '',
});

/** Who reads imports: the office (every import) or one department (its own credit-record files). */
type Scope = { office: true } | { departmentId: string };
const OFFICE: Scope = { office: true };
/** The office's list: list files (stored imports from before kinds have none). */
const LISTING_IMPORTS = { kind: { $in: ['listings', null] } };

interface UploadInput {
  bytes: Buffer;
  filename?: string;
  contentType: string;
  by: { sub: string; name: string };
}

function recordRowDoc(importId: string, r: RecordImportRow): ImportRowDoc {
  const base = { _id: `${importId}:${r.line}`, importId, line: r.line };
  return r.status === 'valid'
    ? { ...base, status: 'valid', recordId: r.recordId, record: r.record }
    : { ...base, status: 'refused', ...refusal(r) };
}

function rowDoc(importId: string, r: ImportRow): ImportRowDoc {
  const base = { _id: `${importId}:${r.line}`, importId, line: r.line };
  return r.status === 'valid'
    ? { ...base, status: 'valid', entryId: r.entryId, request: r.request }
    : { ...base, status: 'refused', ...refusal(r) };
}

export class ImportService {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    /** Task queue of the listing workflows the import starts (the same as its own unless told otherwise). */
    private readonly listingTaskQueue = taskQueue,
    private readonly maxConcurrentReads = CONCURRENT_READS,
  ) {}

  private reading = 0;

  /**
   * Checks the file; stores its rows and the import; starts `import-<importId>`. A file that cannot be used stores
   * nothing.
   */
  async upload(input: UploadInput): Promise<ImportView> {
    const parsed = await this.read(input.bytes, () =>
      parseImportFileInThread(input.bytes, { filename: input.filename, contentType: input.contentType }),
    );
    return this.store(input, parsed, (importId, r) => rowDoc(importId, r), { kind: 'listings' });
  }

  /**
   * A department's credit-record file, delivered as that department: the same checks, rows, workflow and
   * progress as a list file; its valid rows are applied as credit records (activities/record-import-activities.ts).
   */
  async uploadRecords(input: UploadInput & { department: RecordFileContext }): Promise<ImportView> {
    const parsed = await this.read(input.bytes, () =>
      parseFileInThread(
        'credit_records',
        input.bytes,
        { filename: input.filename, contentType: input.contentType },
        input.department,
      ),
    );
    return this.store(input, parsed, recordRowDoc, {
      kind: 'credit_records',
      departmentId: input.department.departmentId,
      departmentName: input.department.departmentName,
    });
  }

  /**
   * Reads a file in a parsing thread, within the limit of files read at once; an XLSX over its size limit
   * answers 413 before any reading, whole-file problems 422.
   */
  private async read<T>(bytes: Uint8Array, parse: () => Promise<T>): Promise<T> {
    const oversize = oversizeProblem(bytes);
    if (oversize) throw new HttpError(413, 'payload_too_large', oversize);
    // the slot is taken before the first await, so simultaneous uploads cannot all pass the test
    if (this.reading >= this.maxConcurrentReads) {
      throw new HttpError(
        429,
        'too_many_imports',
        `正在读取其他 ${this.reading} 个导入文件，请等其读取完成（通常不超过一分钟）后再上传；本次上传未保存任何内容`,
      );
    }
    this.reading += 1;
    try {
      return await parse();
    } catch (e) {
      if (e instanceof WholeFileError) throw new HttpError(422, 'invalid_file', e.message);
      throw e;
    } finally {
      this.reading -= 1;
    }
  }

  /** Stores the rows, then the import document, then starts the workflow. */
  private async store<R extends { line: number; status: string; field?: string; reason?: string }>(
    input: UploadInput,
    parsed: { format: ImportDoc['format']; rows: R[] },
    toRow: (importId: string, r: R) => ImportRowDoc,
    kind: Pick<ImportDoc, 'kind' | 'departmentId' | 'departmentName'>,
  ): Promise<ImportView> {
    const importId = `I${randomBytes(10).toString('hex')}`;
    const refused = parsed.rows.filter((r) => r.status === 'refused');
    const docs = parsed.rows.map((r) => toRow(importId, r));
    for (let i = 0; i < docs.length; i += INSERT_BATCH)
      await ImportRowModel.collection.insertMany(docs.slice(i, i + INSERT_BATCH) as never[], { ordered: false });
    const doc: ImportDoc = {
      _id: importId,
      importId,
      ...kind,
      filename: input.filename ?? `导入文件.${parsed.format}`,
      format: parsed.format,
      status: 'running',
      createdAt: new Date().toISOString(),
      by: input.by.name,
      bySub: input.by.sub,
      total: parsed.rows.length,
      valid: parsed.rows.length - refused.length,
      refused: refused.length,
      processed: 0,
      created: 0,
      ...(kind.kind === 'credit_records' ? { corrected: 0 } : {}),
      existing: 0,
      refusedRows: refused.slice(0, REFUSED_IN_VIEW).map(refusal),
      refusedRowsTruncated: refused.length > REFUSED_IN_VIEW,
    };
    // the import document comes after its rows: whoever sees the import sees all of them
    await ImportModel.collection.insertOne(doc as never);
    try {
      await this.client.workflow.start(importWorkflow, {
        workflowId: importWorkflowId(importId),
        taskQueue: this.taskQueue,
        args: [{ importId, taskQueue: this.listingTaskQueue }],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
    } catch (e) {
      const error = '无法启动导入流程（工作流服务暂不可用），本次导入未执行，请稍后重新上传';
      await ImportModel.updateOne(
        { _id: importId },
        { $set: { status: 'failed', finishedAt: new Date().toISOString(), error } },
      );
      console.error(`[import] ${importId}: starting the workflow failed:`, e);
      throw new HttpError(503, 'unavailable', error);
    }
    return toImportView(doc);
  }

  /** The imports, newest first, a page at a time: the office's list files, or one department's credit-record files. */
  async list(page: PageRequest, scope: Scope = OFFICE): Promise<Page<ImportView>> {
    const filter: Record<string, unknown> =
      'departmentId' in scope ? { kind: 'credit_records', departmentId: scope.departmentId } : LISTING_IMPORTS;
    const order: SortKey[] = [
      { field: 'createdAt', dir: -1 },
      { field: '_id', dir: -1 },
    ];
    return mapPage(await findPage<ImportDoc>(ImportModel, filter, order, page, { total: true }), toImportView);
  }

  /** One import; a department sees only its own credit-record files (any other answers 404). */
  async get(importId: string, scope: Scope = OFFICE): Promise<ImportView> {
    const doc = await ImportModel.findById(importId).lean();
    const visible = doc && (!('departmentId' in scope) || doc.departmentId === scope.departmentId);
    if (!visible) throw new HttpError(404, 'not_found', `导入 ${importId} 不存在`);
    return toImportView(doc);
  }

  /** Every refused row, in file order, as CSV (UTF-8 with BOM). */
  async refusedCsv(importId: string, scope: Scope = OFFICE): Promise<RawResponse> {
    await this.get(importId, scope);
    const rows = await ImportRowModel.find({ importId, status: 'refused' }, { line: 1, field: 1, reason: 1 })
      .sort({ line: 1 })
      .lean();
    return new RawResponse(
      'text/csv; charset=utf-8',
      toCsvText(
        ['行号', '字段', '原因'],
        rows.map((r) => [r.line, r.field ?? '', r.reason ?? '']),
      ),
      `被拒绝的行_${importId}.csv`,
    );
  }

  /** The template with the Chinese headers and one example row that imports as it stands. */
  async template(format: 'csv' | 'xlsx'): Promise<RawResponse> {
    const t = importTemplate(cstDate(new Date()));
    if (format === 'csv')
      return new RawResponse('text/csv; charset=utf-8', toCsvText(t.header, [t.example]), '名单导入模板.csv');
    const xlsx = await toXlsx([
      {
        name: '名单',
        header: t.header,
        rows: [t.example],
        textColumns: t.textColumns,
        widths: t.header.map((h) => (h === '认定依据' || h === '事由' ? 40 : Math.max(12, h.length * 2 + 4))),
      },
      { name: '填写说明', header: ['列名', '必填', '填写说明', '可用的列名'], rows: t.notes, widths: [26, 10, 80, 60] },
    ]);
    return new RawResponse(XLSX_TYPE, xlsx, '名单导入模板.xlsx');
  }

  /** The credit-record template (the department's name in 来源单位), with one example row that imports as it stands. */
  async recordTemplate(format: 'csv' | 'xlsx', departmentName: string): Promise<RawResponse> {
    const t = recordTemplate(cstDate(new Date()), departmentName);
    if (format === 'csv')
      return new RawResponse('text/csv; charset=utf-8', toCsvText(t.header, [t.example]), '信用记录导入模板.csv');
    const xlsx = await toXlsx([
      { name: '信用记录', header: t.header, rows: [t.example], textColumns: t.textColumns },
      { name: '填写说明', header: ['列名', '必填', '填写说明', '可用的列名'], rows: t.notes, widths: [26, 10, 80, 60] },
    ]);
    return new RawResponse(XLSX_TYPE, xlsx, '信用记录导入模板.xlsx');
  }
}
