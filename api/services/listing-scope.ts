/**
 * Which listings a caller may list and see, by the level of its credit office: the city office (and the
 * auditor) all of them; a county office those of its own region only. A county office's listing always
 * names its own county as the subject's registered region, which is what fans it out to the county's
 * departments (domain/fan-out.ts); the city office may name any county or zone, or none (市本级).
 */
import type { ListingRequest } from '../../domain/listing';
import { orgNodeDoc } from '../../db/organisations';
import type { Principal } from '../auth';
import { HttpError, ruleViolation } from '../errors';

/** `region` undefined: every region and the city level. */
export interface ListingScope {
  region?: string;
}

export const EVERYWHERE: ListingScope = {};

export function scopeOf(p: Principal): ListingScope {
  if (p.role !== 'county_office') return EVERYWHERE;
  if (!p.orgId) throw new HttpError(403, 'forbidden', '县级信用办的令牌未绑定机构（orgId），请重新登录');
  return { region: p.orgId };
}

/** A listing of another region is reported as missing, as another department's task is. */
export function inScope(scope: ListingScope, request: Pick<ListingRequest, 'region'>): boolean {
  return scope.region === undefined || request.region === scope.region;
}

/** The request as the caller may submit it: a county office's with its own region; a named region must exist. */
export async function scopedRequest(p: Principal, request: ListingRequest): Promise<ListingRequest> {
  const scope = scopeOf(p);
  if (scope.region !== undefined) {
    if (request.region !== undefined && request.region !== scope.region)
      throw new HttpError(
        403,
        'forbidden',
        `字段 body.region 有误：县级信用办只能列入本地区（${scope.region}）的主体，不能列入“${request.region}”`,
      );
    return { ...request, region: scope.region };
  }
  if (request.region === undefined) return request;
  const node = await orgNodeDoc(request.region);
  if (!node) throw ruleViolation('body.region', [`机构“${request.region}”不存在，请按 GET /organisations 填写`]);
  if (node.level === 'city')
    throw ruleViolation('body.region', ['市本级主体不填 region；region 应为县（市、区）或园区的机构编号']);
  return request;
}
