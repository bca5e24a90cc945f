import * as v from 'valibot';
import { createHttpFunction, parseJsonBody } from '@shared/http/http-function';
import { validate } from '@shared/http/validate';
import type { Customer } from '../../domain/customer';
import { PROBLEM_TYPE_PREFIX } from '../../composition/service';
import { compose, telemetry } from './composition-root';

/** The body of POST /stripe/customer carries nothing: identity comes from the token. */
const CreateCustomerBody = v.strictObject({});

function view(customer: Customer) {
  return {
    userId: customer.userId,
    stripeCustomerId: customer.stripeCustomerId,
    email: customer.email ?? null,
    createdAt: customer.createdAt,
  };
}

/** POST /stripe/customer (get-or-create) and GET /stripe/customer for the caller. */
export const handler = createHttpFunction({
  telemetry,
  problemTypePrefix: PROBLEM_TYPE_PREFIX,
  compose,
  authenticator: (deps) => deps.authenticator,
  routes: {
    'POST /stripe/customer': {
      auth: 'jwt',
      handle: async (request, { getOrCreateCustomer }) => {
        validate(CreateCustomerBody, parseJsonBody(request));
        const { principal } = request;
        const result = await getOrCreateCustomer.execute({ userId: principal.userId, email: principal.email, role: principal.role });
        return { status: result.created ? 201 : 200, body: view(result.customer) };
      },
    },
    'GET /stripe/customer': {
      auth: 'jwt',
      handle: async (request, { getCustomer }) => ({ status: 200, body: view(await getCustomer.execute(request.principal.userId)) }),
    },
  },
});
