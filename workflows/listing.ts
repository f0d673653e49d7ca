/**
 * The listing workflow (发起–响应–反馈): one execution per list entry, id `listing-<entryId>`.
 *
 * prior notice → effective → match measures → one task per department → acknowledgement deadline
 * with reminder and escalation → feedback any number of times → lift on expiry or removal → closed.
 *
 * Deterministic and thin: every side effect is an activity; deadlines come from a local activity
 * (calendar + rules table) so a calendar update never changes a running workflow's timers.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineUpdate,
  proxyActivities,
  proxyLocalActivities,
  ParentClosePolicy,
  patched,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type * as activities from '../activities/listing-activities';
import { webhookDeliveryWorkflow } from './webhook';
import { endOfCstDay, startOfCstDay } from '../domain/cst';
import type {
  AcknowledgeInput,
  ClearObjectionInput,
  CorrectInput,
  FlagObjectionInput,
  FeedbackInput,
  ListingEvent,
  ListingEventType,
  ListingInput,
  ListingState,
  OutboxMessage,
  ProjectionBatch,
  RemoveInput,
  TaskState,
} from './listing-types';

export const acknowledgeUpdate = defineUpdate<TaskState, [AcknowledgeInput]>('acknowledge');
export const feedbackUpdate = defineUpdate<{ feedbackId: string; task: TaskState }, [FeedbackInput]>('feedback');
export const removeUpdate = defineUpdate<ListingState, [RemoveInput]>('remove');
export const flagObjectionUpdate = defineUpdate<ListingState, [FlagObjectionInput]>('flagObjection');
export const clearObjectionUpdate = defineUpdate<ListingState, [ClearObjectionInput]>('clearObjection');
export const correctUpdate = defineUpdate<ListingState, [CorrectInput]>('correct');
export const stateQuery = defineQuery<ListingState>('state');

const { project: writeProjection } = proxyActivities<typeof activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
// pure computations over in-process data (calendar, rules, catalogue): local activities, recorded in
// history, so replay never recomputes them with newer data
const { planNotice, planTasks, matchMeasures } = proxyLocalActivities<typeof activities>({
  startToCloseTimeout: '10 seconds',
});

/** Workflow refusals carry a type the API maps to an HTTP status. */
const refuse = (type: 'NotFound' | 'Conflict' | 'Invalid', message: string) =>
  ApplicationFailure.create({ type, message, nonRetryable: true });

const nowIso = () => new Date().toISOString();

/** Patch id: the removal update answers after the close is written (before: when the status changed). */
export const CLOSE_WRITTEN_BEFORE_REMOVAL_ANSWERS = 'close-written-before-removal-answers';
/** Patch id: a removal accepted while the run waits to continue as new closes it (before: waited forever). */
export const REMOVAL_CLOSES_BEFORE_CONTINUE_AS_NEW = 'removal-closes-before-continue-as-new';

export async function listingWorkflow(input: ListingInput): Promise<ListingState> {
  const state: ListingState = input.resume
    ? { ...input.resume, runs: input.resume.runs + 1 }
    : {
        entryId: input.entryId,
        request: input.request,
        subjectId:
          input.request.subject.type === 'individual' ? input.request.subject.idNumber : input.request.subject.uscc,
        status: 'notice',
        startedAt: nowIso(),
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

  // ---- projection helpers (pure state changes + one batched, idempotent write) ----
  /** Writes the batch, then pushes its department messages to departments that have a webhook. */
  const project = async (batch: ProjectionBatch) => {
    await writeProjection(batch);
    const pushes = (batch.outbox ?? []).flatMap((message) => {
      const url =
        message.audience === 'department'
          ? state.tasks.find((t) => t.departmentId === message.recipient)?.webhookUrl
          : undefined;
      return url ? [{ url, message }] : [];
    });
    // abandoned children: a slow or failing webhook never holds the listing up
    await Promise.all(
      pushes.map((d) =>
        startChild(webhookDeliveryWorkflow, {
          workflowId: `webhook-${d.message.id}`,
          args: [d],
          parentClosePolicy: ParentClosePolicy.ABANDON,
        }),
      ),
    );
  };

  const event = (type: ListingEventType, departmentId?: string, detail?: Record<string, unknown>): ListingEvent => {
    state.eventSeq += 1;
    return {
      id: `${state.entryId}:${state.eventSeq}`,
      entryId: state.entryId,
      seq: state.eventSeq,
      type,
      at: nowIso(),
      departmentId,
      detail,
    };
  };
  const message = (m: Omit<OutboxMessage, 'id' | 'entryId' | 'at'>, key: string): OutboxMessage => ({
    ...m,
    id: `${state.entryId}:${key}`,
    entryId: state.entryId,
    at: nowIso(),
  });
  const touch = (t: TaskState) => {
    t.rev += 1;
    return t;
  };
  const snapshot = (): NonNullable<ProjectionBatch['listing']> => {
    state.rev += 1;
    const { tasks, ...rest } = state;
    return { ...rest, taskCount: tasks.length };
  };
  const taskOf = (departmentId: string): TaskState => {
    const t = state.tasks.find((x) => x.departmentId === departmentId);
    if (!t) throw refuse('NotFound', `本名单条目没有部门 ${departmentId} 的任务`);
    return t;
  };

  // ---- handlers ----
  setHandler(stateQuery, () => state);

  setHandler(
    acknowledgeUpdate,
    async ({ departmentId, by, note }) => {
      const t = taskOf(departmentId);
      const at = nowIso();
      t.status = 'acknowledged';
      t.acknowledgedAt = at;
      t.acknowledgedBy = by;
      t.ackOnTime = at <= t.ackDeadline;
      await project({
        tasks: [touch(t)],
        events: [event('acknowledged', departmentId, { by, note, onTime: t.ackOnTime })],
      });
      return t;
    },
    {
      validator: ({ departmentId }: AcknowledgeInput) => {
        if (state.status !== 'active')
          throw refuse(
            'Conflict',
            state.status === 'closed' ? '名单条目已结束，任务已解除' : '名单条目尚未生效，暂无任务可签收',
          );
        const t = taskOf(departmentId);
        if (t.status !== 'pending') throw refuse('Conflict', `该任务已于 ${t.acknowledgedAt} 签收，不能重复签收`);
      },
    },
  );

  setHandler(
    feedbackUpdate,
    async (fb) => {
      const t = taskOf(fb.departmentId);
      state.feedbackSeq += 1;
      const at = nowIso();
      const id = `${t.taskId}:fb:${state.feedbackSeq}`;
      t.feedbackCount += 1;
      t.lastFeedbackAt = at;
      t.feedbackOverdue = false;
      await project({
        tasks: [touch(t)],
        feedback: [{ ...fb, id, entryId: state.entryId, taskId: t.taskId, seq: state.feedbackSeq, reportedAt: at }],
        events: [
          event('feedback', fb.departmentId, {
            feedbackId: id,
            matter: fb.matter,
            measureIds: fb.measureIds,
            outcome: fb.outcome,
          }),
        ],
      });
      return { feedbackId: id, task: t };
    },
    {
      validator: (fb: FeedbackInput) => {
        if (state.status !== 'active')
          throw refuse(
            'Conflict',
            state.status === 'closed' ? '名单条目已结束，不能再反馈' : '名单条目尚未生效，不能反馈',
          );
        const t = taskOf(fb.departmentId);
        if (t.status !== 'acknowledged') throw refuse('Conflict', '请先签收任务再反馈执行情况');
        const unknown = fb.measureIds.filter((id) => !t.measures.some((m) => m.id === id));
        if (unknown.length) throw refuse('Invalid', `措施不属于本任务：${unknown.join(', ')}`);
      },
    },
  );

  setHandler(
    removeUpdate,
    async ({ by, reason }) => {
      state.removal = { by, reason, at: nowIso() };
      await project({ listing: snapshot(), events: [event('removal_requested', undefined, { by, reason })] });
      // answer once the close is in MongoDB, so the caller (and every check after it) sees the listing
      // closed; histories recorded before this rule answered when the status changed
      const afterWrite = patched(CLOSE_WRITTEN_BEFORE_REMOVAL_ANSWERS);
      await condition(() => (afterWrite ? closeWritten : state.status === 'closed'));
      return state;
    },
    {
      validator: (_input: RemoveInput) => {
        if (state.status === 'closed') throw refuse('Conflict', '名单条目已结束，不能重复移出');
        if (state.removal) throw refuse('Conflict', '已在办理移出，请勿重复提交');
      },
    },
  );

  // the main loop re-plans its timer when a handler changes a deadline
  let wakes = 0;
  /** The close (status, lifted tasks, events, messages) has been written. */
  let closeWritten = false;

  setHandler(
    flagObjectionUpdate,
    async ({ caseId }) => {
      if (state.objection?.caseId === caseId) return state; // a retried flag of the same case
      state.objection = { caseId, since: nowIso() };
      state.tasks.forEach((t) => {
        t.underObjection = true;
        touch(t);
      });
      await project({
        listing: snapshot(),
        tasks: state.tasks,
        events: [event('objection_filed', undefined, { caseId })],
      });
      return state;
    },
    {
      validator: ({ caseId }: FlagObjectionInput) => {
        if (state.objection?.caseId === caseId) return;
        if (state.status === 'closed') throw refuse('Conflict', '名单条目已结束，不能再提出异议');
        if (state.removal) throw refuse('Conflict', '名单条目正在移出');
        if (state.objection) throw refuse('Conflict', '该条目已有异议正在处理，请等待处理结果');
      },
    },
  );

  setHandler(
    clearObjectionUpdate,
    async ({ caseId, outcome }) => {
      state.objection = undefined;
      state.tasks.forEach((t) => {
        t.underObjection = false;
        touch(t);
      });
      await project({
        listing: snapshot(),
        tasks: state.tasks,
        events: [event('objection_decided', undefined, { caseId, outcome })],
      });
      return state;
    },
    {
      validator: ({ caseId }: ClearObjectionInput) => {
        if (state.objection?.caseId !== caseId) throw refuse('Conflict', '该异议不是本条目当前处理中的异议');
      },
    },
  );

  setHandler(
    correctUpdate,
    async ({ caseId, by, validUntil, reason }) => {
      const changes: Record<string, unknown> = {};
      if (validUntil) {
        state.request = { ...state.request, validUntil };
        state.expiresAt = endOfCstDay(validUntil).toISOString();
        state.tasks.forEach((t) => (t.entry = { ...t.entry, expiresAt: state.expiresAt }));
        changes.validUntil = validUntil;
      }
      if (reason) {
        state.request = { ...state.request, reason };
        changes.reason = reason;
      }
      state.tasks.forEach(touch);
      wakes++;
      await project({
        listing: snapshot(),
        tasks: state.tasks,
        events: [event('corrected', undefined, { caseId, by, ...changes })],
      });
      return state;
    },
    {
      validator: ({ validUntil, reason }: CorrectInput) => {
        if (state.status === 'closed') throw refuse('Conflict', '名单条目已结束');
        if (!validUntil && !reason) throw refuse('Invalid', '更正须至少包含有效期或认定理由之一');
        if (validUntil && validUntil > state.request.validUntil)
          throw refuse('Invalid', '更正只能缩短有效期，不能延长');
      },
    },
  );

  // ---- phase 1: prior notice ----
  // When the notice window is already over (served with the decision), the notice projection is
  // merged into the effective one: one write instead of two.
  let deferred: ProjectionBatch | undefined;
  if (!input.resume) {
    const plan = await planNotice({
      noticeServedAt: state.request.noticeServedOn
        ? startOfCstDay(state.request.noticeServedOn).toISOString()
        : state.startedAt,
      effectiveDate: state.request.effectiveDate,
      validUntil: state.request.validUntil,
    });
    Object.assign(state, {
      noticeEndsAt: plan.noticeEndsAt,
      effectiveAt: plan.effectiveAt,
      expiresAt: plan.expiresAt,
      calendarCovered: plan.calendarCovered,
    });
    const noticeBatch: ProjectionBatch = {
      listing: snapshot(),
      events: [
        event('started'),
        event('notice_served', undefined, {
          noticeEndsAt: plan.noticeEndsAt,
          workingDays: plan.noticeWindowWorkingDays,
        }),
      ],
      outbox: [
        message(
          {
            audience: 'subject',
            recipient: state.subjectId,
            type: 'prior_notice',
            payload: {
              category: state.request.category,
              reason: state.request.reason,
              legalBasis: state.request.legalBasis,
              objectionDeadline: plan.noticeEndsAt,
              rights: '可在告知期内提出异议、进行陈述和申辩',
            },
          },
          'notice',
        ),
      ],
    };
    if (Date.parse(state.effectiveAt) > Date.now()) await project(noticeBatch);
    else deferred = noticeBatch;
  }

  if (state.status === 'notice') {
    await waitUntil(() => !!state.removal, state.effectiveAt);
    // an objection filed during the notice window holds the listing until it is decided
    if (!state.removal && state.objection) await condition(() => !!state.removal || !state.objection);
    if (state.removal || Date.now() >= Date.parse(state.expiresAt)) {
      if (deferred) await project(deferred);
      return close(state.removal ? 'withdrawn_in_notice' : 'expired');
    }
    const groups = await matchMeasures({
      listKind: state.request.listKind,
      category: state.request.category,
      severity: state.request.severity,
      subjectType: state.request.subject.type,
    });
    const effectiveAt = nowIso();
    const plans = await planTasks(effectiveAt, groups);
    state.status = 'active';
    state.effectiveAt = effectiveAt;
    state.tasks = groups.map((g, i): TaskState => ({
      taskId: `${state.entryId}:${g.departmentId}`,
      entryId: state.entryId,
      subjectId: state.subjectId,
      entry: {
        listKind: state.request.listKind,
        category: state.request.category,
        severity: state.request.severity,
        authority: state.request.authority,
        effectiveAt,
        expiresAt: state.expiresAt,
      },
      departmentId: g.departmentId,
      departmentName: g.departmentName,
      ...(g.webhookUrl ? { webhookUrl: g.webhookUrl } : {}),
      measures: g.measures,
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
    await project({
      listing: snapshot(),
      tasks: state.tasks,
      events: [
        ...(deferred?.events ?? []),
        event('effective', undefined, { taskCount: state.tasks.length }),
        ...state.tasks.map((t) =>
          event('task_assigned', t.departmentId, {
            measureIds: t.measures.map((m) => m.id),
            ackDeadline: t.ackDeadline,
          }),
        ),
      ],
      outbox: [
        ...(deferred?.outbox ?? []),
        ...state.tasks.map((t) =>
          message(
            {
              audience: 'department',
              recipient: t.departmentId,
              type: 'task_assigned',
              taskId: t.taskId,
              payload: {
                subjectId: state.subjectId,
                subjectName: state.request.subject.name,
                category: state.request.category,
                measures: t.measures,
                ackDeadline: t.ackDeadline,
                feedbackDue: t.feedbackDue,
              },
            },
            `assigned:${t.departmentId}`,
          ),
        ),
      ],
    });
  }

  // ---- phase 2: active — reminders, escalation, until expiry or removal ----
  while (state.status === 'active') {
    if (state.removal) return close('removed');
    if (Date.now() >= Date.parse(state.expiresAt)) return close('expired');
    await fireDueTimers();
    if (shouldContinueAsNew()) {
      // a removal accepted while handlers finish closes this run instead: its handler waits for the
      // close, so waiting for every handler first would wait forever (as runs before this rule did)
      const removalEndsWait = patched(REMOVAL_CLOSES_BEFORE_CONTINUE_AS_NEW);
      await condition(() => allHandlersFinished() || (removalEndsWait && !!state.removal));
      if (removalEndsWait && state.removal) continue;
      return continueAsNew<typeof listingWorkflow>({ ...input, resume: state });
    }
    const seen = wakes;
    await waitUntil(() => !!state.removal || shouldContinueAsNew() || wakes !== seen, nextTimer());
  }
  return state;

  // ---- helpers (hoisted; they close over state) ----
  function nextTimer(): string {
    let next = state.expiresAt;
    for (const t of state.tasks) {
      if (t.status === 'pending' && !t.reminderSentAt && t.remindAt < next) next = t.remindAt;
      if (t.status === 'pending' && !t.escalatedAt && t.ackDeadline < next) next = t.ackDeadline;
      if (t.feedbackCount === 0 && !t.feedbackOverdue && t.feedbackDue < next) next = t.feedbackDue;
    }
    return next;
  }

  async function fireDueTimers(): Promise<void> {
    const now = nowIso();
    const batch: Required<Pick<ProjectionBatch, 'tasks' | 'events' | 'outbox'>> = { tasks: [], events: [], outbox: [] };
    for (const t of state.tasks) {
      let changed = false;
      if (t.status === 'pending' && !t.reminderSentAt && t.remindAt <= now) {
        t.reminderSentAt = now;
        changed = true;
        batch.events.push(event('reminder_sent', t.departmentId, { ackDeadline: t.ackDeadline }));
        batch.outbox.push(
          message(
            {
              audience: 'department',
              recipient: t.departmentId,
              type: 'reminder',
              taskId: t.taskId,
              payload: { ackDeadline: t.ackDeadline },
            },
            `reminder:${t.departmentId}`,
          ),
        );
      }
      if (t.status === 'pending' && !t.escalatedAt && t.ackDeadline <= now) {
        t.escalatedAt = now;
        t.overdue = true;
        changed = true;
        batch.events.push(event('escalated', t.departmentId, { ackDeadline: t.ackDeadline }));
        batch.outbox.push(
          message(
            {
              audience: 'office',
              recipient: 'credit-office',
              type: 'escalation',
              taskId: t.taskId,
              payload: { departmentId: t.departmentId, ackDeadline: t.ackDeadline, reason: '逾期未签收' },
            },
            `escalation:${t.departmentId}`,
          ),
        );
      }
      if (t.feedbackCount === 0 && !t.feedbackOverdue && t.feedbackDue <= now) {
        t.feedbackOverdue = true;
        changed = true;
        batch.events.push(event('feedback_overdue', t.departmentId, { feedbackDue: t.feedbackDue }));
        batch.outbox.push(
          message(
            {
              audience: 'office',
              recipient: 'credit-office',
              type: 'escalation',
              taskId: t.taskId,
              payload: { departmentId: t.departmentId, feedbackDue: t.feedbackDue, reason: '逾期未反馈' },
            },
            `feedback-overdue:${t.departmentId}`,
          ),
        );
      }
      if (changed) batch.tasks.push(touch(t));
    }
    if (batch.tasks.length) await project(batch);
  }

  function shouldContinueAsNew(): boolean {
    const info = workflowInfo();
    if (input.continueAsNewAtHistoryLength !== undefined)
      return info.historyLength >= input.continueAsNewAtHistoryLength;
    return info.continueAsNewSuggested;
  }

  async function close(reason: ListingState['closeReason'] & string): Promise<ListingState> {
    const at = nowIso();
    const lifted = state.tasks.map((t) => {
      t.status = 'lifted';
      t.liftedAt = at;
      return touch(t);
    });
    state.status = 'closed';
    state.closedAt = at;
    state.closeReason = reason;
    await project({
      listing: snapshot(),
      tasks: lifted,
      events: [...lifted.map((t) => event('lifted', t.departmentId)), event('closed', undefined, { reason })],
      outbox: [
        ...lifted.map((t) =>
          message(
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
        message(
          { audience: 'subject', recipient: state.subjectId, type: 'listing_closed', payload: { reason } },
          'closed',
        ),
      ],
    });
    closeWritten = true;
    await condition(allHandlersFinished);
    return state;
  }
}

/** Waits until `fn` holds or the instant passes; a durable timer, skipped when already past. */
async function waitUntil(fn: () => boolean, iso: string): Promise<boolean> {
  const ms = Date.parse(iso) - Date.now();
  if (ms <= 0) return fn();
  return condition(fn, ms);
}
