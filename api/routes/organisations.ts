/**
 * The organisation tree (组织机构): read by every signed-in role; a node created or replaced by the city's
 * credit office only (validated against the whole tree, audited).
 */
import { z } from 'zod';
import { Role } from '../auth';
import { OrgId } from '../../domain/organisation';
import { defineRoute, type AnyRoute } from '../route';
import { OrgNodeBody, OrgNodeView, OrgTreeView, type OrganisationService } from '../services/organisation-service';

const OrgParams = z.strictObject({ orgId: OrgId });

export function organisationRoutes(svc: OrganisationService): AnyRoute[] {
  const tag = '组织机构';
  return [
    defineRoute({
      method: 'get',
      path: '/organisations',
      tag,
      roles: [...Role.options],
      summary: '组织机构树：市本级、各县（市、区）和园区，各自的信用办和部门',
      response: OrgTreeView,
      handler: () => svc.tree(),
    }),
    defineRoute({
      method: 'put',
      path: '/office/organisations/:orgId',
      tag,
      roles: ['office'],
      summary: '新建或修改一个机构（市信用办）；修改时填写所替换的版本号，删除尚有未解除任务的部门会被拒绝',
      params: OrgParams,
      body: OrgNodeBody,
      response: OrgNodeView,
      alsoStatus: [201],
      errors: [404, 409, 422],
      audit: {
        action: 'organisation.put',
        target: ({ params }) => ({ kind: 'organisation', id: params.orgId }),
        before: ({ params }) => svc.node(params.orgId),
      },
      handler: async ({ params, body, req }) => {
        const r = await svc.put(params.orgId, body, req.principal!.name);
        return { status: r.created ? 201 : 200, body: r.node };
      },
    }),
  ];
}
