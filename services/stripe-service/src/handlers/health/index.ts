import { createHttpFunction } from '@shared/http/http-function';
import { PROBLEM_CONTENT_TYPE, problemType } from '@shared/http/problem';
import { compose, telemetry } from './composition-root';

/** GET /stripe/health: no auth; 200 when every dependency answers, 503 naming the ones that do not. */
export const handler = createHttpFunction({
  telemetry,
  compose,
  routes: {
    'GET /stripe/health': {
      auth: 'none',
      handle: async (request, { checkHealth }) => {
        const report = await checkHealth.execute();
        if (report.status === 'ok') return { status: 200, body: report };
        const failed = Object.entries(report.checks)
          .filter(([, check]) => check.status === 'failed')
          .map(([name]) => name);
        return {
          status: 503,
          headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'retry-after': '5' },
          body: {
            type: problemType('dependency_unavailable'),
            title: 'Service unavailable',
            status: 503,
            detail: `Dependencies failing: ${failed.join(', ')}.`,
            code: 'dependency_unavailable',
            requestId: request.requestId,
            checks: report.checks,
          },
        };
      },
    },
  },
});
