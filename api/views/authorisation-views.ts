/** The API view of a subject's authorisation of a third party, and its mapper from what is stored. */
import { z } from 'zod';
import { cstDate } from '../../domain/calendar';
import { authorisationAllows } from '../../domain/authorisation';
import type { AuthorisationDoc } from '../../db/authorisations';

export const AuthorisationView = z
  .object({
    authorisationId: z.string(),
    subjectId: z.string(),
    subjectName: z.string(),
    grantee: z.object({ uscc: z.string(), name: z.string() }).strict(),
    purpose: z.string(),
    validFrom: z.string(),
    validUntil: z.string(),
    kinds: z.array(z.enum(['special', 'public'])),
    grantedAt: z.string(),
    revokedAt: z.string().optional(),
    /** valid today for at least one kind */
    active: z.boolean(),
  })
  .strict();

export function toAuthorisationView(a: AuthorisationDoc): z.infer<typeof AuthorisationView> {
  const today = cstDate(new Date());
  return {
    authorisationId: a.authorisationId,
    subjectId: a.subjectId,
    subjectName: a.subjectName,
    grantee: a.grantee,
    purpose: a.purpose,
    validFrom: a.validFrom,
    validUntil: a.validUntil,
    kinds: a.kinds,
    grantedAt: a.grantedAt,
    revokedAt: a.revokedAt,
    active: a.kinds.some((k) => authorisationAllows(a, k, today)),
  };
}
