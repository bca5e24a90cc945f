import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { withoutSdkLogging } from '@shared/aws/without-sdk-logging';
import { ServiceUnavailableError } from '@shared/errors/domain-error';

interface AwsConfig {
  AWS_REGION: string;
}

type Handler<A, R> = (args: A) => Promise<R>;
/** The part of an AWS client's middleware stack used here, common to every client. */
interface MiddlewareStack<A, R> {
  add(middleware: (next: Handler<A, R>) => Handler<A, R>, options: { step: 'initialize'; name: string }): void;
}

/** Errors that are answers, for the adapters to interpret (a failed condition), not failures of DynamoDB. */
const ANSWERS = new Set(['ConditionalCheckFailedException', 'TransactionCanceledException']);

/** What a caller may retry: throttling, DynamoDB's own faults, timeouts and unreachable endpoints. */
function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status === undefined || status >= 500) return true;
  return /Throttl|ProvisionedThroughputExceeded|RequestLimitExceeded|LimitExceeded/.test(error.name);
}

/**
 * Every AWS client's settings. Bounds: 3 attempts, each at most 1 s to connect and 2 s to answer.
 * The middleware stack is resolved once per command type instead of sorted again on every call:
 * ours is added when the client is made (never after a first call, which caching requires), and
 * the per-call sort was about a third of the SDK's own CPU per call.
 */
export const CLIENT_SETTINGS = {
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true },
  cacheMiddleware: true,
} as const;

export { withoutSdkLogging };

/**
 * A DynamoDB client pointed at the configured endpoint (an emulator locally, AWS otherwise). Its
 * worst case (3 attempts of at most 1 s to connect and 2 s to answer, plus backoff) stays well inside
 * a 15 s function, next to a Stripe call; without timeouts a hung endpoint waits for the socket
 * forever. What fails after its retries and may succeed later is a 503 with Retry-After, not a 500.
 */
export function createDynamoDbClient(config: AwsConfig & { AWS_ENDPOINT_URL_DYNAMODB: string | undefined }): DynamoDBClient {
  const client = new DynamoDBClient({
    region: config.AWS_REGION,
    ...(config.AWS_ENDPOINT_URL_DYNAMODB ? { endpoint: config.AWS_ENDPOINT_URL_DYNAMODB } : {}),
    ...CLIENT_SETTINGS,
  });
  withoutSdkLogging(client);
  failTransientErrorsAsUnavailable(client, 'The database is unavailable; retry shortly.', 'database_unavailable');
  return client;
}

/**
 * Turns what an AWS client fails with after its own retries, and may succeed later, into a 503
 * with Retry-After (`code` names the dependency); answers such as a failed condition pass through.
 */
export function failTransientErrorsAsUnavailable<A, R>(client: { middlewareStack: MiddlewareStack<A, R> }, message: string, code: string): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (error instanceof Error && !ANSWERS.has(error.name) && isTransient(error)) {
          throw new ServiceUnavailableError(message, code, { retryAfterSeconds: 2, cause: error });
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'transientErrorsAreUnavailable' },
  );
}
