/** HTTP errors: every refusal answers with a status, a code and a message a person can act on. */
import type { ErrorRequestHandler } from 'express';
import { WorkflowUpdateFailedError, WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { REFUSAL_STATUS, refusalCodeOf } from '../domain/refusal';
import { isRuleIssue } from '../domain/rule-issue';
import { workflowKindOf } from '../domain/workflow-ids';
import { isUnavailable } from './unavailable';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

export const fieldPath = (p: PropertyKey[]) =>
  p
    .map((x) => (typeof x === 'number' ? `[${x}]` : `.${String(x)}`))
    .join('')
    .replace(/^\./, '');

/**
 * A zod error as a 400 (the input does not match the published schema), or as a 422 when every problem
 * is a rule the schema cannot express (domain/rule-issue.ts): the first problem in the message, all of
 * them in details.
 */
export function validationError(err: z.ZodError, where: string): HttpError {
  const issues = err.issues.map((i) => ({
    field: [where, fieldPath(i.path)].filter(Boolean).join('.'),
    message: i.message,
  }));
  const first = issues[0];
  const [status, code] = err.issues.every(isRuleIssue) ? [422, 'rule_violated'] : [400, 'invalid_input'];
  return new HttpError(status, code, `字段 ${first.field || where} 有误：${first.message}`, issues);
}

/** A 422: the input matches its schema but breaks a rule that depends on stored state or on several fields. */
export function ruleViolation(field: string, messages: string[]): HttpError {
  const details = messages.map((message) => ({ field, message }));
  return new HttpError(422, 'rule_violated', `字段 ${field} 有误：${messages[0]}`, details);
}

/**
 * Maps a refused Temporal Update (validator or handler failure) to an HTTP error with the refusal's code,
 * and a missing workflow to a 404 that names what was not found (listing, case, import).
 */
export function fromTemporal(e: unknown): unknown {
  if (e instanceof WorkflowUpdateFailedError && e.cause instanceof ApplicationFailure) {
    const code = refusalCodeOf(e.cause.type) ?? 'conflict';
    return new HttpError(REFUSAL_STATUS[code], code, e.cause.message);
  }
  if (e instanceof WorkflowNotFoundError) {
    const kind = workflowKindOf(e.workflowId ?? '')?.name;
    return new HttpError(404, 'not_found', `找不到该${kind ? `${kind}的` : ''}流程（编号 ${e.workflowId ?? '未知'}）`);
  }
  return e;
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const e = fromTemporal(err);
  if (e instanceof HttpError) {
    res.status(e.status).json({ error: { code: e.code, message: e.message, details: e.details } });
    return;
  }
  const status = (err as { status?: number; type?: string }).status;
  if (status === 413) {
    res.status(413).json({ error: { code: 'payload_too_large', message: '请求体过大' } });
    return;
  }
  if ((err as { type?: string }).type === 'entity.parse.failed') {
    res.status(400).json({ error: { code: 'invalid_json', message: '请求体不是合法的 JSON' } });
    return;
  }
  if (status && status >= 400 && status < 500) {
    res.status(status).json({ error: { code: 'bad_request', message: (err as Error).message } });
    return;
  }
  if (isUnavailable(err)) {
    console.error(`[api] ${req.method} ${req.originalUrl}: a server is unavailable:`, (err as Error).message);
    res.setHeader('Retry-After', '2');
    res.status(503).json({
      error: { code: 'unavailable', message: '服务暂时不可用（数据库或流程引擎正在切换或重启），请稍后重试' },
    });
    return;
  }
  console.error(`[api] ${req.method} ${req.originalUrl} failed:`, err);
  res.status(500).json({ error: { code: 'internal', message: '服务器内部错误，请稍后重试或联系管理员' } });
};
