/**
 * The listing's state and its transitions, as plain code: no Temporal, no I/O, no clock of its own.
 * The workflow (workflows/listing.ts) owns the handlers, timers and the loop; each handler asks this
 * class whether a change is allowed (`check…`, throwing a Refusal), applies it, and writes the
 * ProjectionBatch it returns. Unit-tested in test/unit/listing-state.test.ts.
 *
 * Every write is idempotent downstream because each change bumps a revision (listing or task) and
 * each event and message has an id made of the entry id and a sequence or key.
 */
import { endOfCstDay, startOfCstDay } from '../domain/cst';
import type { ListingDeadlines, ListingReplan, ReplanCalendarInput } from '../domain/replan';
import { replanKey } from './replan-update';
import type { DepartmentChange, RematchInput, RematchResult } from './rematch-update';
import { Refusal } from '../domain/refusal';
import type {
  AcknowledgeInput,
  ClearObjectionInput,
  CloseReason,
  CorrectInput,
  FeedbackInput,
  FlagObjectionInput,
  ListingEvent,
  ListingEventType,
  ListingInput,
  ListingState,
  MatchedGroup,
  OutboxMessage,
  ProjectionBatch,
  RemoveInput,
  TaskState,
} from './listing-types';

/** What the notice plan (a local activity over the calendar and rules) gives the listing. */
export interface NoticePlan {
  noticeEndsAt: string;
  effectiveAt: string;
  expiresAt: string;
  calendarCovered: boolean;
  noticeWindowWorkingDays: number;
}

/** One task's deadlines, planned by a local activity. */
export interface TaskPlan {
  ackDeadline: string;
  remindAt: string;
  feedbackDue: string;
  /** false: a deadline reaches into a year whose holiday arrangement is not known yet. */
  calendarCovered?: boolean;
}

export class ListingMachine {
  readonly state: ListingState;

  constructor(
    input: ListingInput,
    private readonly now: () => string,
  ) {
    const { request } = input;
    this.state = input.resume
      ? { ...input.resume, runs: input.resume.runs + 1 }
      : {
          entryId: input.entryId,
          request,
          subjectId: request.subject.type === 'individual' ? request.subject.idNumber : request.subject.uscc,
          status: 'notice',
          startedAt: now(),
          noticeEndsAt: '',
          effectiveAt: '',
          expiresAt: '',
          calendarCovered: true,
          tasks: [],
          rev: 0,
          eventSeq: 0,
          feedbackSeq: 0,
          runs: 1,
        };
  }

  // ---- building blocks ----

  private event(type: ListingEventType, departmentId?: string, detail?: Record<string, unknown>): ListingEvent {
    const s = this.state;
    s.eventSeq += 1;
    return {
      id: `${s.entryId}:${s.eventSeq}`,
      entryId: s.entryId,
      seq: s.eventSeq,
      type,
      at: this.now(),
      departmentId,
      detail,
    };
  }

  private message(m: Omit<OutboxMessage, 'id' | 'entryId' | 'at'>, key: string): OutboxMessage {
    return { ...m, id: `${this.state.entryId}:${key}`, entryId: this.state.entryId, at: this.now() };
  }

  private touch(t: TaskState): TaskState {
    t.rev += 1;
    return t;
  }

  private snapshot(): NonNullable<ProjectionBatch['listing']> {
    this.state.rev += 1;
    const { tasks, ...rest } = this.state;
    return { ...rest, taskCount: tasks.length };
  }

  taskOf(departmentId: string): TaskState {
    const t = this.state.tasks.find((x) => x.departmentId === departmentId);
    if (!t) throw new Refusal('task_not_found', `本名单条目没有部门 ${departmentId} 的任务`);
    return t;
  }

  /** The webhook of the department a message is addressed to, if it has one. */
  webhookFor(message: OutboxMessage): string | undefined {
    if (message.audience !== 'department') return undefined;
    return this.state.tasks.find((t) => t.departmentId === message.recipient)?.webhookUrl;
  }

  // ---- prior notice and taking effect ----

  /** Records the notice plan; the batch announces the notice to the subject. */
  serveNotice(plan: NoticePlan): ProjectionBatch {
    const s = this.state;
    Object.assign(s, {
      noticeEndsAt: plan.noticeEndsAt,
      effectiveAt: plan.effectiveAt,
      expiresAt: plan.expiresAt,
      calendarCovered: plan.calendarCovered,
    });
    return {
      listing: this.snapshot(),
      events: [
        this.event('started'),
        this.event('notice_served', undefined, {
          noticeEndsAt: plan.noticeEndsAt,
          workingDays: plan.noticeWindowWorkingDays,
        }),
      ],
      outbox: [
        this.message(
          {
            audience: 'subject',
            recipient: s.subjectId,
            type: 'prior_notice',
            payload: {
              category: s.request.category,
              reason: s.request.reason,
              legalBasis: s.request.legalBasis,
              objectionDeadline: plan.noticeEndsAt,
              rights: '可在告知期内提出异议、进行陈述和申辩',
            },
          },
          'notice',
        ),
      ],
    };
  }

  /** Takes effect: one task per matched department. `deferred` is a notice batch not written yet. */
  activate(
    effectiveAt: string,
    groups: MatchedGroup[],
    plans: TaskPlan[],
    deferred?: ProjectionBatch,
  ): ProjectionBatch {
    const s = this.state;
    s.status = 'active';
    s.effectiveAt = effectiveAt;
    if (plans.some((p) => p.calendarCovered === false)) s.calendarCovered = false;
    s.tasks = groups.map((g, i): TaskState => ({
      taskId: `${s.entryId}:${g.departmentId}`,
      entryId: s.entryId,
      subjectId: s.subjectId,
      entry: {
        listKind: s.request.listKind,
        category: s.request.category,
        severity: s.request.severity,
        authority: s.request.authority,
        effectiveAt,
        expiresAt: s.expiresAt,
      },
      departmentId: g.departmentId,
      departmentName: g.departmentName,
      ...(g.webhookUrl ? { webhookUrl: g.webhookUrl } : {}),
      measures: g.measures,
      ...(g.edition ? { edition: g.edition } : {}),
      status: 'pending',
      assignedAt: effectiveAt,
      ackDeadline: plans[i].ackDeadline,
      remindAt: plans[i].remindAt,
      feedbackDue: plans[i].feedbackDue,
      overdue: false,
      feedbackOverdue: false,
      feedbackCount: 0,
      rev: 1,
    }));
    return {
      listing: this.snapshot(),
      tasks: s.tasks,
      events: [
        ...(deferred?.events ?? []),
        this.event('effective', undefined, { taskCount: s.tasks.length }),
        ...s.tasks.map((t) =>
          this.event('task_assigned', t.departmentId, {
            measureIds: t.measures.map((m) => m.id),
            ackDeadline: t.ackDeadline,
          }),
        ),
      ],
      outbox: [
        ...(deferred?.outbox ?? []),
        ...s.tasks.map((t) =>
          this.message(
            {
              audience: 'department',
              recipient: t.departmentId,
              type: 'task_assigned',
              taskId: t.taskId,
              payload: {
                subjectId: s.subjectId,
                subjectName: s.request.subject.name,
                category: s.request.category,
                measures: t.measures,
                ackDeadline: t.ackDeadline,
                feedbackDue: t.feedbackDue,
              },
            },
            `assigned:${t.departmentId}`,
          ),
        ),
      ],
    };
  }

  // ---- department work ----

  checkAcknowledge({ departmentId }: AcknowledgeInput): void {
    const s = this.state;
    if (s.status !== 'active')
      throw s.status === 'closed'
        ? new Refusal('listing_closed', '名单条目已结束，任务已解除')
        : new Refusal('listing_in_notice', '名单条目尚未生效，暂无任务可签收');
    const t = this.taskOf(departmentId);
    if (t.status !== 'pending')
      throw new Refusal('already_acknowledged', `该任务已于 ${t.acknowledgedAt} 签收，不能重复签收`);
  }

  acknowledge({ departmentId, by, note }: AcknowledgeInput): { task: TaskState; batch: ProjectionBatch } {
    const t = this.taskOf(departmentId);
    const at = this.now();
    t.status = 'acknowledged';
    t.acknowledgedAt = at;
    t.acknowledgedBy = by;
    t.ackOnTime = at <= t.ackDeadline;
    const batch = {
      tasks: [this.touch(t)],
      events: [this.event('acknowledged', departmentId, { by, note, onTime: t.ackOnTime })],
    };
    return { task: t, batch };
  }

  checkFeedback(fb: FeedbackInput): void {
    const s = this.state;
    if (s.status !== 'active')
      throw s.status === 'closed'
        ? new Refusal('listing_closed', '名单条目已结束，不能再反馈')
        : new Refusal('listing_in_notice', '名单条目尚未生效，不能反馈');
    const t = this.taskOf(fb.departmentId);
    if (t.status !== 'acknowledged') throw new Refusal('not_acknowledged', '请先签收任务再反馈执行情况');
    const unknown = fb.measureIds.filter((id) => !t.measures.some((m) => m.id === id));
    if (unknown.length) throw new Refusal('invalid_input', `措施不属于本任务：${unknown.join(', ')}`);
  }

  feedback(fb: FeedbackInput): { feedbackId: string; task: TaskState; batch: ProjectionBatch } {
    const s = this.state;
    const t = this.taskOf(fb.departmentId);
    s.feedbackSeq += 1;
    const at = this.now();
    const id = `${t.taskId}:fb:${s.feedbackSeq}`;
    t.feedbackCount += 1;
    t.lastFeedbackAt = at;
    t.feedbackOverdue = false;
    const batch = {
      tasks: [this.touch(t)],
      feedback: [{ ...fb, id, entryId: s.entryId, taskId: t.taskId, seq: s.feedbackSeq, reportedAt: at }],
      events: [
        this.event('feedback', fb.departmentId, {
          feedbackId: id,
          matter: fb.matter,
          measureIds: fb.measureIds,
          outcome: fb.outcome,
        }),
      ],
    };
    return { feedbackId: id, task: t, batch };
  }

  // ---- removal, objection, correction ----

  checkRemove(_input: RemoveInput): void {
    if (this.state.status === 'closed') throw new Refusal('listing_closed', '名单条目已结束，不能重复移出');
    if (this.state.removal) throw new Refusal('removal_in_progress', '已在办理移出，请勿重复提交');
  }

  requestRemoval({ by, reason }: RemoveInput): ProjectionBatch {
    this.state.removal = { by, reason, at: this.now() };
    return { listing: this.snapshot(), events: [this.event('removal_requested', undefined, { by, reason })] };
  }

  checkFlagObjection({ caseId }: FlagObjectionInput): void {
    const s = this.state;
    if (s.objection?.caseId === caseId) return;
    if (s.status === 'closed') throw new Refusal('listing_closed', '名单条目已结束，不能再提出异议');
    if (s.removal) throw new Refusal('removal_in_progress', '名单条目正在移出');
    if (s.objection) throw new Refusal('objection_pending', '该条目已有异议正在处理，请等待处理结果');
  }

  /** Flags the entry and every task; undefined for a retried flag of the same case (nothing to write). */
  flagObjection({ caseId }: FlagObjectionInput): ProjectionBatch | undefined {
    const s = this.state;
    if (s.objection?.caseId === caseId) return undefined;
    s.objection = { caseId, since: this.now() };
    s.tasks.forEach((t) => {
      t.underObjection = true;
      this.touch(t);
    });
    return { listing: this.snapshot(), tasks: s.tasks, events: [this.event('objection_filed', undefined, { caseId })] };
  }

  checkClearObjection({ caseId }: ClearObjectionInput): void {
    if (this.state.objection?.caseId !== caseId)
      throw new Refusal('not_current_objection', '该异议不是本条目当前处理中的异议');
  }

  clearObjection({ caseId, outcome }: ClearObjectionInput): ProjectionBatch {
    const s = this.state;
    s.objection = undefined;
    s.tasks.forEach((t) => {
      t.underObjection = false;
      this.touch(t);
    });
    return {
      listing: this.snapshot(),
      tasks: s.tasks,
      events: [this.event('objection_decided', undefined, { caseId, outcome })],
    };
  }

  checkCorrect({ validUntil, reason }: CorrectInput): void {
    if (this.state.status === 'closed') throw new Refusal('listing_closed', '名单条目已结束');
    if (!validUntil && !reason) throw new Refusal('invalid_input', '更正须至少包含有效期或认定理由之一');
    if (validUntil && validUntil > this.state.request.validUntil)
      throw new Refusal('invalid_input', '更正只能缩短有效期，不能延长');
  }

  correct({ caseId, by, validUntil, reason }: CorrectInput): ProjectionBatch {
    const s = this.state;
    const changes: Record<string, unknown> = {};
    if (validUntil) {
      s.request = { ...s.request, validUntil };
      s.expiresAt = endOfCstDay(validUntil).toISOString();
      s.tasks.forEach((t) => (t.entry = { ...t.entry, expiresAt: s.expiresAt }));
      changes.validUntil = validUntil;
    }
    if (reason) {
      s.request = { ...s.request, reason };
      changes.reason = reason;
    }
    s.tasks.forEach((t) => this.touch(t));
    return {
      listing: this.snapshot(),
      tasks: s.tasks,
      events: [this.event('corrected', undefined, { caseId, by, ...changes })],
    };
  }

  // ---- timers ----

  /** The earliest instant at which something falls due: a reminder, an escalation, feedback, expiry. */
  nextTimer(): string {
    let next = this.state.expiresAt;
    for (const t of this.state.tasks) {
      if (t.status === 'pending' && !t.reminderSentAt && t.remindAt < next) next = t.remindAt;
      if (t.status === 'pending' && !t.escalatedAt && t.ackDeadline < next) next = t.ackDeadline;
      // a task a re-matching lifted waits for nothing (before re-matching, no task was lifted while active)
      if (t.status === 'lifted') continue;
      if (t.feedbackCount === 0 && !t.feedbackOverdue && t.feedbackDue < next) next = t.feedbackDue;
    }
    return next;
  }

  /** Reminders, escalations and missing-feedback flags due by now; undefined when nothing is due. */
  fireDueTimers(): ProjectionBatch | undefined {
    const now = this.now();
    const batch: Required<Pick<ProjectionBatch, 'tasks' | 'events' | 'outbox'>> = { tasks: [], events: [], outbox: [] };
    const toOffice = (t: TaskState, key: string, payload: Record<string, unknown>) =>
      this.message(
        { audience: 'office', recipient: 'credit-office', type: 'escalation', taskId: t.taskId, payload },
        `${key}:${t.departmentId}`,
      );
    for (const t of this.state.tasks) {
      let changed = false;
      if (t.status === 'pending' && !t.reminderSentAt && t.remindAt <= now) {
        t.reminderSentAt = now;
        changed = true;
        batch.events.push(this.event('reminder_sent', t.departmentId, { ackDeadline: t.ackDeadline }));
        batch.outbox.push(
          this.message(
            {
              audience: 'department',
              recipient: t.departmentId,
              type: 'reminder',
              taskId: t.taskId,
              payload: { ackDeadline: t.ackDeadline },
            },
            t.replannedAt ? `reminder:${t.departmentId}:${t.ackDeadline}` : `reminder:${t.departmentId}`,
          ),
        );
      }
      if (t.status === 'pending' && !t.escalatedAt && t.ackDeadline <= now) {
        t.escalatedAt = now;
        t.overdue = true;
        changed = true;
        batch.events.push(this.event('escalated', t.departmentId, { ackDeadline: t.ackDeadline }));
        batch.outbox.push(
          toOffice(t, t.replannedAt ? `escalation:${t.ackDeadline}` : 'escalation', {
            departmentId: t.departmentId,
            ackDeadline: t.ackDeadline,
            reason: '逾期未签收',
          }),
        );
      }
      if (t.status !== 'lifted' && t.feedbackCount === 0 && !t.feedbackOverdue && t.feedbackDue <= now) {
        t.feedbackOverdue = true;
        changed = true;
        batch.events.push(this.event('feedback_overdue', t.departmentId, { feedbackDue: t.feedbackDue }));
        batch.outbox.push(
          toOffice(t, 'feedback-overdue', {
            departmentId: t.departmentId,
            feedbackDue: t.feedbackDue,
            reason: '逾期未反馈',
          }),
        );
      }
      if (changed) batch.tasks.push(this.touch(t));
    }
    return batch.tasks.length ? batch : undefined;
  }

  // ---- re-planning when a year becomes covered (domain/replan.ts decides the dates) ----

  checkReplan(_input: ReplanCalendarInput): void {
    if (this.state.status === 'closed') throw new Refusal('listing_closed', '名单条目已结束，期限不再调整');
  }

  /** Records that this calendar version is being applied; false when it was before (a repeat). */
  startReplan(input: ReplanCalendarInput): boolean {
    const key = replanKey(input);
    if (this.state.replans?.includes(key)) return false;
    this.state.replans = [...(this.state.replans ?? []), key];
    return true;
  }

  /** The deadlines the re-plan reads. */
  deadlines(): ListingDeadlines {
    const s = this.state;
    return {
      status: s.status,
      startedAt: s.startedAt,
      noticeServedAt: s.request.noticeServedOn ? startOfCstDay(s.request.noticeServedOn).toISOString() : s.startedAt,
      effectiveDate: s.request.effectiveDate,
      noticeEndsAt: s.noticeEndsAt,
      effectiveAt: s.effectiveAt,
      tasks: s.tasks.map(({ departmentId, status, assignedAt, ackDeadline, remindAt, feedbackDue }) => ({
        departmentId,
        status,
        assignedAt,
        ackDeadline,
        remindAt,
        feedbackDue,
      })),
    };
  }

  /**
   * Applies the re-plan: new dates, flags a later deadline voids, one timeline event and a message to
   * each department (and to the subject while in notice) whose dates changed.
   */
  applyReplan(input: ReplanCalendarInput, plan: ListingReplan): ProjectionBatch {
    const s = this.state;
    const now = this.now();
    const key = replanKey(input);
    s.calendarCovered = true;
    s.noticeEndsAt = plan.noticeEndsAt;
    s.effectiveAt = plan.effectiveAt;
    const changedTasks: TaskState[] = [];
    for (const p of plan.tasks) {
      const t = this.taskOf(p.departmentId);
      if (t.ackDeadline === p.ackDeadline && t.feedbackDue === p.feedbackDue) continue;
      Object.assign(t, { ackDeadline: p.ackDeadline, remindAt: p.remindAt, feedbackDue: p.feedbackDue });
      t.replannedAt = now;
      // a reminder, escalation or missing-feedback flag for the old date does not stand for the new one
      if (t.reminderSentAt && p.remindAt > now) t.reminderSentAt = undefined;
      if (t.escalatedAt && p.ackDeadline > now) Object.assign(t, { escalatedAt: undefined, overdue: false });
      if (t.feedbackOverdue && p.feedbackDue > now) t.feedbackOverdue = false;
      changedTasks.push(this.touch(t));
    }
    const detail = { year: input.year, notice: input.notice.number, changes: plan.changes };
    const told = (departmentId?: string) => plan.changes.filter((c) => c.departmentId === departmentId);
    return {
      listing: this.snapshot(),
      tasks: changedTasks,
      events: plan.changes.length ? [this.event('calendar_replanned', undefined, detail)] : [],
      outbox: [
        ...(s.status === 'notice' && told(undefined).length
          ? [
              this.message(
                {
                  audience: 'subject',
                  recipient: s.subjectId,
                  type: 'deadline_changed',
                  payload: { ...detail, changes: told(undefined), objectionDeadline: s.noticeEndsAt },
                },
                `replan:${key}`,
              ),
            ]
          : []),
        ...changedTasks.map((t) =>
          this.message(
            {
              audience: 'department',
              recipient: t.departmentId,
              type: 'deadline_changed',
              taskId: t.taskId,
              payload: {
                ...detail,
                changes: told(t.departmentId),
                ackDeadline: t.ackDeadline,
                feedbackDue: t.feedbackDue,
              },
            },
            `replan:${key}:${t.departmentId}`,
          ),
        ),
      ],
    };
  }

  // ---- re-matching when the catalogue changes (an edition published, a measure suspended) ----

  checkRematch(_input: RematchInput): void {
    const s = this.state;
    if (s.status === 'closed') throw new Refusal('listing_closed', '名单条目已结束，措施不再调整');
    if (s.status === 'notice')
      throw new Refusal('listing_in_notice', '名单条目尚未生效：生效时按当日施行的清单版本匹配措施');
    if (s.removal) throw new Refusal('removal_in_progress', '名单条目正在移出');
  }

  /** Records that this change is being applied; false when it was before (a repeat). */
  startRematch(input: RematchInput): boolean {
    if (this.state.rematches?.includes(input.key)) return false;
    this.state.rematches = [...(this.state.rematches ?? []), input.key];
    return true;
  }

  /** The matched departments without a live task: their (new or taken up again) tasks need deadlines. */
  groupsToPlan(groups: MatchedGroup[]): MatchedGroup[] {
    return groups.filter((g) => {
      const t = this.state.tasks.find((x) => x.departmentId === g.departmentId);
      return !t || t.status === 'lifted';
    });
  }

  /**
   * Applies a re-match: a department newly matched gets a task (planned with `plans`, aligned with
   * `groupsToPlan(groups)`), a live task takes its department's measures as matched now, and a live
   * task no longer matched is lifted. Feedback already given stays as it was (count and records).
   * One timeline event when anything changed, and a message to every department concerned.
   */
  applyRematch(
    input: RematchInput,
    groups: MatchedGroup[],
    plans: TaskPlan[],
  ): { result: RematchResult; batch: ProjectionBatch } {
    const s = this.state;
    const now = this.now();
    const planOf = new Map(this.groupsToPlan(groups).map((g, i) => [g.departmentId, plans[i]] as const));
    const changes: DepartmentChange[] = [];
    const tasks: TaskState[] = [];
    const outbox: OutboxMessage[] = [];
    const ids = (ms: { id: string }[]) => ms.map((m) => m.id);
    const why = { reason: input.reason, editionId: input.editionId, measureId: input.measureId, note: input.note };
    for (const g of groups) {
      const t = s.tasks.find((x) => x.departmentId === g.departmentId);
      const plan = planOf.get(g.departmentId);
      if (plan) {
        if (plan.calendarCovered === false) s.calendarCovered = false;
        const fresh: TaskState = {
          taskId: `${s.entryId}:${g.departmentId}`,
          entryId: s.entryId,
          subjectId: s.subjectId,
          entry: { ...(t?.entry ?? s.tasks[0]?.entry ?? this.entrySummary()) },
          ...(s.objection ? { underObjection: true } : {}),
          departmentId: g.departmentId,
          departmentName: g.departmentName,
          ...(g.webhookUrl ? { webhookUrl: g.webhookUrl } : {}),
          measures: g.measures,
          ...(g.edition ? { edition: g.edition } : {}),
          status: 'pending',
          assignedAt: now,
          ackDeadline: plan.ackDeadline,
          remindAt: plan.remindAt,
          feedbackDue: plan.feedbackDue,
          overdue: false,
          // feedback given before the task was lifted is kept: its count and its records
          feedbackOverdue: false,
          feedbackCount: t?.feedbackCount ?? 0,
          ...(t?.lastFeedbackAt ? { lastFeedbackAt: t.lastFeedbackAt } : {}),
          ...(t?.replannedAt ? { replannedAt: t.replannedAt } : {}),
          rev: (t?.rev ?? 0) + 1,
        };
        if (t) s.tasks[s.tasks.indexOf(t)] = fresh;
        else s.tasks.push(fresh);
        tasks.push(fresh);
        changes.push({ departmentId: g.departmentId, added: ids(g.measures), lifted: [], task: 'assigned' });
        outbox.push(
          this.message(
            {
              audience: 'department',
              recipient: g.departmentId,
              type: 'task_assigned',
              taskId: fresh.taskId,
              payload: {
                subjectId: s.subjectId,
                subjectName: s.request.subject.name,
                category: s.request.category,
                measures: fresh.measures,
                ackDeadline: fresh.ackDeadline,
                feedbackDue: fresh.feedbackDue,
                ...why,
              },
            },
            t ? `assigned:${g.departmentId}:${input.key}` : `assigned:${g.departmentId}`,
          ),
        );
        continue;
      }
      const live = t!;
      const added = g.measures.filter((m) => !live.measures.some((x) => x.id === m.id));
      const lifted = live.measures.filter((m) => !g.measures.some((x) => x.id === m.id));
      const same = JSON.stringify(live.measures) === JSON.stringify(g.measures);
      if (same && JSON.stringify(live.edition) === JSON.stringify(g.edition)) continue;
      live.measures = g.measures;
      if (g.edition) live.edition = g.edition;
      tasks.push(this.touch(live));
      if (same) continue; // only the edition changed: nothing to tell the department
      changes.push({ departmentId: g.departmentId, added: ids(added), lifted: ids(lifted), task: 'changed' });
      outbox.push(
        this.message(
          {
            audience: 'department',
            recipient: g.departmentId,
            type: 'measures_changed',
            taskId: live.taskId,
            payload: { added, lifted: ids(lifted), measures: live.measures, ...why },
          },
          `rematch:${input.key}:${g.departmentId}`,
        ),
      );
    }
    for (const t of s.tasks) {
      if (t.status === 'lifted' || groups.some((g) => g.departmentId === t.departmentId)) continue;
      t.status = 'lifted';
      t.liftedAt = now;
      tasks.push(this.touch(t));
      changes.push({ departmentId: t.departmentId, added: [], lifted: ids(t.measures), task: 'lifted' });
      outbox.push(
        this.message(
          {
            audience: 'department',
            recipient: t.departmentId,
            type: 'lift',
            taskId: t.taskId,
            payload: { measures: ids(t.measures), ...why },
          },
          `lift:${t.departmentId}:${input.key}`,
        ),
      );
    }
    const result: RematchResult = { applied: true, changes };
    if (changes.length === 0) return { result, batch: { listing: this.snapshot(), tasks } };
    return {
      result,
      batch: {
        listing: this.snapshot(),
        tasks,
        events: [this.event('measures_rematched', undefined, { key: input.key, ...why, changes })],
        outbox,
      },
    };
  }

  private entrySummary(): TaskState['entry'] {
    const s = this.state;
    return {
      listKind: s.request.listKind,
      category: s.request.category,
      severity: s.request.severity,
      authority: s.request.authority,
      effectiveAt: s.effectiveAt,
      expiresAt: s.expiresAt,
    };
  }

  // ---- the end ----

  /** Lifts every task and closes the entry; the batch tells each department and the subject. */
  close(reason: CloseReason): ProjectionBatch {
    const s = this.state;
    const at = this.now();
    // a task a re-matching lifted before was told then
    const lifted = s.tasks
      .filter((t) => t.status !== 'lifted')
      .map((t) => {
        t.status = 'lifted';
        t.liftedAt = at;
        return this.touch(t);
      });
    s.status = 'closed';
    s.closedAt = at;
    s.closeReason = reason;
    return {
      listing: this.snapshot(),
      tasks: lifted,
      events: [...lifted.map((t) => this.event('lifted', t.departmentId)), this.event('closed', undefined, { reason })],
      outbox: [
        ...lifted.map((t) =>
          this.message(
            {
              audience: 'department',
              recipient: t.departmentId,
              type: 'lift',
              taskId: t.taskId,
              payload: { reason, measures: t.measures.map((m) => m.id) },
            },
            `lift:${t.departmentId}`,
          ),
        ),
        this.message(
          { audience: 'subject', recipient: s.subjectId, type: 'listing_closed', payload: { reason } },
          'closed',
        ),
      ],
    };
  }
}
