import { NotFoundError } from '@shared/errors/domain-error';
import { createHttpFunction, parseJsonBody, type AuthenticatedRequest, type HttpResult } from '@shared/http/http-function';
import { validate } from '@shared/http/validate';
import { PROBLEM_TYPE_PREFIX } from '../../composition/service';
import { compose, telemetry, type PaymentsDeps } from './composition-root';
import { CancelBody, CaptureBody, ConfirmBody, CreateByAmountBody, ListQuery, RefundBody } from './schemas';

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

/** /stripe/payment-intent and /stripe/payments: the caller's payments. */
export const handler = createHttpFunction({
  telemetry,
  problemTypePrefix: PROBLEM_TYPE_PREFIX,
  compose,
  authenticator: (deps) => deps.authenticator,
  routes: {
    'POST /stripe/payment-intent': {
      auth: 'jwt',
      handle: async (request, deps) => {
        const body = validate(CreateByAmountBody, parseJsonBody(request));
        const { principal } = request;
        return idempotent(request, deps, body, async (operationId) => ({
          status: 201,
          body: await deps.createPaymentIntent.execute({ ...body, userId: principal.userId, email: principal.email, role: principal.role, operationId }),
        }));
      },
    },
    'GET /stripe/payment-intent/{id}': {
      auth: 'jwt',
      handle: async (request, deps) => ({ status: 200, body: await deps.getPayment.execute({ userId: request.principal.userId, id: paymentIdOf(request) }) }),
    },
    'POST /stripe/payment-intent/{id}/confirm': {
      auth: 'jwt',
      handle: async (request, deps) => {
        const body = validate(ConfirmBody, parseJsonBody(request));
        const id = paymentIdOf(request);
        return idempotent(request, deps, body, async (operationId) => ({
          status: 200,
          body: await deps.confirmPaymentIntent.execute({ ...body, userId: request.principal.userId, id, operationId }),
        }));
      },
    },
    'POST /stripe/payment-intent/{id}/capture': {
      auth: 'jwt',
      handle: async (request, deps) => {
        const body = validate(CaptureBody, parseJsonBody(request));
        const id = paymentIdOf(request);
        return idempotent(request, deps, body, async (operationId) => ({
          status: 200,
          body: await deps.capturePaymentIntent.execute({ ...body, userId: request.principal.userId, id, operationId }),
        }));
      },
    },
    'POST /stripe/payment-intent/{id}/cancel': {
      auth: 'jwt',
      handle: async (request, deps) => {
        const body = validate(CancelBody, parseJsonBody(request));
        const id = paymentIdOf(request);
        return idempotent(request, deps, body, async (operationId) => ({
          status: 200,
          body: await deps.cancelPaymentIntent.execute({ ...body, userId: request.principal.userId, id, operationId }),
        }));
      },
    },
    'POST /stripe/payment-intent/{id}/refund': {
      auth: 'jwt',
      handle: async (request, deps) => {
        const body = validate(RefundBody, parseJsonBody(request));
        const id = paymentIdOf(request);
        return idempotent(request, deps, body, async (operationId) => ({
          status: 201,
          body: await deps.refundPayment.execute({ ...body, userId: request.principal.userId, id, operationId }),
        }));
      },
    },
    'GET /stripe/payments': {
      auth: 'jwt',
      handle: async (request, deps) => {
        const query = validate(ListQuery, request.query);
        return { status: 200, body: await deps.listPayments.execute({ ...query, userId: request.principal.userId }) };
      },
    },
  },
});
