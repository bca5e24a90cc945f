import { DomainError, NotFoundError } from '@shared/errors/domain-error';
import type * as v from 'valibot';
import { createHttpFunction, parseJsonBody, type AuthenticatedRequest, type HttpResult, type Route } from '@shared/http/http-function';
import { validate } from '@shared/http/validate';
import { PROBLEM_TYPE_PREFIX } from '../../composition/service';
import { compose, telemetry, type PaymentsDeps } from './composition-root';
import { CancelBody, CaptureBody, CheckoutBody, ConfirmBody, CreateByAmountBody, ListQuery, RefundBody } from './schemas';

/** The payment id in the path: ours (`pay_…`) or Stripe's (`pi_…`); anything else cannot be the caller's payment. */
function paymentIdOf(request: AuthenticatedRequest): string {
  const id = request.pathParameters.id ?? '';
  if (!/^(pay|pi)_[A-Za-z0-9]{1,100}$/.test(id)) throw new NotFoundError('No such payment.', 'payment_not_found');
  return id;
}

/** Runs a mutating call under the caller's Idempotency-Key (if sent); a replay says so in a header. */
async function idempotent(
  request: AuthenticatedRequest,
  deps: PaymentsDeps,
  payload: unknown,
  run: (operationId: string) => Promise<{ status: number; body: unknown }>,
): Promise<HttpResult> {
  const result = await deps.idempotency.run(
    { userId: request.principal.userId, key: request.headers['idempotency-key'], operation: `${request.routeKey} ${request.pathParameters.id ?? ''}`, payload },
    run,
  );
  return { status: result.status, body: result.body, ...(result.replayed ? { headers: { 'idempotent-replayed': 'true' } } : {}) };
}

/** A mutating call on one of the caller's payments: validate the body, find the payment id, run under the Idempotency-Key. */
function onPayment<S extends v.GenericSchema<unknown, Record<string, unknown>>>(
  schema: S,
  status: number,
  execute: (deps: PaymentsDeps, input: v.InferOutput<S> & { userId: string; id: string; operationId: string }) => Promise<unknown>,
): Route<PaymentsDeps> {
  return {
    auth: 'jwt',
    handle: async (request, deps) => {
      const body = validate(schema, parseJsonBody(request));
      const id = paymentIdOf(request);
      return idempotent(request, deps, body, async (operationId) => ({
        status,
        body: await execute(deps, { ...body, userId: request.principal.userId, id, operationId }),
      }));
    },
  };
}

/** Every payment request refused as invalid is counted (InvalidPaymentRequest), whichever check refused it. */
function counted(routes: Record<string, Route<PaymentsDeps>>): Record<string, Route<PaymentsDeps>> {
  return Object.fromEntries(
    Object.entries(routes).map(([key, route]) => {
      if (route.auth !== 'jwt') return [key, route];
      return [
        key,
        {
          auth: 'jwt',
          handle: async (request, deps) => {
            try {
              return await route.handle(request, deps);
            } catch (error) {
              if (error instanceof DomainError && error.kind === 'validation') deps.metrics.invalidPaymentRequest();
              throw error;
            }
          },
        } satisfies Route<PaymentsDeps>,
      ];
    }),
  );
}

/** /stripe/payment-intent and /stripe/payments: the caller's payments. */
export const handler = createHttpFunction({
  telemetry,
  problemTypePrefix: PROBLEM_TYPE_PREFIX,
  compose,
  authenticator: (deps) => deps.authenticator,
  routes: counted({
    'POST /stripe/payment-intent': {
      auth: 'jwt',
      handle: async (request, deps) => {
        // Two modes, told apart by the body: a price id opens a hosted checkout, an amount makes a payment intent.
        const raw = parseJsonBody(request);
        const identity = { userId: request.principal.userId, email: request.principal.email, role: request.principal.role };
        if (raw !== null && typeof raw === 'object' && !Array.isArray(raw) && 'priceId' in raw) {
          const body = validate(CheckoutBody, raw);
          return idempotent(request, deps, body, async (operationId) => ({
            status: 201,
            body: await deps.createCheckoutSession.execute({ ...body, ...identity, operationId }),
          }));
        }
        const body = validate(CreateByAmountBody, raw);
        return idempotent(request, deps, body, async (operationId) => ({
          status: 201,
          body: await deps.createPaymentIntent.execute({ ...body, ...identity, operationId }),
        }));
      },
    },
    'GET /stripe/payment-intent/{id}': {
      auth: 'jwt',
      handle: async (request, deps) => ({ status: 200, body: await deps.getPayment.execute({ userId: request.principal.userId, id: paymentIdOf(request) }) }),
    },
    'POST /stripe/payment-intent/{id}/confirm': onPayment(ConfirmBody, 200, (deps, input) => deps.confirmPaymentIntent.execute(input)),
    'POST /stripe/payment-intent/{id}/capture': onPayment(CaptureBody, 200, (deps, input) => deps.capturePaymentIntent.execute(input)),
    'POST /stripe/payment-intent/{id}/cancel': onPayment(CancelBody, 200, (deps, input) => deps.cancelPaymentIntent.execute(input)),
    'POST /stripe/payment-intent/{id}/refund': onPayment(RefundBody, 201, (deps, input) => deps.refundPayment.execute(input)),
    'GET /stripe/payments': {
      auth: 'jwt',
      handle: async (request, deps) => {
        const query = validate(ListQuery, request.query);
        return { status: 200, body: await deps.listPayments.execute({ ...query, userId: request.principal.userId }) };
      },
    },
  }),
});
