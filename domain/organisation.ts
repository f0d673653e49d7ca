/**
 * The organisation tree (组织机构): the city, its counties, districts and county-level cities, and its zones,
 * each with its credit office (信用办) and its departments. A county's tax bureau is a department of the
 * county, not the city's: it has its own id, its own tasks and its own accounts, and it applies the measures
 * list (措施清单) named by `measuresList` (a catalogue department's list, measures/data/<id>.json).
 * Pure: schemas and lookups; storage is db/organisations.ts.
 */
import { z } from 'zod';
import { text } from './text';

export const OrgLevel = z.enum(['city', 'county', 'zone']);
export type OrgLevel = z.infer<typeof OrgLevel>;
export const ORG_LEVEL_LABELS: Record<OrgLevel, string> = { city: '市本级', county: '县（市、区）', zone: '园区' };

export const OrgId = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,39}$/, '机构编号应为 2–40 个小写字母、数字或连字符，以字母开头')
  .describe('机构编号，如 botou');
export const OrgDepartmentId = z
  .string()
  .regex(/^[a-z0-9-]{2,60}$/, '部门编号应为 2–60 个小写字母、数字或连字符')
  .describe('部门编号，如 tax 或 botou-tax');

export const OrgDepartment = z
  .object({
    id: OrgDepartmentId,
    name: text({ min: 2, max: 100 }).describe('部门名称'),
    measuresList: z
      .string()
      .regex(/^[a-z0-9-]+$/, '措施清单编号应为小写字母、数字或连字符')
      .describe('适用的措施清单（措施目录中的部门清单编号，如 tax）'),
  })
  .strict();
export type OrgDepartment = z.infer<typeof OrgDepartment>;

/** A node as the office writes it (the id comes from the path). */
export const OrgNodeFields = z
  .object({
    name: text({ min: 2, max: 100 }).describe('名称，如 泊头市'),
    level: OrgLevel.describe('层级：city 市本级 / county 县（市、区）/ zone 园区'),
    parentId: OrgId.nullable().describe('上级机构编号；市本级为 null'),
    creditOffice: z.object({ name: text({ min: 2, max: 100 }).describe('信用办名称') }).strict(),
    departments: z.array(OrgDepartment).max(100, '一个机构最多 100 个部门'),
  })
  .strict();
export type OrgNodeFields = z.infer<typeof OrgNodeFields>;

export const OrgNode = OrgNodeFields.extend({ id: OrgId }).strict();
export type OrgNode = z.infer<typeof OrgNode>;

/** Why a tree is not acceptable: the path of the field and a reason a person can act on. */
export interface TreeIssue {
  path: Array<string | number>;
  message: string;
}

/**
 * Checks a whole tree: exactly one city (no parent), every county and zone under the city, department ids
 * unique across the tree, and every department's measures list known. Returns the issues, [] when sound.
 */
export function treeIssues(nodes: OrgNode[], knownLists: ReadonlySet<string>): TreeIssue[] {
  const issues: TreeIssue[] = [];
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const cities = nodes.filter((n) => n.level === 'city');
  if (cities.length !== 1)
    issues.push({ path: ['level'], message: `组织机构应有且只有一个市本级，现有 ${cities.length} 个` });
  const seenDepartments = new Map<string, string>();
  for (const n of nodes) {
    if (n.level === 'city' && n.parentId !== null)
      issues.push({ path: [n.id, 'parentId'], message: '市本级没有上级机构，parentId 应为 null' });
    if (n.level !== 'city') {
      const parent = n.parentId ? byId.get(n.parentId) : undefined;
      if (!parent) issues.push({ path: [n.id, 'parentId'], message: `上级机构“${n.parentId ?? '（未填）'}”不存在` });
      else if (parent.level !== 'city')
        issues.push({ path: [n.id, 'parentId'], message: `县（市、区）和园区的上级应为市本级，“${parent.name}”不是` });
    }
    n.departments.forEach((d, i) => {
      const other = seenDepartments.get(d.id);
      if (other !== undefined)
        issues.push({ path: [n.id, 'departments', i, 'id'], message: `部门编号 ${d.id} 已被“${other}”使用` });
      seenDepartments.set(d.id, `${n.name}${d.name}`);
      if (!knownLists.has(d.measuresList))
        issues.push({ path: [n.id, 'departments', i, 'measuresList'], message: `措施清单“${d.measuresList}”不存在` });
    });
  }
  return issues;
}

/** Lookups over a loaded tree: the city, a node, the node a department belongs to. */
export class OrgTree {
  readonly byId: ReadonlyMap<string, OrgNode>;
  private readonly nodeOfDepartment: ReadonlyMap<string, OrgNode>;
  constructor(readonly nodes: readonly OrgNode[]) {
    this.byId = new Map(nodes.map((n) => [n.id, n]));
    this.nodeOfDepartment = new Map(nodes.flatMap((n) => n.departments.map((d) => [d.id, n] as const)));
  }
  city(): OrgNode | undefined {
    return this.nodes.find((n) => n.level === 'city');
  }
  /** The counties and zones, in the tree's order. */
  regions(): OrgNode[] {
    return this.nodes.filter((n) => n.level !== 'city');
  }
  nodeOf(departmentId: string): OrgNode | undefined {
    return this.nodeOfDepartment.get(departmentId);
  }
  department(departmentId: string): OrgDepartment | undefined {
    return this.nodeOf(departmentId)?.departments.find((d) => d.id === departmentId);
  }
}
