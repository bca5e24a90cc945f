/**
 * The kinds of failure a use case can report. The HTTP layer maps each kind to one status, so use
 * cases never think in status codes and every error gets the same treatment on every route.
 */
export type ErrorKind =
  | 'validation'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'idempotency_mismatch'
  | 'payment_required'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'unavailable'
  | 'payload_too_large'
  | 'internal';

export interface ErrorOptions {
  /** Extra, safe-to-show fields added to the problem document (e.g. `declineCode`, `errors`). */
  details?: Record<string, unknown>;
  /** Seconds after which a retry may succeed; becomes the Retry-After header. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/** Base class of every expected failure. `code` is stable and documented; `message` is shown to callers. */
export class DomainError extends Error {
  readonly details: Record<string, unknown> | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    options: ErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export interface FieldIssue {
  field: string;
  message: string;
}

export class ValidationError extends DomainError {
  constructor(message: string, readonly issues: FieldIssue[] = [], code = 'validation_failed') {
    super('validation', code, message, { details: issues.length > 0 ? { errors: issues } : undefined });
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message = 'A valid bearer token is required.', code = 'unauthorized') {
    super('unauthorized', code, message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'You are not allowed to do this.', code = 'forbidden') {
    super('forbidden', code, message);
  }
}

export class NotFoundError extends DomainError {
  constructor(message: string, code = 'not_found') {
    super('not_found', code, message);
  }
}

export class ServiceUnavailableError extends DomainError {
  constructor(message: string, code = 'service_unavailable', options: ErrorOptions = {}) {
    super('unavailable', code, message, options);
  }
}
