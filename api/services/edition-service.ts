/**
 * Measures list editions (措施清单版本): a department drafts, changes and submits its own list; the
 * office reviews, publishes with an effective date (and whether running listings are re-matched), and
 * suspends a measure city-wide. Each change is one conditional write or one transaction
 * (db/measure-editions.ts); the re-matching run is started after the publication is committed, under an
 * id of its own, so a repeated publication request starts it if the first one could not.
 */
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  type Client,
} from '@temporalio/client';
import { cstDate, startOfCstDay } from '../../domain/cst';
import type { Measure } from '../../domain/measure';
import {
  diffMeasures,
  EDITION_STATUS_LABELS,
  editionId,
  editionInForce,
  editionRefOf,
  publicationProblem,
  unknownCommented,
  type EditionDoc,
  type EditionDraft,
  type EditionStatus,
  type PublicationRequest,
  type ReviewRequest,
  type SuspensionLiftRequest,
  type SuspensionRequest,
  suspensionKeys,
} from '../../domain/measure-edition';
import {
  EditionConflict,
  getEdition,
  insertEdition,
  insertSuspension,
  lastSuspensionLift,
  liftSuspension,
  lastEdition,
  listEditions,
  listSuspensions,
  publishedEditions,
  publishEdition,
  suspensions,
  transition,
  type SuspensionDoc,
  type SuspensionLiftDoc,
} from '../../db/measure-editions';
import { loadOrgTree } from '../../db/organisations';
import { countyFirstDraft } from '../../domain/county-first-draft';
import { rematchWorkflow, type RematchWorkflowInput } from '../../workflows/rematch';
import type { Principal } from '../auth';
import { HttpError, ruleViolation } from '../errors';
import {
  toEditionDiffView,
  toEditionFile,
  toEditionSummaryView,
  toEditionView,
  toSuspensionLiftView,
  toSuspensionView,
} from '../views/edition-views';
import { editionRematchWorkflowId } from '../../domain/workflow-ids';

const who = (p: Principal) => ({ sub: p.sub, name: p.name });
const notFound = (departmentId: string, number: number) =>
  new HttpError(404, 'not_found', `部门 ${departmentId} 的措施清单没有第 ${number} 版`);

export class EditionService {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly today: () => string = () => cstDate(new Date()),
  ) {}

  async list(filter: { departmentId?: string; status?: EditionStatus }) {
    return (await listEditions(filter)).map(toEditionSummaryView);
  }

  async get(departmentId: string, number: number) {
    const doc = await getEdition(departmentId, number);
    if (!doc) throw notFound(departmentId, number);
    return doc;
  }

  async view(departmentId: string, number: number) {
    return toEditionView(await this.get(departmentId, number));
  }

  async exportFile(departmentId: string, number: number) {
    return toEditionFile(await this.get(departmentId, number));
  }

  /**
   * A new draft, a copy of the department's latest published edition; a county department's first one
   * is a copy of its city counterpart's list in force (domain/county-first-draft.ts).
   */
  async createDraft(p: Principal) {
    const departmentId = p.departmentId!;
    const [last, published] = await Promise.all([lastEdition(departmentId), publishedEditions(departmentId)]);
    const base = published[published.length - 1];
    const copied = last ? undefined : await this.counterpartOf(departmentId);
    const number = (last?.number ?? 0) + 1;
    const now = new Date().toISOString();
    const doc: EditionDoc = {
      _id: editionId(departmentId, number),
      departmentId,
      departmentName: base?.departmentName ?? copied?.departmentName ?? p.name,
      number,
      label: `第${number}版`,
      status: 'draft',
      measures: base?.measures ?? copied?.measures ?? [],
      ...(base ? { basedOn: base.number } : {}),
      ...(copied ? { copiedFrom: copied.from } : {}),
      createdAt: now,
      createdBy: who(p),
      updatedAt: now,
      reviews: [],
    };
    try {
      await insertEdition(doc);
    } catch (e) {
      if (e instanceof EditionConflict)
        throw new HttpError(
          409,
          'conflict',
          '本部门已有一个未发布的清单版本（草稿、待审核、退回或待发布），请先完成它',
        );
      throw e;
    }
    return toEditionView(doc);
  }

  /**
   * What a department of the tree without a list of its own starts from: the list it applies (its
   * `measuresList`, another department's) as in force today, re-numbered under its own id.
   */
  private async counterpartOf(departmentId: string) {
    const dept = (await loadOrgTree()).department(departmentId);
    if (!dept || dept.measuresList === departmentId) return undefined;
    const [published, suspended] = await Promise.all([publishedEditions(dept.measuresList), listSuspensions()]);
    const e = editionInForce(published, this.today());
    if (!e) return undefined;
    const measures = countyFirstDraft(e.measures, departmentId, new Set(suspended.map((s) => s.measureId)));
    return { departmentName: dept.name, measures, from: editionRefOf(e) };
  }

  /** Replaces the draft's measures with `draft` (a measures file: the import format too). */
  async saveDraft(p: Principal, number: number, draft: EditionDraft) {
    const departmentId = p.departmentId!;
    if (draft.department.id !== departmentId)
      throw new HttpError(
        403,
        'forbidden',
        `字段 body.department.id 有误：只能编辑本部门（${departmentId}）的措施清单，不能编辑“${draft.department.id}”的`,
      );
    const doc = await this.get(departmentId, number);
    const after = await transition(doc._id, ['draft', 'returned'], {
      label: draft.edition,
      measures: draft.measures,
      status: 'draft',
      updatedAt: new Date().toISOString(),
    });
    if (!after) throw this.wrongStatus(doc, '修改');
    return toEditionView(after);
  }

  async submit(p: Principal, number: number) {
    const doc = await this.get(p.departmentId!, number);
    if (doc.measures.length === 0) throw ruleViolation('measures', ['清单版本至少需要一项措施']);
    const at = new Date().toISOString();
    const after = await transition(doc._id, ['draft', 'returned'], {
      status: 'submitted',
      submittedAt: at,
      updatedAt: at,
    });
    if (!after) throw this.wrongStatus(doc, '提交');
    return toEditionView(after);
  }

  async review(departmentId: string, number: number, req: ReviewRequest, p: Principal) {
    const doc = await this.get(departmentId, number);
    const comments = req.decision === 'return' ? req.comments : [];
    const unknown = unknownCommented(doc.measures, comments);
    if (unknown.length) {
      const i = comments.findIndex((c) => c.measureId === unknown[0]);
      throw ruleViolation(`body.comments[${i}].measureId`, [`本版本没有措施 ${unknown[0]}`]);
    }
    const at = new Date().toISOString();
    const after = await transition(
      doc._id,
      ['submitted'],
      { status: req.decision === 'approve' ? 'approved' : 'returned', updatedAt: at },
      { reviews: [{ decision: req.decision, by: who(p), at, comments, ...(req.note ? { note: req.note } : {}) }] },
    );
    if (!after) throw this.wrongStatus(doc, '审核');
    return toEditionView(after);
  }

  /**
   * Publishes an approved edition from `effectiveFrom`. With re-matching, the running listings on the
   * list categories of the edition before or after are re-matched on that day. Repeating the same
   * publication answers the published edition (and starts its re-matching if it had not started).
   */
  async publish(departmentId: string, number: number, req: PublicationRequest, p: Principal) {
    const doc = await this.get(departmentId, number);
    if (doc.status === 'published') {
      if (doc.effectiveFrom !== req.effectiveFrom || doc.runningListings !== req.runningListings)
        throw new HttpError(409, 'conflict', `该版本已于 ${doc.publishedAt} 发布（自 ${doc.effectiveFrom} 起施行）`);
      if (doc.rematchWorkflowId) await this.startRematch(doc);
      return toEditionView(doc);
    }
    if (doc.status !== 'approved') throw this.wrongStatus(doc, '发布');
    const rematchWorkflowId = req.runningListings === 'rematch' ? editionRematchWorkflowId(doc._id) : undefined;
    const today = this.today();
    const r = await publishEdition(
      doc._id,
      {
        effectiveFrom: req.effectiveFrom,
        runningListings: req.runningListings,
        publishedAt: new Date().toISOString(),
        publishedBy: who(p),
        ...(rematchWorkflowId ? { rematchWorkflowId } : {}),
      },
      (published) => publicationProblem(published, req.effectiveFrom, today),
    );
    if ('problem' in r) throw ruleViolation('body.effectiveFrom', [r.problem]);
    if ('notApproved' in r) throw this.wrongStatus((await this.get(departmentId, number)) ?? doc, '发布');
    if (rematchWorkflowId) await this.startRematch(r.edition);
    return toEditionView(r.edition);
  }

  /** The re-matching run of a published edition: the categories of the edition before it and of this one. */
  private async startRematch(doc: EditionDoc) {
    const published = await publishedEditions(doc.departmentId);
    const before = editionInForce(
      published.filter((e) => e.number !== doc.number),
      doc.effectiveFrom!,
    );
    const categories = [...new Set([...(before?.measures ?? []), ...doc.measures].flatMap((m) => m.categories))];
    const input: RematchWorkflowInput = {
      change: { key: `edition:${doc._id}`, reason: 'edition_published', editionId: doc._id },
      targets: { categories },
      startAt: startOfCstDay(doc.effectiveFrom!).toISOString(),
    };
    await this.startOnce(doc.rematchWorkflowId!, input);
  }

  async diff(departmentId: string, from: number, to: number) {
    const [a, b] = await Promise.all([this.get(departmentId, from), this.get(departmentId, to)]);
    return toEditionDiffView(a, b, diffMeasures(a.measures, b.measures));
  }

  /** Suspends a measure of an edition in force city-wide as over-reaching, and lifts it from running listings. */
  async suspend(req: SuspensionRequest, p: Principal) {
    const inForce = await this.measureInForce(req.measureId);
    if (!inForce) throw ruleViolation('body.measureId', [`现行措施清单中没有措施 ${req.measureId}`]);
    const at = new Date().toISOString();
    const doc = await insertSuspension((round): SuspensionDoc => ({
      _id: req.measureId,
      measureId: req.measureId,
      departmentId: inForce.departmentId,
      reason: req.reason,
      by: who(p),
      at,
      rematchWorkflowId: suspensionKeys(req.measureId, round).workflowId,
      ...(round > 1 ? { round } : {}),
    }));
    if (!doc) {
      const existing = await suspensions().findOne({ _id: req.measureId });
      // a request interrupted after storing the suspension left its run unstarted: the repeat starts it (once)
      if (existing) await this.startSuspension(existing);
      throw new HttpError(409, 'conflict', `措施 ${req.measureId} 已于 ${existing?.at ?? ''} 暂停实施`);
    }
    await this.startSuspension(doc);
    return toSuspensionView(doc);
  }

  /**
   * Lifts a measure's suspension city-wide: new listings match it again at once, and the running
   * listings on its list categories are re-matched (the same `rematch` Update), so those that match it
   * regain it, each once. A measure that is not suspended is refused; that refusal also starts the
   * re-matching of its last lifting if an interrupted request had not.
   */
  async liftSuspension(measureId: string, req: SuspensionLiftRequest, p: Principal) {
    const inForce = await this.measureInForce(measureId);
    const at = new Date().toISOString();
    const lift = await liftSuspension(measureId, ({ _id, ...suspension }) => {
      const keys = suspensionKeys(measureId, suspension.round ?? 1);
      return {
        _id: keys.liftId,
        measureId,
        suspension,
        reason: req.reason,
        by: who(p),
        at,
        rematchWorkflowId: keys.liftWorkflowId,
        categories: inForce?.measure.categories ?? [],
      };
    });
    if (!lift) {
      const last = await lastSuspensionLift(measureId);
      if (last) await this.startLift(last);
      throw new HttpError(409, 'conflict', `措施 ${measureId} 未暂停实施，无需恢复`);
    }
    await this.startLift(lift);
    return toSuspensionLiftView(lift);
  }

  private async startLift(lift: SuspensionLiftDoc) {
    const input: RematchWorkflowInput = {
      change: {
        key: suspensionKeys(lift.measureId, lift.suspension.round ?? 1).liftKey,
        reason: 'suspension_lifted',
        measureId: lift.measureId,
        note: lift.reason,
      },
      targets: { categories: lift.categories },
      startAt: lift.at,
    };
    await this.startOnce(lift.rematchWorkflowId, input);
  }

  private async startSuspension(doc: SuspensionDoc) {
    const input: RematchWorkflowInput = {
      change: {
        key: suspensionKeys(doc.measureId, doc.round ?? 1).key,
        reason: 'measure_suspended',
        measureId: doc.measureId,
        note: doc.reason,
      },
      targets: { measureId: doc.measureId },
      startAt: doc.at,
    };
    await this.startOnce(doc.rematchWorkflowId, input);
  }

  /** Starts the re-matching run unless it runs or has run (a repeated request). */
  private async startOnce(workflowId: string, input: RematchWorkflowInput) {
    try {
      await this.client.workflow.start(rematchWorkflow, {
        taskQueue: this.taskQueue,
        workflowId,
        args: [input],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
    } catch (e) {
      if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
    }
  }

  async suspensions() {
    return (await listSuspensions()).map(toSuspensionView);
  }

  private async measureInForce(measureId: string): Promise<{ departmentId: string; measure: Measure } | undefined> {
    const departmentId = measureId.split('.')[0];
    const e = editionInForce(await publishedEditions(departmentId), this.today());
    const measure = e?.measures.find((m) => m.id === measureId);
    return e && measure ? { departmentId, measure } : undefined;
  }

  private wrongStatus(doc: EditionDoc, action: string) {
    const status = EDITION_STATUS_LABELS[doc.status];
    return new HttpError(409, 'conflict', `第 ${doc.number} 版当前状态为“${status}”，不能${action}`);
  }
}
