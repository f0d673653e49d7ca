/**
 * Request shapes of the listing and department endpoints (zod; OpenAPI is generated from them): the
 * domain's schemas where the concept has one, plus paging and filters. Answers are in api/views/.
 */
import { z } from 'zod';
import { EntryId, ImportId, TaskId } from '../domain/ids';
import { ListingStatus } from '../domain/listing-record';
import { SubjectIdParam } from '../domain/subject';
import { TaskStatus } from '../domain/task';
import { text } from '../domain/text';
import { CategoryCode } from '../domain/vocabulary';
import { PageQueryFields } from '../domain/pagination';
import { OrgId } from '../domain/organisation';

export { Acknowledgement as AcknowledgeBody, FeedbackReport as FeedbackBody } from '../domain/listing-record';
export { Removal as RemovalBody } from '../domain/listing-record';
export * from './views/listing-views';
export * from './views/import-views';

export const EntryIdParams = z.object({ entryId: EntryId }).strict();
export const TaskIdParams = z.object({ taskId: TaskId }).strict();
export const ImportIdParams = z.object({ importId: ImportId }).strict();

const Paging = PageQueryFields;

export const ListingsQuery = z
  .object({
    status: ListingStatus.optional(),
    category: CategoryCode.optional(),
    subjectId: SubjectIdParam.optional(),
    region: OrgId.optional().describe('主体注册地（县、市、区或园区的机构编号）；县级信用办只见本地区'),
    ...Paging,
  })
  .strict();

export const InboxQuery = z.object({ status: TaskStatus.optional(), ...Paging }).strict();
export const OutboxQuery = z.object({ after: text({ max: 200 }).optional(), limit: Paging.limit }).strict();
export const OverdueQuery = z.object(Paging).strict();

export const ImportUploadQuery = z
  .object({
    filename: text({ min: 1, max: 255 }).optional().describe('原文件名（用于显示，并帮助判断文件类型）'),
  })
  .strict();
