/**
 * Why a workflow refuses a request: a typed code, mapped once to an HTTP status (api/errors.ts), with a
 * message in Chinese for the person. Code that reacts to a refusal decides by its code, never by its text.
 * Pure: workflows throw these (as ApplicationFailure of the same type), the API and activities read them.
 */
// No zod here: workflows import this module, and zod would be bundled into every workflow isolate.
export const REFUSAL_CODES = [
  'invalid_input',
  'forbidden',
  'task_not_found',
  'conflict',
  'listing_closed',
  'listing_in_notice',
  'already_acknowledged',
  'not_acknowledged',
  'removal_in_progress',
  'objection_pending',
  'not_current_objection',
  'case_closed',
  'wrong_stage',
  'listing_refused',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

const isRefusalCode = (type: string): type is RefusalCode => (REFUSAL_CODES as readonly string[]).includes(type);

/** The HTTP status of each refusal. */
export const REFUSAL_STATUS: Record<RefusalCode, number> = {
  invalid_input: 422, // the request matched its schema (else it never reached the workflow); the state refuses it
  forbidden: 403,
  task_not_found: 404,
  conflict: 409,
  listing_closed: 409,
  listing_in_notice: 409,
  already_acknowledged: 409,
  not_acknowledged: 409,
  removal_in_progress: 409,
  objection_pending: 409,
  not_current_objection: 409,
  case_closed: 409,
  wrong_stage: 409,
  listing_refused: 409,
};

/**
 * Failure types thrown by workers deployed before the codes above (histories and a rolling upgrade may
 * still carry them): read as the general code of the same meaning.
 */
export const LEGACY_REFUSAL: Record<string, RefusalCode> = {
  NotFound: 'task_not_found',
  Conflict: 'conflict',
  Invalid: 'invalid_input',
  Forbidden: 'forbidden',
};

/** The refusal code of a failure type, or undefined for a failure that is not a refusal. */
export function refusalCodeOf(type: string | undefined | null): RefusalCode | undefined {
  if (!type) return undefined;
  return isRefusalCode(type) ? type : LEGACY_REFUSAL[type];
}

/** A refusal raised by pure code (state transitions); the workflow turns it into an ApplicationFailure. */
export class Refusal extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message);
    this.name = 'Refusal';
  }
}
