/** Subjects' objections and repairs; the authority's and the office's decisions on them. */
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { cstDate } from '../../domain/calendar';
import { repairEligibility, type Eligibility, type RepairApplication } from '../../domain/repair';
import { workingDaysRule } from '../../domain/rules';
import { CaseModel, ListingModel } from '../../db/models';
import { recordsById } from '../../db/credit-records';
import {
  OPEN_CASE_STATUSES,
  type Actor,
  type CaseKind,
  type CaseStatus,
  type Evidence,
  type ObjectionDecision,
} from '../../domain/case';
import { objectionWorkflowId, repairWorkflowId } from '../../domain/workflow-ids';
import {
  decideObjectionUpdate,
  extendObjectionUpdate,
  fileObjectionUpdate,
  objectionWorkflow,
} from '../../workflows/objection';
import { acceptRepairUpdate, decideRepairUpdate, fileRepairUpdate, repairWorkflow } from '../../workflows/repair';
import type { Principal } from '../auth';
import { HttpError } from '../errors';
import { toCaseSummary, toCaseView, toSubjectRecordView } from '../views/case-views';
import { findPage, type SortKey } from '../../db/paging';
import { mapPage, type PageRequest } from '../../domain/pagination';

/** Cases by the nearest deadline (cases without one first), then newest filed: served by indexes in db/models.ts. */
const CASE_ORDER: SortKey[] = [
  { field: 'deadline', dir: 1, nullable: true },
  { field: 'filedAt', dir: -1 },
  { field: '_id', dir: -1 },
];

export const caseWorkflowId = (kind: CaseKind, caseId: string) =>
  kind === 'objection' ? objectionWorkflowId(caseId) : repairWorkflowId(caseId);

const actor = (p: Principal): Actor => ({
  role: p.role as Actor['role'],
  name: p.name,
  authority: p.authority,
  subjectId: p.subjectId,
});

export class CaseService {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /** The subject's own listing, or 404: other subjects' records are not theirs to know of. */
  private async ownListing(subjectId: string, entryId: string) {
    const l = await ListingModel.findById(entryId).lean();
    if (!l || l.subjectId !== subjectId) throw new HttpError(404, 'not_found', `记录 ${entryId} 不存在`);
    return l;
  }

  async records(subjectId: string) {
    const [listings, cases] = await Promise.all([
      ListingModel.find({ subjectId }).sort({ startedAt: -1 }).lean(),
      CaseModel.find(
        { subjectId, status: { $in: OPEN_CASE_STATUSES } },
        { caseId: 1, kind: 1, entryId: 1, status: 1, deadline: 1 },
      ).lean(),
    ]);
    return listings.map((l) => toSubjectRecordView(l, cases.filter((c) => c.entryId === l.entryId).map(toCaseSummary)));
  }

  async fileObjection(
    p: Principal,
    body: { entryId?: string; recordId?: string; reason: string; evidence: Evidence[] },
  ) {
    if (body.recordId) return this.fileRecordObjection(p, { ...body, recordId: body.recordId });
    const listing = await this.ownListing(p.subjectId!, body.entryId!);
    if (listing.status === 'closed') throw new HttpError(409, 'conflict', '该记录已结束，不能再提出异议');
    const caseId = `O${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    const filedOn = cstDate(new Date());
    const input = {
      caseId,
      entryId: body.entryId,
      subjectId: p.subjectId!,
      authority: listing.request.authority,
      reason: body.reason,
      evidence: body.evidence,
      filedBy: p.name,
    };
    const start = new WithStartWorkflowOperation(objectionWorkflow, {
      workflowId: caseWorkflowId('objection', caseId),
      taskQueue: this.taskQueue,
      args: [input, workingDaysRule('objection.extensionMax', filedOn)],
      workflowIdConflictPolicy: 'FAIL',
    });
    // answers once the record is flagged "under objection", or refuses with the listing's reason
    return toCaseView(
      await this.client.workflow.executeUpdateWithStart(fileObjectionUpdate, { startWorkflowOperation: start }),
    );
  }

  /**
   * An objection on one of the subject's credit records: the same workflow, verified and decided by the
   * record's source (the 认定单位 of that name); an upheld objection withdraws or corrects the record.
   */
  private async fileRecordObjection(p: Principal, body: { recordId: string; reason: string; evidence: Evidence[] }) {
    const record = (await recordsById([body.recordId])).get(body.recordId);
    if (!record || record.subjectId !== p.subjectId)
      throw new HttpError(404, 'not_found', `信用记录 ${body.recordId} 不存在`);
    if (record.withdrawn) throw new HttpError(409, 'conflict', '该记录已由来源单位撤回，不能再提出异议');
    const caseId = `O${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    const input = {
      caseId,
      recordId: body.recordId,
      subjectId: p.subjectId!,
      authority: record.departmentName,
      reason: body.reason,
      evidence: body.evidence,
      filedBy: p.name,
    };
    const start = new WithStartWorkflowOperation(objectionWorkflow, {
      workflowId: caseWorkflowId('objection', caseId),
      taskQueue: this.taskQueue,
      args: [input, workingDaysRule('objection.extensionMax', cstDate(new Date()))],
      workflowIdConflictPolicy: 'FAIL',
    });
    return toCaseView(
      await this.client.workflow.executeUpdateWithStart(fileObjectionUpdate, { startWorkflowOperation: start }),
    );
  }

  async eligibility(subjectId: string, entryId: string, today = cstDate(new Date())): Promise<Eligibility> {
    const l = await this.ownListing(subjectId, entryId);
    const [approved, lastRejected, open] = await Promise.all([
      CaseModel.find({ subjectId, kind: 'repair', status: 'approved' }, { closedAt: 1 }).lean(),
      CaseModel.findOne({ entryId, kind: 'repair', status: 'rejected' }, { closedAt: 1 }).sort({ closedAt: -1 }).lean(),
      CaseModel.exists({ entryId, kind: 'repair', status: { $in: OPEN_CASE_STATUSES } }),
    ]);
    return repairEligibility({
      listKind: l.request.listKind,
      category: l.request.category,
      severity: l.request.severity,
      listingStatus: l.status,
      effectiveAt: l.effectiveAt || l.startedAt,
      applicationDate: today,
      approvedRepairDates: approved.map((c) => cstDate(new Date(c.closedAt!))),
      lastRejectedOn: lastRejected?.closedAt ? cstDate(new Date(lastRejected.closedAt)) : undefined,
      openApplication: !!open,
    });
  }

  async applyRepair(p: Principal, application: RepairApplication) {
    const today = cstDate(new Date());
    const e = await this.eligibility(p.subjectId!, application.entryId, today);
    if (!e.eligible) {
      throw new HttpError(422, 'not_eligible', `不符合信用修复条件：${e.refusals[0].message}`, e.refusals);
    }
    const listing = await this.ownListing(p.subjectId!, application.entryId);
    const caseId = `R${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    const start = new WithStartWorkflowOperation(repairWorkflow, {
      workflowId: caseWorkflowId('repair', caseId),
      taskQueue: this.taskQueue,
      args: [
        {
          caseId,
          entryId: application.entryId,
          subjectId: p.subjectId!,
          authority: listing.request.authority,
          application,
          applicationDate: today,
          filedBy: p.name,
        },
      ],
      workflowIdConflictPolicy: 'FAIL',
    });
    return toCaseView(
      await this.client.workflow.executeUpdateWithStart(fileRepairUpdate, { startWorkflowOperation: start }),
    );
  }

  async cases(filter: {
    subjectId?: string;
    authority?: string;
    kind?: CaseKind;
    status?: CaseStatus;
    open?: boolean;
    overdue?: boolean;
    page: PageRequest;
  }) {
    const q: Record<string, unknown> = {};
    if (filter.subjectId) q.subjectId = filter.subjectId;
    if (filter.authority) q.authority = filter.authority;
    if (filter.kind) q.kind = filter.kind;
    if (filter.status) q.status = filter.status;
    else if (filter.open) q.status = { $in: OPEN_CASE_STATUSES };
    if (filter.overdue) q.overdue = true;
    return mapPage(await findPage(CaseModel, q, CASE_ORDER, filter.page, { total: true }), (c) =>
      toCaseView(c as never),
    );
  }

  private async openCase(
    kind: CaseKind,
    caseId: string,
    visible: (c: { authority: string; subjectId: string }) => boolean,
  ) {
    const c = await CaseModel.findById(caseId).lean();
    if (!c || c.kind !== kind || !visible(c)) throw new HttpError(404, 'not_found', `案件 ${caseId} 不存在`);
    if (c.closedAt) throw new HttpError(409, 'conflict', `该案件已于 ${c.closedAt} 办结，不能重复决定`);
    return this.client.workflow.getHandle(caseWorkflowId(kind, caseId));
  }

  async caseOf(caseId: string, visible: (c: { authority: string; subjectId: string }) => boolean) {
    const c = await CaseModel.findById(caseId).lean();
    if (!c || !visible(c)) throw new HttpError(404, 'not_found', `案件 ${caseId} 不存在`);
    return toCaseView(c);
  }

  // an authority sees only its own cases; the office sees all
  private mine = (p: Principal) => (c: { authority: string }) => p.role === 'office' || c.authority === p.authority;

  async extendObjection(p: Principal, caseId: string, body: { workingDays: number; reason: string }) {
    const h = await this.openCase('objection', caseId, this.mine(p));
    return toCaseView(await h.executeUpdate(extendObjectionUpdate, { args: [{ by: actor(p), ...body }] }));
  }

  async decideObjection(p: Principal, caseId: string, body: ObjectionDecision) {
    const h = await this.openCase('objection', caseId, this.mine(p));
    return toCaseView(await h.executeUpdate(decideObjectionUpdate, { args: [{ by: actor(p), ...body }] }));
  }

  async acceptRepair(p: Principal, caseId: string, body: { accepted: boolean; reasons?: string }) {
    const h = await this.openCase('repair', caseId, () => true);
    return toCaseView(await h.executeUpdate(acceptRepairUpdate, { args: [{ by: actor(p), ...body }] }));
  }

  async decideRepair(p: Principal, caseId: string, body: { approved: boolean; reasons: string }) {
    const h = await this.openCase('repair', caseId, this.mine(p));
    return toCaseView(await h.executeUpdate(decideRepairUpdate, { args: [{ by: actor(p), ...body }] }));
  }
}
