import { createHttpFunction } from '@shared/http/http-function';
import { PROBLEM_TYPE_PREFIX, createTelemetry } from '../../composition/service';
import document from '../../../openapi.json';

const telemetry = createTelemetry();

/** GET /stripe/openapi.json: the OpenAPI 3.1 document of this API, no auth; the same file the tests hold the handlers to. */
export const handler = createHttpFunction({
  telemetry,
  problemTypePrefix: PROBLEM_TYPE_PREFIX,
  compose: async () => ({}),
  routes: {
    'GET /stripe/openapi.json': {
      auth: 'none',
      handle: async () => ({ status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' }, body: document }),
    },
  },
});
