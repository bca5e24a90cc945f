import { Metrics } from '@aws-lambda-powertools/metrics';
import { captureOutput } from '../../../../shared/test/support/capture-output';

/** The last EMF document `record` makes Powertools write (metrics enabled for the call), parsed. */
export async function emfDocument(record: (metrics: Metrics) => void): Promise<Record<string, unknown>> {
  const previous = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  const { written } = await captureOutput('stdout', () => {
    const metrics = new Metrics({ namespace: 'Test', serviceName: 'test' });
    record(metrics);
    metrics.publishStoredMetrics();
  }).finally(() => {
    process.env.POWERTOOLS_METRICS_DISABLED = previous;
  });
  return JSON.parse(written.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
}
