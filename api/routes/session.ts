/**
 * Who am I, the vocabularies the pages need, and — on the embedded default only — a development
 * sign-in that hands out tokens for ready-made accounts. Production tokens come from the city's
 * identity platform (see docs/operations.md); the pages then accept a pasted token.
 */
import { z } from 'zod';
import { Principal, Role, type TokenService } from '../auth';
import { HttpError } from '../errors';
import { defineRoute, type AnyRoute } from '../route';
import {
  AREAS,
  CATEGORIES,
  LIST_KIND_LABELS,
  ListKind,
  SEVERITY_LABELS,
  SUBJECT_TYPE_LABELS,
} from '../../domain/vocabulary';
import type { Catalogue } from '../../measures/catalogue';
import type { OrganisationService } from '../services/organisation-service';

export interface DevAccount {
  /** Stable key the sign-in page sends, e.g. "office" or a department id. */
  id: string;
  principal: Principal;
}

const Option = z.strictObject({ code: z.string(), label: z.string() });
const Vocabulary = z.strictObject({
  listKinds: z.array(Option),
  categories: z.array(Option.extend({ listKind: ListKind })),
  severities: z.array(Option),
  subjectTypes: z.array(Option),
  areas: z.array(Option),
  departments: z.array(Option),
});
const Session = Principal.extend({ departmentName: z.string().optional(), orgName: z.string().optional() });
const DevAccountView = z.strictObject({ id: z.string(), name: z.string(), role: z.string() });
const DevLoginBody = z.strictObject({ account: z.string().min(1, '请选择账号').max(100) }).strict();

const options = (labels: Record<string, string>) => Object.entries(labels).map(([code, label]) => ({ code, label }));
const ALL_ROLES = Role.options;

export function sessionRoutes(
  catalogue: Catalogue,
  tokens: TokenService,
  devAccounts?: DevAccount[],
  orgs?: OrganisationService,
): AnyRoute[] {
  // a department of the tree (a county's) or a county office: named from the tree; else from the catalogue
  const named = async (p: Principal) => {
    const dept = p.departmentId ? catalogue.departments.find((d) => d.id === p.departmentId) : undefined;
    const fromTree = orgs ? await orgs.namesOf(p) : {};
    return { ...p, ...(dept ? { departmentName: dept.name } : {}), ...fromTree };
  };
  const tag = '登录与基础数据';
  const vocabulary = {
    listKinds: options(LIST_KIND_LABELS),
    categories: Object.entries(CATEGORIES).map(([code, c]) => ({ code, label: c.label, listKind: c.kind })),
    severities: options(SEVERITY_LABELS),
    subjectTypes: options(SUBJECT_TYPE_LABELS),
    areas: options(AREAS),
    departments: catalogue.departments.map((d) => ({ code: d.id, label: d.name })),
  };
  const routes: AnyRoute[] = [
    defineRoute({
      method: 'get',
      path: '/session',
      tag,
      roles: [...ALL_ROLES],
      summary: '当前登录身份',
      response: Session,
      handler: ({ req }) => named(req.principal!),
    }),
    defineRoute({
      method: 'get',
      path: '/vocabulary',
      tag,
      roles: [...ALL_ROLES],
      summary: '名单类型、类别、失信程度、主体类型、应用领域、部门',
      response: Vocabulary,
      handler: async () => vocabulary,
    }),
  ];
  if (!devAccounts) return routes;
  const byId = new Map(devAccounts.map((a) => [a.id, a]));
  return [
    ...routes,
    defineRoute({
      method: 'get',
      path: '/auth/dev-accounts',
      tag,
      roles: ['public'],
      summary: '开发账号列表（仅内置开发环境）',
      response: z.array(DevAccountView),
      handler: async () => devAccounts.map((a) => ({ id: a.id, name: a.principal.name, role: a.principal.role })),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/dev-login',
      tag,
      roles: ['public'],
      summary: '以开发账号登录（仅内置开发环境），返回12小时有效的令牌',
      body: DevLoginBody,
      response: z.strictObject({ token: z.string(), session: Session }),
      errors: [404],
      handler: async ({ body }) => {
        const a = byId.get(body.account);
        if (!a) throw new HttpError(404, 'not_found', `没有开发账号“${body.account}”`);
        return { token: await tokens.issue(a.principal, '12h'), session: await named(a.principal) };
      },
    }),
  ];
}
