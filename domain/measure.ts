/** Schema of the departments' measures lists (奖惩措施清单): one source of truth for files, API and types. */
import { z } from 'zod';
import { addRuleIssue } from './rule-issue';
import { text } from './text';
import { AreaCode, CATEGORIES, CategoryCode, MatterCode, Severity, SubjectType } from './vocabulary';

export const MeasureKind = z.enum(['incentive', 'sanction']);
export type MeasureKind = z.infer<typeof MeasureKind>;

/** A measure's id: its department's id, a dot, and its own code. */
export const MeasureId = z
  .string()
  .max(200)
  .regex(/^[a-z0-9-]+\.[a-z0-9-]+$/, '措施编号应为“部门编号.措施代码”，如 tax.no-bid');

export const LegalBasis = z
  .object({
    document: text({ min: 2, max: 500 }).describe('法律、法规或政策文件名称'),
    article: text({ max: 200 }).optional().describe('条款'),
  })
  .strict();

export const Measure = z
  .object({
    id: MeasureId,
    kind: MeasureKind,
    title: text({ min: 2, max: 500 }).describe('措施内容'),
    mandatory: z.boolean().describe('强制性 (true) 或推荐性 (false)'),
    categories: z.array(CategoryCode).min(1).describe('适用的名单类别'),
    severities: z.array(Severity).min(1).describe('适用的失信程度；红名单措施填全部三个'),
    subjectTypes: z.array(SubjectType).min(1),
    areas: z.array(AreaCode).min(1).describe('应用领域'),
    matters: z.array(MatterCode).default([]).describe('更细的行政事项；为空表示所列领域的全部事项'),
    legalBasis: z.array(LegalBasis).min(1),
    ackPeriodWorkingDays: z.number().int().min(1).max(30).optional().describe('签收时限（工作日），缺省取规则表'),
    feedbackPeriodWorkingDays: z.number().int().min(1).max(120).optional().describe('反馈时限（工作日），缺省取规则表'),
  })
  .strict();
export type Measure = z.infer<typeof Measure>;

/** Which edition of its department's list a measure came from (措施清单版本). */
export const EditionRef = z.strictObject({
  id: z.string().describe('版本编号 <部门>:<序号>'),
  number: z.number().int(),
  label: z.string(),
});
export type EditionRef = z.infer<typeof EditionRef>;

/**
 * A measure as a task carries it: what the department applies and on what legal basis, and (for tasks
 * matched since list editions exist) its scope and the edition it came from, so that the check answers
 * from the task alone.
 */
export const MeasureRef = Measure.pick({ id: true, kind: true, title: true, mandatory: true, legalBasis: true }).extend(
  {
    areas: z.array(AreaCode).optional(),
    matters: z.array(MatterCode).optional(),
    edition: EditionRef.optional(),
  },
);
export type MeasureRef = z.infer<typeof MeasureRef>;

export const toMeasureRef = (
  { id, kind, title, mandatory, legalBasis, areas, matters }: Measure,
  edition?: EditionRef,
): MeasureRef => ({ id, kind, title, mandatory, legalBasis, areas, matters, ...(edition ? { edition } : {}) });

export const Department = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    name: text({ min: 2, max: 100 }),
    webhookUrl: z.url().optional(),
  })
  .strict();
export type Department = z.infer<typeof Department>;

export const MeasuresFile = z
  .object({
    department: Department,
    edition: text({ max: 100 }).describe('清单版本，如 2024'),
    measures: z.array(Measure).min(1),
  })
  .strict()
  // rules between fields (prefix, duplicates, list kind, matter in areas) answer 422 (domain/rule-issue.ts)
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.measures.forEach((m, i) => {
      if (!m.id.startsWith(`${file.department.id}.`)) {
        addRuleIssue(
          ctx,
          ['measures', i, 'id'],
          `措施编号须以本部门编码“${file.department.id}.”开头（measure id must start with "${file.department.id}."）`,
        );
      }
      if (seen.has(m.id)) addRuleIssue(ctx, ['measures', i, 'id'], `措施编号重复（duplicate measure id ${m.id}）`);
      seen.add(m.id);
      const wanted = m.kind === 'incentive' ? 'red' : 'black';
      m.categories.forEach((c, j) => {
        if (CATEGORIES[c].kind !== wanted) {
          addRuleIssue(
            ctx,
            ['measures', i, 'categories', j],
            `${m.kind === 'incentive' ? '激励' : '惩戒'}措施不能适用于` +
              `${CATEGORIES[c].kind === 'red' ? '红' : '黑'}名单类别“${CATEGORIES[c].label}”` +
              `（${m.kind} measure cannot apply to ${CATEGORIES[c].kind} list category ${c}）`,
          );
        }
      });
      for (const [j, matter] of m.matters.entries()) {
        if (!m.areas.includes(matter.split('.')[0] as never)) {
          addRuleIssue(
            ctx,
            ['measures', i, 'matters', j],
            `事项 ${matter} 不在本措施的应用领域内（matter ${matter} is outside the measure's areas）`,
          );
        }
      }
    });
  });
export type MeasuresFile = z.infer<typeof MeasuresFile>;
