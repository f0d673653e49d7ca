/**
 * A bulk import of a file: a list file (名单批量导入, the office) or a credit-record file (信用记录批量报送,
 * a department, as itself). Its counters and first refusals, as stored and (less the uploader's account
 * id) as the API answers it. One schema; the stored document and the view derive.
 */
import { z } from 'zod';
import { ImportId } from './ids';

export const ImportStatus = z.enum(['running', 'completed', 'failed']);
export const ImportFormat = z.enum(['csv', 'xlsx']);
/** What the rows of a file become. A stored import without a kind is a list file (the first kind). */
export const ImportKind = z.enum(['listings', 'credit_records']);
export type ImportKind = z.infer<typeof ImportKind>;

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
  kind: ImportKind.optional().describe('listings 名单文件 / credit_records 信用记录文件'),
  /** The department a credit-record file is delivered as (the uploader's own). */
  departmentId: z.string().optional().describe('报送部门代码（信用记录文件）'),
  departmentName: z.string().optional().describe('报送部门（信用记录文件）'),
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
  processed: z
    .number()
    .int()
    .describe(
      '已处理的有效行数（名单：已启动名单流程 = created + existing；信用记录：= created + corrected + existing）',
    ),
  created: z.number().int().describe('新建的名单条目或信用记录'),
  corrected: z.number().int().optional().describe('信用记录文件：内容不同、作为更正版本保存的记录'),
  existing: z.number().int().describe('已存在（未重复创建）的名单条目；信用记录文件：内容相同、未作改变的记录'),
  refusedRows: z.array(RefusedRow).describe('被拒绝的行（前200行）'),
  refusedRowsTruncated: z.boolean().describe('被拒绝的行多于200行；全部见 refused.csv'),
  error: z.string().optional(),
});
export type ImportRecord = z.infer<typeof ImportRecord>;

/** What the progress counters of an import are (the import workflow's result). */
export type ImportCounts = Pick<ImportRecord, 'status' | 'processed' | 'created' | 'existing' | 'corrected'>;
