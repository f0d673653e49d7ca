/** Subjects grant and revoke third parties' authorisations; a third party's report needs a valid one. */
import { randomUUID } from 'node:crypto';
import { cstDate } from '../../domain/calendar';
import { authorisationAllows, grantPeriod, type AuthorisationGrant } from '../../domain/authorisation';
import type { ReportKind } from '../../domain/credit-report';
import { AuthorisationModel, type AuthorisationDoc } from '../../db/authorisations';
import { HttpError } from '../errors';
import { findPage, type SortKey } from '../../db/paging';
import type { Page, PageRequest } from '../../domain/pagination';

const GRANT_ORDER: SortKey[] = [
  { field: 'grantedAt', dir: -1 },
  { field: '_id', dir: -1 },
];

export class AuthorisationService {
  async grant(subject: { subjectId: string; name: string }, g: AuthorisationGrant): Promise<AuthorisationDoc> {
    // the schema refused a period the rules do not allow (AuthorisationGrant); this cannot fail any more
    const p = grantPeriod(g, cstDate(new Date()));
    if (!p.ok) throw new Error(`authorisation period: ${p.message}`);
    if (g.grantee.uscc === subject.subjectId) {
      throw new HttpError(422, 'rule_violated', '字段 body.grantee.uscc 有误：不能授权给本主体自己', [
        { field: 'body.grantee.uscc', message: '不能授权给本主体自己' },
      ]);
    }
    const id = `A${randomUUID().replaceAll('-', '').slice(0, 20)}`;
    const doc: AuthorisationDoc = {
      _id: id,
      authorisationId: id,
      subjectId: subject.subjectId,
      subjectName: subject.name,
      grantee: g.grantee,
      purpose: g.purpose,
      validFrom: p.from,
      validUntil: p.until,
      kinds: [...new Set(g.kinds)],
      grantedAt: new Date().toISOString(),
      grantedBy: subject.name,
    };
    await AuthorisationModel.collection.insertOne(doc as never);
    return doc;
  }

  async revoke(subjectId: string, authorisationId: string, by: string): Promise<AuthorisationDoc> {
    const r = await AuthorisationModel.findOneAndUpdate(
      { _id: authorisationId, subjectId, revokedAt: { $exists: false } },
      { $set: { revokedAt: new Date().toISOString(), revokedBy: by } },
      { returnDocument: 'after' },
    ).lean<AuthorisationDoc>();
    if (r) return r;
    const exists = await AuthorisationModel.findOne({ _id: authorisationId, subjectId }).lean<AuthorisationDoc>();
    if (!exists) throw new HttpError(404, 'not_found', `没有编号为 ${authorisationId} 的授权`);
    throw new HttpError(409, 'conflict', `该授权已于 ${exists.revokedAt} 撤销`);
  }

  /** Authorisations a subject made, newest first, a page at a time. */
  ofSubject(subjectId: string, page: PageRequest): Promise<Page<AuthorisationDoc>> {
    return findPage<AuthorisationDoc>(AuthorisationModel, { subjectId }, GRANT_ORDER, page, { total: true });
  }

  /** Authorisations a third party holds, newest first, a page at a time. */
  ofGrantee(uscc: string, page: PageRequest): Promise<Page<AuthorisationDoc>> {
    return findPage<AuthorisationDoc>(AuthorisationModel, { 'grantee.uscc': uscc }, GRANT_ORDER, page, { total: true });
  }

  /** The authorisation that lets `granteeUscc` obtain a `kind` report on `subjectId` today; else 403. */
  async validFor(granteeUscc: string, subjectId: string, kind: ReportKind): Promise<AuthorisationDoc> {
    const today = cstDate(new Date());
    const all = await AuthorisationModel.find({ 'grantee.uscc': granteeUscc, subjectId }).lean<AuthorisationDoc[]>();
    const ok = all.find((a) => authorisationAllows(a, kind, today));
    if (ok) return ok;
    const why =
      all.length === 0
        ? '该主体未授权本单位查询其信用报告'
        : all.every((a) => a.revokedAt)
          ? '该主体已撤销对本单位的授权'
          : '本单位持有的授权已过期、尚未生效或不含此类报告';
    throw new HttpError(403, 'forbidden', `${why}：请请该主体在“授权管理”中授权后再查询`);
  }
}
