import { ServiceUnavailableError } from '@shared/errors/domain-error';
import { createHttpFunction } from '@shared/http/http-function';
import { PROBLEM_TYPE_PREFIX } from '../../composition/service';
import { compose, telemetry } from './composition-root';

/** GET /stripe/health: no auth; 200 when every dependency answers, 503 naming the ones that do not. */
export const handler = createHttpFunction({
  telemetry,
  problemTypePrefix: PROBLEM_TYPE_PREFIX,
  compose,
  routes: {
    'GET /stripe/health': {
      auth: 'none',
      handle: async (_request, { checkHealth }) => {
        const report = await checkHealth.execute();
        if (report.status === 'ok') return { status: 200, body: report };
        const failed = Object.entries(report.checks)
          .filter(([, check]) => check.status === 'failed')
          .map(([name]) => name);
        throw new ServiceUnavailableError(`Dependencies failing: ${failed.join(', ')}.`, 'dependency_unavailable', {
          retryAfterSeconds: 5,
          details: { checks: report.checks },
        });
      },
    },
  },
});
