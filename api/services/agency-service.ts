/**
 * The credit service agency directory: the office creates, changes and recommends (or withdraws) agencies;
 * the public reads the recommended ones; departments record which agency's report they used for which
 * matter, and supervision counts those uses per agency and period. An agency is a subject: its own credit
 * file (CreditFileService) is read by its USCC, and an agency on a black list in force is not recommended.
 */
import { isDeepStrictEqual } from 'node:util';
import { cstDate } from '../../domain/calendar';
import {
  AGENCY_KINDS,
  RECOMMENDATION_STATUSES,
  refuseChange,
  statusOn,
  type AgencyFields,
  type AgencyInput,
  type AgencyReportUse,
  type RecommendationChange,
  type RecommendationStatus,
} from '../../domain/credit-agency';
import type { Page, PageRequest } from '../../domain/pagination';
import {
  agenciesForFigures,
  agencyByUscc,
  agencyPage,
  agencyUseCounts,
  agencyUseIdOf,
  agencyUsesOf,
  insertAgency,
  insertAgencyUse,
  updateAgency,
  type AgencyDoc,
  type AgencyUseDoc,
} from '../../db/credit-agencies';
import { HttpError, ruleViolation } from '../errors';
import type { CreditFileService } from './credit-file-service';

export interface Actor {
  name: string;
}

export interface AgencyFigure {
  uscc: string;
  name: string;
  kind: AgencyFields['kind'];
  kindLabel: string;
  status: RecommendationStatus;
  statusLabel: string;
  uses: number;
  departments: number;
  matters: number;
}

const FIELD_KEYS = ['name', 'subjectType', 'kind', 'filing', 'services', 'contact'] as const;
const fieldsOf = (a: AgencyFields | AgencyDoc): AgencyFields =>
  JSON.parse(JSON.stringify(Object.fromEntries(FIELD_KEYS.map((k) => [k, a[k]])))) as AgencyFields;

const notFound = (uscc: string) =>
  new HttpError(404, 'not_found', `信用服务机构名录中没有统一社会信用代码为 ${uscc} 的机构`);
const changedMeanwhile = () => new HttpError(409, 'conflict', '该机构刚被他人修改，请刷新后重试');

export class AgencyService {
  constructor(private readonly files: CreditFileService) {}

  /** A new agency; the same request again answers the stored one (created: false); another with its USCC: 409. */
  async create(input: AgencyInput, by: Actor): Promise<{ created: boolean; agency: AgencyDoc }> {
    const now = new Date().toISOString();
    const { uscc, ...rest } = input;
    const doc: AgencyDoc = {
      _id: uscc,
      uscc,
      ...fieldsOf(rest),
      status: 'pending',
      history: [],
      rev: 1,
      createdAt: now,
      createdBy: by.name,
      updatedAt: now,
    };
    if (await insertAgency(doc)) return { created: true, agency: doc };
    const stored = (await agencyByUscc(uscc))!;
    if (isDeepStrictEqual(fieldsOf(stored), fieldsOf(rest))) return { created: false, agency: stored };
    throw new HttpError(
      409,
      'conflict',
      `统一社会信用代码 ${uscc} 已在信用服务机构名录中（${stored.name}），如需修改请使用变更`,
      [{ field: 'body.uscc', message: '该统一社会信用代码已登记' }],
    );
  }

  async get(uscc: string): Promise<AgencyDoc> {
    const a = await agencyByUscc(uscc);
    if (!a) throw notFound(uscc);
    return a;
  }

  /** The agency with a summary of its own credit file. */
  async detail(uscc: string) {
    const a = await this.get(uscc);
    return { agency: a, creditFile: await this.fileSummary(uscc) };
  }

  /** Changes what the office states about an agency (not its status); the same content again changes nothing. */
  async change(uscc: string, fields: AgencyFields): Promise<AgencyDoc> {
    const a = await this.get(uscc);
    const next = fieldsOf(fields);
    if (isDeepStrictEqual(fieldsOf(a), next)) return a;
    if (a.status === 'recommended' && next.kind === 'credit_reporting' && !next.filing)
      throw ruleViolation('body.filing', ['推荐中的征信机构须保留备案信息']);
    const updated = await updateAgency(uscc, a.rev, { ...next, updatedAt: new Date().toISOString() });
    if (!updated) throw changedMeanwhile();
    return updated;
  }

  /** Recommends, declines or withdraws an agency, keeping the change with its date and reason. */
  async changeStatus(uscc: string, c: RecommendationChange, by: Actor): Promise<AgencyDoc> {
    const a = await this.get(uscc);
    const decidedOn = c.decidedOn ?? cstDate(new Date());
    const refused = refuseChange(a.status, a.history, c.status, decidedOn);
    if (refused?.status === 409) throw new HttpError(409, 'conflict', refused.message);
    if (refused) throw ruleViolation(refused.field, [refused.message]);
    if (c.status === 'recommended' && (await this.fileSummary(uscc)).blackListed)
      throw ruleViolation('body.status', ['该机构在严重失信主体名单中（生效中或告知期），不能列入推荐名录']);
    const at = new Date().toISOString();
    const change = { status: c.status, previous: a.status, decidedOn, reason: c.reason, by: by.name, at };
    const updated = await updateAgency(uscc, a.rev, { status: c.status, updatedAt: at }, change);
    if (!updated) throw changedMeanwhile();
    return updated;
  }

  list(filter: { status?: RecommendationStatus; kind?: string }, page: PageRequest): Promise<Page<AgencyDoc>> {
    return agencyPage(filter, page);
  }

  /** The public directory: recommended agencies only. */
  published(kind: string | undefined, page: PageRequest): Promise<Page<AgencyDoc>> {
    return agencyPage({ status: 'recommended', kind }, page);
  }

  /**
   * A department's use of an agency's report for a matter. The agency must have been in the directory
   * (recommended) on the day the report was used. The same use again answers the stored one.
   */
  async recordUse(
    dept: { departmentId: string; departmentName: string; by: string },
    u: AgencyReportUse,
  ): Promise<{ created: boolean; use: AgencyUseDoc }> {
    const a = await agencyByUscc(u.agencyUscc);
    if (!a) throw ruleViolation('body.agencyUscc', [`统一社会信用代码 ${u.agencyUscc} 的机构不在信用服务机构名录中`]);
    const then = statusOn(a.history, u.usedOn);
    if (then !== 'recommended')
      throw ruleViolation('body.agencyUscc', [
        `${a.name}在 ${u.usedOn} 未列入推荐名录（当日状态：${RECOMMENDATION_STATUSES[then]}），不能登记使用其报告`,
      ]);
    const id = agencyUseIdOf(dept.departmentId, u);
    const doc: AgencyUseDoc = {
      ...(JSON.parse(JSON.stringify(u)) as AgencyReportUse),
      _id: id,
      useId: id,
      agencyName: a.name,
      departmentId: dept.departmentId,
      departmentName: dept.departmentName,
      recordedAt: new Date().toISOString(),
      recordedBy: dept.by,
    };
    const r = await insertAgencyUse(doc);
    if (!r.created && (r.stored.usedOn !== u.usedOn || r.stored.subjectId !== u.subjectId || r.stored.note !== u.note))
      throw new HttpError(
        409,
        'conflict',
        `本部门已登记过报告 ${u.reportNo} 用于该事项，内容不同：如需更正请联系信用办`,
      );
    return { created: r.created, use: r.stored };
  }

  usesOf(departmentId: string, page: PageRequest): Promise<Page<AgencyUseDoc>> {
    return agencyUsesOf(departmentId, page);
  }

  /** How often each agency's reports were used in [from, to]: every agency used, and every recommended one. */
  async figures(from: string, to: string): Promise<AgencyFigure[]> {
    const counts = await agencyUseCounts(from, to);
    const byUscc = new Map(counts.map((c) => [c.agencyUscc, c]));
    const agencies = await agenciesForFigures(counts.map((c) => c.agencyUscc));
    return agencies
      .map((a) => {
        const c = byUscc.get(a.uscc);
        return {
          uscc: a.uscc,
          name: a.name,
          kind: a.kind,
          kindLabel: AGENCY_KINDS[a.kind],
          status: a.status,
          statusLabel: RECOMMENDATION_STATUSES[a.status],
          uses: c?.uses ?? 0,
          departments: c?.departments ?? 0,
          matters: c?.matters ?? 0,
        };
      })
      .sort((x, y) => y.uses - x.uses || x.uscc.localeCompare(y.uscc));
  }

  private async fileSummary(uscc: string) {
    const file = await this.files.fileOf(uscc, { fallbackName: '' });
    const blackListed = file.items.some(
      (i) => i.group === 'black_list' && ['public', 'not_published', 'notice'].includes(i.status),
    );
    return { items: file.items.length, blackListed, path: `/api/v1/office/credit-files/${uscc}` };
  }
}
