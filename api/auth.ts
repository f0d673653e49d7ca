/**
 * Bearer tokens (JWT, HS256, via `jose`). A token names a role and what the role is bound to: a
 * department user's department, a listing authority's name, a subject's USCC or ID number.
 */
import type { RequestHandler } from 'express';
import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { HttpError } from './errors';

export const Role = z.enum(['office', 'department', 'authority', 'subject']);
export type Role = z.infer<typeof Role>;

export const Principal = z.object({
  sub: z.string(),
  name: z.string(),
  role: Role,
  /** department users: their department */
  departmentId: z.string().optional(),
  /** listing authorities (认定单位): the authority name entries carry */
  authority: z.string().optional(),
  /** subjects: their USCC or ID number */
  subjectId: z.string().optional(),
});
export type Principal = z.infer<typeof Principal>;

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

const ISSUER = 'xinlian';

/** Verified tokens are remembered until they expire, so the hot path verifies each token once. */
const VERIFIED_CACHE_MAX = 10_000;

export class TokenService {
  private readonly key: Uint8Array;
  private readonly verified = new Map<string, { principal: Principal; exp: number }>();
  constructor(secret: string) {
    if (secret.length < 32) throw new Error('XINLIAN_JWT_SECRET must be at least 32 characters');
    this.key = new TextEncoder().encode(secret);
  }

  issue(p: Principal, ttl = '12h'): Promise<string> {
    return new SignJWT({ name: p.name, role: p.role, departmentId: p.departmentId, authority: p.authority, subjectId: p.subjectId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(p.sub)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(ttl)
      .sign(this.key);
  }

  async verify(token: string): Promise<Principal> {
    const cached = this.verified.get(token);
    if (cached && cached.exp > Date.now() / 1000) return cached.principal;
    const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'] });
    const principal = Principal.parse({ ...payload, sub: payload.sub });
    if (this.verified.size >= VERIFIED_CACHE_MAX) this.verified.clear();
    this.verified.set(token, { principal, exp: payload.exp ?? 0 });
    return principal;
  }

  authenticate(): RequestHandler {
    return async (req, _res, next) => {
      const h = req.headers.authorization;
      if (!h?.startsWith('Bearer ')) return next(new HttpError(401, 'unauthenticated', '请先登录：请求头需带 Authorization: Bearer <令牌>'));
      try {
        req.principal = await this.verify(h.slice(7));
        next();
      } catch {
        next(new HttpError(401, 'unauthenticated', '令牌无效或已过期，请重新登录'));
      }
    };
  }
}

export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.principal || !roles.includes(req.principal.role)) {
      return next(new HttpError(403, 'forbidden', '当前身份无权进行此操作'));
    }
    next();
  };
}
