/** Request and response shapes of the HTTP API (zod; OpenAPI is generated from them). */
import { z } from 'zod';
import { CivilDate } from '../domain/dates';
import { MatterCode, CategoryCode } from '../domain/vocabulary';
import { SubjectIdParam } from '../domain/subject';
import { text } from '../domain/text';

export const EntryIdParams = z
  .object({ entryId: z.string().regex(/^E[0-9a-f]{20}$/, '名单条目编号格式应为 E 加20位十六进制字符') })
  .strict();
export const TaskIdParams = z
  .object({ taskId: z.string().regex(/^E[0-9a-f]{20}:[a-z0-9-]+$/, '任务编号格式应为“名单条目编号:部门编号”') })
  .strict();

const Paging = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
};

export const ListingsQuery = z
  .object({
    status: z.enum(['notice', 'active', 'closed']).optional(),
    category: CategoryCode.optional(),
    subjectId: SubjectIdParam.optional(),
    ...Paging,
  })
  .strict();

export const RemovalBody = z
  .object({ reason: text({ min: 2, max: 1000, tooShort: '请填写移出理由（至少2个字）' }) })
  .strict();

export const AcknowledgeBody = z.object({ note: text({ max: 1000 }).optional() }).strict();

export const FeedbackBody = z
  .object({
    matter: MatterCode.describe('执行措施所在的行政事项'),
    measureIds: z
      .array(text({ min: 1, max: 200 }))
      .min(1, '至少选择一项已执行的措施')
      .max(50),
    appliedOn: CivilDate.describe('执行日期'),
    outcome: text({ min: 2, max: 2000, tooShort: '请填写执行结果（至少2个字）' }),
    note: text({ max: 2000 }).optional(),
  })
  .strict();

export const InboxQuery = z.object({ status: z.enum(['pending', 'acknowledged', 'lifted']).optional() }).strict();
export const OutboxQuery = z.object({ after: text({ max: 200 }).optional(), limit: Paging.limit }).strict();

const MeasureRef = z.object({
  id: z.string(),
  kind: z.enum(['incentive', 'sanction']),
  title: z.string(),
  mandatory: z.boolean(),
  legalBasis: z.array(z.object({ document: z.string(), article: z.string().optional() })),
});

export const TaskView = z.looseObject({
  taskId: z.string(),
  entryId: z.string(),
  departmentId: z.string(),
  departmentName: z.string(),
  measures: z.array(MeasureRef),
  status: z.enum(['pending', 'acknowledged', 'lifted']),
  assignedAt: z.string(),
  ackDeadline: z.string(),
  remindAt: z.string(),
  feedbackDue: z.string(),
  acknowledgedAt: z.string().optional(),
  ackOnTime: z.boolean().optional(),
  overdue: z.boolean(),
  feedbackOverdue: z.boolean(),
  feedbackCount: z.number(),
  liftedAt: z.string().optional(),
});

export const ListingView = z.looseObject({
  entryId: z.string(),
  subjectId: z.string(),
  status: z.enum(['notice', 'active', 'closed']),
  request: z.record(z.string(), z.unknown()),
  startedAt: z.string(),
  noticeEndsAt: z.string().optional(),
  effectiveAt: z.string().optional(),
  expiresAt: z.string().optional(),
  taskCount: z.number(),
  closeReason: z.enum(['expired', 'removed', 'withdrawn_in_notice']).optional(),
});

export const StartListingResult = z.object({
  created: z.boolean(),
  entryId: z.string(),
  workflowId: z.string(),
  listing: ListingView,
});
export const ListingPage = z.object({ total: z.number(), items: z.array(ListingView) });
export const EventView = z.looseObject({
  entryId: z.string(),
  seq: z.number(),
  type: z.string(),
  at: z.string(),
  departmentId: z.string().optional(),
});
export const FeedbackView = z.looseObject({
  id: z.string(),
  taskId: z.string(),
  matter: z.string(),
  measureIds: z.array(z.string()),
  appliedOn: z.string(),
  outcome: z.string(),
  reportedAt: z.string(),
});
export const OutboxView = z.looseObject({
  id: z.string(),
  type: z.string(),
  at: z.string(),
  entryId: z.string(),
  taskId: z.string().optional(),
  payload: z.record(z.string(), z.unknown()),
});
export const InboxItem = TaskView.extend({
  subject: z.record(z.string(), z.unknown()).optional(),
  listKind: z.string().optional(),
  category: z.string().optional(),
  severity: z.string().optional(),
});

export const ImportIdParams = z
  .object({ importId: z.string().regex(/^I[0-9a-f]{20}$/, '导入编号格式应为 I 加20位十六进制字符') })
  .strict();
export const ImportUploadQuery = z
  .object({
    filename: text({ min: 1, max: 255 }).optional().describe('原文件名（用于显示，并帮助判断文件类型）'),
  })
  .strict();
export const RefusedRow = z.object({
  line: z.number().int().describe('文件中的行号（表头为第1行）'),
  field: z.string().optional().describe('列名'),
  reason: z.string(),
});
export const ImportView = z.object({
  importId: z.string(),
  filename: z.string(),
  format: z.enum(['csv', 'xlsx']),
  status: z.enum(['running', 'completed', 'failed']),
  createdAt: z.string(),
  finishedAt: z.string().optional(),
  by: z.string().describe('上传人'),
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
export type ImportView = z.infer<typeof ImportView>;
export const ImportList = z.object({ items: z.array(ImportView) });
