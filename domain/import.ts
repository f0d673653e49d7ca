/**
 * A bulk import of a list file (名单批量导入): its counters and first refusals, as stored and (less the
 * uploader's account id) as the API answers it. One schema; the stored document and the view derive.
 */
import { z } from 'zod';
import { ImportId } from './ids';

export const ImportStatus = z.enum(['running', 'completed', 'failed']);
export const ImportFormat = z.enum(['csv', 'xlsx']);

export const RefusedRow = z
  .object({
    line: z.number().int().describe('文件中的行号（表头为第1行）'),
    field: z.string().optional().describe('列名'),
    reason: z.string(),
  })
  .strict();
export type RefusedRow = z.infer<typeof RefusedRow>;

export const ImportRecord = z.object({
  importId: ImportId,
  filename: z.string(),
  format: ImportFormat,
  status: ImportStatus,
  createdAt: z.string(),
  finishedAt: z.string().optional(),
  by: z.string().describe('上传人'),
  /** The uploader's account id. Internal. */
  bySub: z.string(),
  total: z.number().int().describe('数据行数'),
  valid: z.number().int().describe('通过校验的行数'),
  refused: z.number().int().describe('被拒绝的行数'),
  processed: z.number().int().describe('已启动名单流程的有效行数（= created + existing）'),
  created: z.number().int().describe('新建的名单条目'),
  existing: z.number().int().describe('已存在（未重复创建）的名单条目'),
  refusedRows: z.array(RefusedRow).describe('被拒绝的行（前200行）'),
  refusedRowsTruncated: z.boolean().describe('被拒绝的行多于200行；全部见 refused.csv'),
  error: z.string().optional(),
});
export type ImportRecord = z.infer<typeof ImportRecord>;

/** What the progress counters of an import are (the import workflow's result). */
export type ImportCounts = Pick<ImportRecord, 'status' | 'processed' | 'created' | 'existing'>;
