/**
 * Drops the SDK's logger middleware from an AWS client. Our clients are given no logger, yet the
 * middleware walks every call's input and output through the operation's schema to mask sensitive
 * members for the log line it then hands to a logger that discards it: work on each call for nothing.
 */
export function withoutSdkLogging(client: { middlewareStack: { remove(name: string): boolean } }): void {
  client.middlewareStack.remove('loggerMiddleware');
}
