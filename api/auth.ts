/**
 * Bearer tokens (JWT, HS256, via `jose`). A token names a role and what the role is bound to: a
 * department user's department, a listing authority's name, a subject's USCC or ID number.
 */
import type { RequestHandler } from 'express';
import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { HttpError } from './errors';

/** third_party: a bank, tendering agent… reading reports with a subject's authorisation, bound to its own USCC.
 * office: the city's credit office; county_office: a county's or zone's credit office, bound to its node;
 * platform: the provincial credit platform's exchange client (a machine account). */
export const Role = z.enum([
  'office',
  'department',
  'authority',
  'subject',
  'auditor',
  'third_party',
  'county_office',
  'platform',
]);
/** A route open to everyone (no token): only what may be published. */
export type RouteRole = Role | 'public';
export type Role = z.infer<typeof Role>;

export const Principal = z.object({
  sub: z.string(),
  name: z.string(),
  role: Role,
  /** department users: their department */
  departmentId: z.string().optional(),
  /** listing authorities (认定单位): the authority name entries carry */
  authority: z.string().optional(),
  /** subjects: their USCC or ID number; third parties: their own USCC */
  subjectId: z.string().optional(),
  /** county offices: their node of the organisation tree (domain/organisation.ts) */
  orgId: z.string().optional(),
});
export type Principal = z.infer<typeof Principal>;

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
    /** X-Request-Id: the caller's (if well-formed) or a new UUID; echoed in the answer and the audit log. */
    requestId?: string;
  }
}

const ISSUER = 'xinlian';

/** Verified tokens are remembered until they expire, so the hot path verifies each token once. */
const VERIFIED_CACHE_MAX = 10_000;

/**
 * Signing keys by key id. The first key signs; every listed key verifies, so a key can be rotated by
 * putting the new one first and dropping the old one once its tokens have expired.
 * Configuration: XINLIAN_JWT_KEYS="kid2:secret2,kid1:secret1" (or XINLIAN_JWT_SECRET for one key).
 */
export function parseKeys(spec: string): Array<{ kid: string; secret: string }> {
  const keys = spec.split(',').map((part) => {
    const i = part.indexOf(':');
    if (i <= 0) throw new Error('XINLIAN_JWT_KEYS must look like "kid:secret,kid:secret"');
    return { kid: part.slice(0, i).trim(), secret: part.slice(i + 1).trim() };
  });
  if (new Set(keys.map((k) => k.kid)).size !== keys.length) throw new Error('XINLIAN_JWT_KEYS has a key id twice');
  return keys;
}

export class TokenService {
  private readonly keys: Map<string, Uint8Array>;
  private readonly signingKid: string;
  private readonly verified = new Map<string, { principal: Principal; exp: number }>();
  constructor(secretOrKeys: string | Array<{ kid: string; secret: string }>) {
    const keys = typeof secretOrKeys === 'string' ? [{ kid: 'default', secret: secretOrKeys }] : secretOrKeys;
    if (keys.length === 0) throw new Error('at least one signing key is needed');
    for (const k of keys)
      if (k.secret.length < 32) throw new Error(`signing key "${k.kid}" must be at least 32 characters`);
    this.keys = new Map(keys.map((k) => [k.kid, new TextEncoder().encode(k.secret)]));
    this.signingKid = keys[0].kid;
  }

  issue(p: Principal, ttl = '12h'): Promise<string> {
    return new SignJWT({
      name: p.name,
      role: p.role,
      departmentId: p.departmentId,
      authority: p.authority,
      subjectId: p.subjectId,
      orgId: p.orgId,
    })
      .setProtectedHeader({ alg: 'HS256', kid: this.signingKid })
      .setSubject(p.sub)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(ttl)
      .sign(this.keys.get(this.signingKid)!);
  }

  /** The principal of a token verified before and not yet expired, else undefined. */
  private cached(token: string): Principal | undefined {
    const c = this.verified.get(token);
    return c && c.exp > Date.now() / 1000 ? c.principal : undefined;
  }

  async verify(token: string): Promise<Principal> {
    const cached = this.cached(token);
    if (cached) return cached;
    const { payload } = await jwtVerify(
      token,
      (header) => {
        const key = this.keys.get(header.kid ?? 'default');
        if (!key) throw new Error('unknown key id');
        return key;
      },
      { issuer: ISSUER, algorithms: ['HS256'] },
    );
    const principal = Principal.parse({ ...payload, sub: payload.sub });
    if (this.verified.size >= VERIFIED_CACHE_MAX) this.verified.clear();
    this.verified.set(token, { principal, exp: payload.exp ?? 0 });
    return principal;
  }

  authenticate(): RequestHandler {
    return (req, _res, next) => {
      const h = req.headers.authorization;
      if (!h?.startsWith('Bearer '))
        return next(new HttpError(401, 'unauthenticated', '请先登录：请求头需带 Authorization: Bearer <令牌>'));
      const token = h.slice(7);
      // a token verified before goes on at once, without a promise and a later tick
      const known = this.cached(token);
      if (known) {
        req.principal = known;
        return next();
      }
      this.verify(token).then(
        (principal) => {
          req.principal = principal;
          next();
        },
        () => next(new HttpError(401, 'unauthenticated', '令牌无效或已过期，请重新登录')),
      );
    };
  }
}

export function requireRole(...roles: RouteRole[]): RequestHandler {
  return (req, _res, next) => {
    if (roles.includes('public')) return next();
    if (!req.principal || !roles.includes(req.principal.role)) {
      return next(new HttpError(403, 'forbidden', '当前身份无权进行此操作'));
    }
    next();
  };
}
