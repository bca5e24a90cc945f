// Errors shaped like Stripe's: `{ error: { type, code, decline_code, param, message, ... } }`
// with the HTTP statuses the SDK maps to its error classes.

export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  doc_url?: string;
  payment_intent?: unknown;
  charge?: string;
  payment_method?: unknown;
  advice_code?: string;
}

export class StripeApiError extends Error {
  /**
   * Stripe saves an idempotent result only once the endpoint began executing; requests refused
   * by parameter validation are not saved, so a corrected retry with the same key works.
   */
  readonly beforeExecution: boolean;
  readonly headers: Record<string, string>;

  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
    options: { beforeExecution?: boolean; headers?: Record<string, string> } = {},
  ) {
    super(body.message);
    this.beforeExecution = options.beforeExecution ?? false;
    this.headers = options.headers ?? {};
  }

  toJSON(): { error: StripeErrorBody } {
    return { error: this.body };
  }
}

const docUrl = (code: string): string => `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}`;

export function invalidRequest(message: string, param?: string, code?: string): StripeApiError {
  return new StripeApiError(
    400,
    {
      type: 'invalid_request_error',
      message,
      ...(param !== undefined ? { param } : {}),
      ...(code !== undefined ? { code, doc_url: docUrl(code) } : {}),
    },
    { beforeExecution: true },
  );
}

export function missingParam(param: string): StripeApiError {
  return invalidRequest(`Missing required param: ${param}.`, param, 'parameter_missing');
}

export function invalidParam(param: string, message: string, code = 'parameter_invalid_empty'): StripeApiError {
  return invalidRequest(message, param, code);
}

export function unknownParam(param: string): StripeApiError {
  return invalidRequest(`Received unknown parameter: ${param}`, param, 'parameter_unknown');
}

export function resourceMissing(kind: string, id: string, param = 'id'): StripeApiError {
  return new StripeApiError(
    404,
    { type: 'invalid_request_error', code: 'resource_missing', doc_url: docUrl('resource_missing'), param, message: `No such ${kind}: '${id}'` },
    { beforeExecution: true },
  );
}

export function stateError(message: string, code?: string, extra: Partial<StripeErrorBody> = {}): StripeApiError {
  return new StripeApiError(400, {
    type: 'invalid_request_error',
    message,
    ...(code !== undefined ? { code, doc_url: docUrl(code) } : {}),
    ...extra,
  });
}

export function cardError(body: Omit<StripeErrorBody, 'type'>): StripeApiError {
  const code = body.code ?? 'card_declined';
  return new StripeApiError(402, { type: 'card_error', doc_url: docUrl(code), ...body, code });
}

export function authError(message: string): StripeApiError {
  return new StripeApiError(401, { type: 'invalid_request_error', message }, { beforeExecution: true });
}

export function rateLimitError(): StripeApiError {
  return new StripeApiError(
    429,
    {
      type: 'invalid_request_error',
      code: 'rate_limit',
      doc_url: docUrl('rate_limit'),
      message: 'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
    },
    { beforeExecution: true },
  );
}

export function apiError(message = 'An unknown error occurred'): StripeApiError {
  return new StripeApiError(500, { type: 'api_error', message });
}

export function notFoundRoute(method: string, path: string): StripeApiError {
  return new StripeApiError(
    404,
    { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.` },
    { beforeExecution: true },
  );
}

/**
 * A parameter (or value) Stripe knows that the simulator does not simulate: refused like an unknown
 * one rather than accepted and ignored, so code relying on it fails here instead of passing untested.
 */
export function unsimulated(param: string, what: string): StripeApiError {
  return invalidRequest(`Received unknown parameter: ${param} (the Stripe simulator does not simulate ${what}).`, param, 'parameter_unknown');
}
