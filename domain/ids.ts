/** The identifiers Xinlian mints, each pattern written once: entries, tasks, cases, imports. */
import { z } from 'zod';

export const EntryId = z
  .string()
  .regex(/^E[0-9a-f]{20}$/, '名单条目编号格式应为 E 加20位十六进制字符')
  .describe('名单条目编号');
export const TaskId = z
  .string()
  .regex(/^E[0-9a-f]{20}:[a-z0-9-]+$/, '任务编号格式应为“名单条目编号:部门编号”')
  .describe('任务编号');
export const CaseId = z
  .string()
  .regex(/^[OR][0-9a-f]{20}$/, '案件编号格式应为 O（异议）或 R（修复）加20位十六进制字符')
  .describe('案件编号');
export const ImportId = z
  .string()
  .regex(/^I[0-9a-f]{20}$/, '导入编号格式应为 I 加20位十六进制字符')
  .describe('导入编号');

/** A credit record's id (domain/credit-record.ts creditRecordIdOf): CR and 20 hex digits. */
export const CreditRecordId = z
  .string()
  .regex(/^CR[0-9a-f]{20}$/, '信用记录编号格式应为 CR 加20位十六进制字符')
  .describe('信用记录编号');
