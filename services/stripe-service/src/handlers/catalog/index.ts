import * as v from 'valibot';
import { ForbiddenError } from '@shared/errors/domain-error';
import { createHttpFunction, parseJsonBody } from '@shared/http/http-function';
import { validate } from '@shared/http/validate';
import { PROBLEM_TYPE_PREFIX } from '../../composition/service';
import { compose, telemetry } from './composition-root';

/** POST /stripe/catalog/sync: admin role only; every product and price from the local tables to Stripe, and a summary. */
export const handler = createHttpFunction({
  telemetry,
  problemTypePrefix: PROBLEM_TYPE_PREFIX,
  compose,
  authenticator: (deps) => deps.authenticator,
  routes: {
    'POST /stripe/catalog/sync': {
      auth: 'jwt',
      handle: async (request, { syncCatalog }) => {
        if (request.principal.role !== 'admin') throw new ForbiddenError('Only an administrator can sync the catalog.', 'admin_required');
        validate(v.strictObject({}), parseJsonBody(request));
        const summary = await syncCatalog.execute((done, so) => {
          if (done % 25 === 0) telemetry.logger.info('catalog sync progress', { done, prices: so.prices, products: so.products });
        });
        telemetry.logger.info('catalog sync finished', { prices: summary.prices, products: summary.products, failed: summary.failures.length });
        return { status: 200, body: summary };
      },
    },
  },
});
