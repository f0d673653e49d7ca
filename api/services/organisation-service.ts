/**
 * The organisation tree's use-cases: read it (every signed-in role), and the city office's creation or
 * replacement of a node, validated against the whole tree (one city, counties and zones under it,
 * department ids unique, measures lists known) and refused when it would drop a department that still has
 * live tasks (nothing running is lost). Nothing is written unless every check passes.
 */
import { z } from 'zod';
import { OrgNode, OrgNodeFields, treeIssues, ORG_LEVEL_LABELS } from '../../domain/organisation';
import {
  loadOrgTree,
  orgNodeDoc,
  orgNodeDocs,
  StaleVersionError,
  toOrgNode,
  writeOrgNode,
  type OrgNodeDoc,
} from '../../db/organisations';
import { TaskModel } from '../../db/models';
import { fieldPath, HttpError, ruleViolation } from '../errors';

export const OrgNodeView = OrgNode.extend({
  levelLabel: z.string(),
  version: z.number().int(),
  updatedAt: z.string(),
}).strict();
export type OrgNodeView = z.infer<typeof OrgNodeView>;
export const OrgTreeView = z.strictObject({ nodes: z.array(OrgNodeView) });

export const OrgNodeBody = OrgNodeFields.extend({
  version: z.number().int().min(1).optional().describe('修改时填写所替换的版本号；新建时不填'),
}).strict();
export type OrgNodeBody = z.infer<typeof OrgNodeBody>;

export const toOrgNodeView = (d: OrgNodeDoc): OrgNodeView => ({
  ...toOrgNode(d),
  levelLabel: ORG_LEVEL_LABELS[d.level],
  version: d.version,
  updatedAt: d.updatedAt,
});

const LIVE = ['pending', 'acknowledged'] as const;

export class OrganisationService {
  /** `knownLists`: the measures lists a department may apply (the catalogue's departments). */
  constructor(private readonly knownLists: () => ReadonlySet<string>) {}

  async tree(): Promise<{ nodes: OrgNodeView[] }> {
    return { nodes: (await orgNodeDocs()).map(toOrgNodeView) };
  }

  /** A caller's names in the tree: its department's (any level) and its credit office's node. */
  async namesOf(p: { departmentId?: string; orgId?: string }): Promise<{ departmentName?: string; orgName?: string }> {
    if (!p.departmentId && !p.orgId) return {};
    const tree = await loadOrgTree();
    const departmentName = p.departmentId ? tree.department(p.departmentId)?.name : undefined;
    const orgName = p.orgId ? tree.byId.get(p.orgId)?.name : undefined;
    return { ...(departmentName ? { departmentName } : {}), ...(orgName ? { orgName } : {}) };
  }

  async node(id: string): Promise<OrgNodeView | null> {
    const d = await orgNodeDoc(id);
    return d && toOrgNodeView(d);
  }

  async put(id: string, body: OrgNodeBody, by: string): Promise<{ created: boolean; node: OrgNodeView }> {
    const { version, ...fields } = body;
    const existing = await orgNodeDoc(id);
    if (existing && version === undefined)
      throw new HttpError(
        409,
        'conflict',
        `机构 ${id} 已存在：修改时请在 version 中填写当前版本号 ${existing.version}`,
      );
    if (!existing && version !== undefined)
      throw new HttpError(404, 'not_found', `机构 ${id} 不存在：新建机构时不填 version`);
    const node: OrgNode = { id, ...fields };
    const others = (await orgNodeDocs()).filter((d) => d._id !== id).map(toOrgNode);
    const issues = treeIssues([...others, node], this.knownLists());
    const own = issues.filter((i) => i.path[0] === id).map((i) => ({ ...i, path: i.path.slice(1) }));
    const first = own[0] ?? issues[0];
    if (first) throw ruleViolation(`body.${fieldPath(own[0] ? first.path : ['level'])}`, [first.message]);
    if (existing) await this.keepLiveDepartments(existing, node);
    try {
      const doc = await writeOrgNode(node, by, version);
      return { created: !existing, node: toOrgNodeView(doc) };
    } catch (e) {
      if (e instanceof StaleVersionError)
        throw new HttpError(409, 'conflict', `机构 ${id} 已被他人修改或新建，请刷新后按最新版本修改`);
      throw e;
    }
  }

  /** A department dropped from a node must have no live task: its work would have no one to answer for it. */
  private async keepLiveDepartments(existing: OrgNodeDoc, next: OrgNode): Promise<void> {
    const kept = new Set(next.departments.map((d) => d.id));
    for (const d of existing.departments) {
      if (kept.has(d.id)) continue;
      const live = await TaskModel.countDocuments({ departmentId: d.id, status: { $in: [...LIVE] } });
      if (live > 0)
        throw ruleViolation('body.departments', [`部门“${d.name}”（${d.id}）尚有 ${live} 项未解除的任务，不能删除`]);
    }
  }
}
