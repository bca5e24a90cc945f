/**
 * Whether an SQS endpoint answered "I have no such action" rather than failing the request:
 * fauxqs says InvalidAction, ElasticMQ and LocalStack-style servers UnknownOperation or
 * NotImplemented, and moto answers an HTML page with status 500 that the SDK cannot parse as an
 * SQS error. AWS itself never answers HTML. Errors such as UnsupportedOperation are AWS's answers
 * about the queue, not the endpoint, and are not matched.
 */
export function isUnsupportedAction(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (/^(InvalidAction|UnknownOperation(Exception)?|NotImplemented|NotImplementedException)$/.test(error.name)) return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status === 501) return true;
  return status !== undefined && status >= 500 && error.name === 'SyntaxError';
}
