/**
 * The 逢办必查 check, the hottest path: the department's live tasks of the subject(s), from the live
 * index while it is provably fresh (db/live-task-index.ts) or else from one indexed MongoDB query,
 * evaluated against the in-memory catalogue. Either way a listing, removal, repair or upheld
 * objection shows within 1 s in every API process. The check record is queued to the check log, not
 * awaited.
 */
import { randomUUID } from 'node:crypto';
import { evaluateCheck, validateDecisions, type CheckTask, type MeasureDecision } from '../../domain/check';
import { TaskModel } from '../../db/models';
import { checkPage, decideCheck, findCheck } from '../../db/check-records';
import { toCheckRecordView } from '../views/check-views';
import type { CheckLog, NewCheckRecord } from '../../db/check-log';
import type { LiveTaskIndex } from '../../db/live-task-index';
import type { Catalogue } from '../../measures/catalogue';
import type { Principal } from '../auth';
import { HttpError, ruleViolation } from '../errors';
import { mapPage, type PageRequest } from '../../domain/pagination';

const LIVE = ['pending', 'acknowledged'];
const TASK_FIELDS = { _id: 0, subjectId: 1, entryId: 1, entry: 1, measures: 1, underObjection: 1 } as const;

/** Told of every check or batch: where its live tasks came from, its results and how long it took. */
export type CheckObserver = (source: 'index' | 'database', results: Array<{ result: string }>, seconds: number) => void;

export class CheckService {
  constructor(
    private readonly catalogue: Catalogue,
    private readonly log: CheckLog,
    private readonly index?: LiveTaskIndex,
    private readonly observe?: CheckObserver,
  ) {}

  /** From the live index when it is provably fresh, else one indexed query. */
  private async liveTasks(
    subjectIds: string[],
    departmentId: string,
  ): Promise<{ tasks: Map<string, CheckTask[]>; source: 'index' | 'database' }> {
    const out = new Map<string, CheckTask[]>();
    if (this.index?.fresh()) {
      for (const s of subjectIds) {
        const hit = this.index.lookup(s, departmentId);
        if (!hit) break; // went stale mid-batch: read the database for all
        out.set(s, hit);
      }
      if (out.size === subjectIds.length) return { tasks: out, source: 'index' };
      out.clear();
    }
    const rows = (await TaskModel.collection
      .find({ subjectId: { $in: subjectIds }, departmentId, status: { $in: LIVE } }, { projection: TASK_FIELDS })
      .toArray()) as unknown as Array<CheckTask & { subjectId: string }>;
    for (const r of rows) out.set(r.subjectId, [...(out.get(r.subjectId) ?? []), r]);
    return { tasks: out, source: 'database' };
  }

  private scope = (id: string) => this.catalogue.measureById.get(id);

  async check(who: Principal, subjectId: string, matter: string) {
    const start = this.observe && process.hrtime.bigint();
    const { tasks, source } = await this.liveTasks([subjectId], who.departmentId!);
    const [answer] = this.answer(who, [subjectId], matter, tasks);
    if (start) this.observe!(source, [answer], Number(process.hrtime.bigint() - start) / 1e9);
    return answer;
  }

  async checkBatch(who: Principal, subjectIds: string[], matter: string) {
    const start = this.observe && process.hrtime.bigint();
    const unique = [...new Set(subjectIds)];
    const { tasks: bySubject, source } = await this.liveTasks(unique, who.departmentId!);
    const batchId = randomUUID();
    const results = this.answer(who, unique, matter, bySubject, batchId);
    if (start) this.observe!(source, results, Number(process.hrtime.bigint() - start) / 1e9);
    return { batchId, matter, count: results.length, hits: results.filter((r) => r.result === 'hit').length, results };
  }

  private answer(
    who: Principal,
    subjectIds: string[],
    matter: string,
    tasks: Map<string, CheckTask[]>,
    batchId?: string,
  ) {
    const at = new Date().toISOString();
    const outcomes = subjectIds.map((subjectId) => evaluateCheck(tasks.get(subjectId) ?? [], matter, this.scope));
    const records: NewCheckRecord[] = outcomes.map((outcome, i) => ({
      at,
      departmentId: who.departmentId!,
      userId: who.sub,
      userName: who.name,
      subjectId: subjectIds[i],
      matter,
      result: outcome.result,
      underObjection: outcome.underObjection,
      entryIds: outcome.entries.map((e) => e.entryId),
      measureIds: outcome.measures.map((m) => m.measureId),
      ...(batchId ? { batchId } : {}),
    }));
    // the log names each check (its id says where it is stored); the answer does not wait for the write
    const { ids } = this.log.record(records);
    return outcomes.map((outcome, i) => ({
      checkId: ids[i],
      checkedAt: at,
      subjectId: subjectIds[i],
      departmentId: who.departmentId!,
      matter,
      ...outcome,
    }));
  }

  /** The department's record, per measure, of applying it or why not. Once per check. */
  async decide(who: Principal, checkId: string, decisions: MeasureDecision[]) {
    await this.log.flush(); // the check may still be queued in this process
    const check = await findCheck(who.departmentId!, checkId);
    if (!check) throw new HttpError(404, 'not_found', `核查记录 ${checkId} 不存在`);
    if (check.decidedAt)
      throw new HttpError(409, 'conflict', `该核查已于 ${check.decidedAt} 填报执行情况，不能重复填报`);
    const problems = validateDecisions(check.measureIds, decisions);
    if (problems.length) {
      throw ruleViolation('body.decisions', problems);
    }
    const decidedAt = new Date().toISOString();
    const r = await decideCheck(who.departmentId!, checkId, { decisions, decidedAt, decidedBy: who.name });
    if (!r) throw new HttpError(409, 'conflict', '该核查已填报执行情况，不能重复填报');
    return toCheckRecordView(r);
  }

  /** The department's checks, newest first, a page at a time, with the total on the first page. */
  async history(who: Principal, q: { subjectId?: string } & PageRequest) {
    const filter = { departmentId: who.departmentId!, ...(q.subjectId ? { subjectId: q.subjectId } : {}) };
    return mapPage(await checkPage(filter, q), toCheckRecordView);
  }
}
