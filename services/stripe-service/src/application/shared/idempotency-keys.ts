import { createHash } from 'node:crypto';

/**
 * A Stripe idempotency key from our own identifiers. The parts are hashed, so any user id or
 * client-chosen key (non-Latin-1 text, CR/LF, 10 KB of it) becomes a short header-safe value, and
 * the same parts always give the same key: a retry replays the first call instead of repeating it.
 */
export function stripeIdempotencyKey(operation: string, ...parts: string[]): string {
  const digest = createHash('sha256').update(JSON.stringify([operation, ...parts])).digest('base64url');
  return `${operation}-v1-${digest}`;
}
