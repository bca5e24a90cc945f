import { DomainError, type ErrorKind } from '../errors/domain-error';

/** An RFC 9457 problem document, plus our stable `code` and the `requestId` to quote to support. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId: string;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const BY_KIND: Record<ErrorKind, { status: number; title: string }> = {
  validation: { status: 400, title: 'Invalid request' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  idempotency_mismatch: { status: 422, title: 'Idempotency key reused' },
  payment_required: { status: 402, title: 'Payment required' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  rate_limited: { status: 503, title: 'Temporarily overloaded' },
  unavailable: { status: 503, title: 'Service unavailable' },
  internal: { status: 500, title: 'Internal error' },
};

/**
 * Problem type URIs are stable names under the service's own prefix (e.g. `urn:problem-type:billing:`),
 * documented in its OpenAPI document; they need not resolve.
 */
export function problemType(prefix: string, code: string): string {
  return `${prefix}${code}`;
}

export interface ProblemResponse {
  status: number;
  headers: Record<string, string>;
  body: ProblemDocument;
}

/**
 * The one mapping from errors to HTTP. Expected failures (DomainError) keep their message and
 * details; anything else becomes a generic 500 whose detail says nothing about the cause, so no
 * stack trace, SDK message or secret can reach a caller.
 */
export function toProblem(error: unknown, requestId: string, typePrefix: string): ProblemResponse {
  const headers: Record<string, string> = { 'content-type': PROBLEM_CONTENT_TYPE };
  if (error instanceof DomainError) {
    const { status, title } = BY_KIND[error.kind];
    if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterSeconds)));
    if (error.kind === 'unauthorized') headers['www-authenticate'] = `Bearer error="invalid_token"`;
    return {
      status,
      headers,
      body: { ...(error.details ?? {}), type: problemType(typePrefix, error.code), title, status, detail: error.message, code: error.code, requestId },
    };
  }
  return {
    status: 500,
    headers,
    body: {
      type: problemType(typePrefix, 'internal_error'),
      title: BY_KIND.internal.title,
      status: 500,
      detail: 'An unexpected error occurred. Quote the requestId when reporting it.',
      code: 'internal_error',
      requestId,
    },
  };
}
