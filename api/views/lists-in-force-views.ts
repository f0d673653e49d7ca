/**
 * What `GET /measures` answers: the measures lists in force on a date (domain/lists-in-force.ts), each
 * with its department, organisation, edition and measures, suspended ones marked. Derived from the domain
 * schemas and joined to the pure result by a named mapper, so nothing stored leaks (no editor, no review).
 */
import { z } from 'zod';
import { CivilDate } from '../../domain/dates';
import { Measure } from '../../domain/measure';
import { EditionDoc } from '../../domain/measure-edition';
import { OrgLevel } from '../../domain/organisation';
import type { ListInForce } from '../../domain/lists-in-force';

export const MeasureInForceView = Measure.extend({
  suspended: z.boolean().describe('信用办已认定为不当联结，全市暂停实施'),
  suspension: z.strictObject({ at: z.string(), reason: z.string() }).optional(),
}).strict();

export const ListInForceView = z.strictObject({
  id: z.string().describe('部门编号（也是其措施清单的编号）'),
  name: z.string(),
  org: z.strictObject({ id: z.string(), name: z.string(), level: OrgLevel }).optional().describe('所属机构'),
  edition: EditionDoc.pick({ number: true, label: true })
    .extend({ id: z.string(), effectiveFrom: CivilDate })
    .strict()
    .nullable()
    .optional()
    .describe('施行的版本；null 表示本部门的首个版本尚未生效；缺省表示仍按措施清单文件'),
  measures: z.array(MeasureInForceView),
  appliedBy: z.array(z.string()).describe('未自行制定清单、适用本清单的部门（如县级对应部门）'),
});

export const ListsInForceView = z.strictObject({
  onDate: CivilDate.describe('清单施行的日期'),
  departments: z.array(ListInForceView),
});
export type ListsInForceView = z.infer<typeof ListsInForceView>;

export function toListsInForceView(onDate: string, lists: ListInForce[]): ListsInForceView {
  return {
    onDate,
    departments: lists.map((l) => ({
      id: l.id,
      name: l.name,
      ...(l.org ? { org: l.org } : {}),
      ...(l.edition !== undefined ? { edition: l.edition } : {}),
      measures: l.measures.map(({ suspension, ...m }) => ({
        ...m,
        suspended: suspension !== undefined,
        ...(suspension ? { suspension: { at: suspension.at, reason: suspension.reason } } : {}),
      })),
      appliedBy: l.appliedBy,
    })),
  };
}
