// Loads a function's handler from its entry file and gives it a Lambda-like context, so the local
// stack runs the same modules that esbuild bundles for AWS.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { repoRoot, type FunctionDefinition } from '../lib/resources';

export type Handler = (event: unknown, context: Context) => Promise<unknown>;

export async function loadHandler(fn: FunctionDefinition): Promise<Handler> {
  // Lambda sets this for on-demand environments; Powertools reports `cold_start: true` (and the
  // ColdStart metric) only where it is set, so without it every local log line said false.
  process.env.AWS_LAMBDA_INITIALIZATION_TYPE ??= 'on-demand';
  // An absolute path (not a file: URL) so the same import works under tsx and under jest's loader.
  const module = (await import(join(repoRoot, fn.entry))) as { handler?: unknown };
  if (typeof module.handler !== 'function') throw new Error(`${fn.entry} does not export a handler function`);
  return module.handler as Handler;
}

export class FunctionTimeoutError extends Error {
  constructor(readonly functionId: string, readonly timeoutSeconds: number) {
    super(`function ${functionId} timed out after ${timeoutSeconds} s`);
    this.name = 'FunctionTimeoutError';
  }
}

/**
 * Runs one invocation the way Lambda would: a fresh request id, the configured timeout (the
 * invocation fails when it passes, as in Lambda, though the local promise cannot be killed).
 */
export async function invoke(fn: FunctionDefinition, handler: Handler, event: unknown, region: string): Promise<unknown> {
  const requestId = randomUUID();
  const deadline = Date.now() + fn.timeoutSeconds * 1000;
  const context: Context = {
    callbackWaitsForEmptyEventLoop: false,
    functionName: fn.id,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${fn.id}`,
    memoryLimitInMB: String(fn.memoryMb),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${fn.id}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FunctionTimeoutError(fn.id, fn.timeoutSeconds)), fn.timeoutSeconds * 1000);
  });
  try {
    return await Promise.race([handler(event, context), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
