import type { Clock } from '../ports/clock';
import type { StripeEventParser } from '../ports/stripe-event-parser';
import type { StripeEventQueue } from '../ports/stripe-event-queue';
import type { StripeEventStore } from '../ports/stripe-event-store';
import type { WebhookMetrics } from '../ports/webhook-metrics';
import type { WebhookSignatureVerifier } from '../ports/webhook-signature-verifier';
import { parseSigningSecrets } from './signing-secrets';
import { MalformedStripeEventError, WebhookEventInProgressError, WebhookSecretUnavailableError, WebhookSignatureError } from './webhook-errors';

export interface ReceiveStripeEventInput {
  /** The body exactly as Stripe sent it (already decoded from API Gateway's base64). */
  rawBody: Buffer;
  signatureHeader: string | undefined;
}

export type ReceiveStripeEventResult =
  | { outcome: 'enqueued'; eventId: string }
  | { outcome: 'duplicate'; eventId: string }
  /** Verified, but of the other mode: answered 200 so Stripe stops, never enqueued. */
  | { outcome: 'ignored'; eventId: string; reason: 'livemode_mismatch' };

export interface ReceiveStripeEventOptions {
  /** The stack's mode: live events on a test stack (or the reverse) are dropped. */
  livemode: boolean;
  /** Reads the endpoint's signing secret(s), as stored (see parseSigningSecrets). */
  signingSecret: () => Promise<string>;
  /** Records are kept this long (Stripe retries for three days; replays look back further). */
  ttlSeconds?: number;
  /** How long a delivery waits for a concurrent one of the same event before answering 409. */
  inProgressWaitMs?: number;
}

const THIRTY_DAYS_SECONDS = 30 * 24 * 3600;
const POLL_MS = 25;

/**
 * Stripe's webhook delivery, start to finish: verify the signature over the raw body, read the
 * event, record its id (one conditional write decides which delivery enqueues it), enqueue it
 * for the events worker, mark it enqueued. The order is what makes it safe: the record is written
 * before the enqueue, so a concurrent duplicate never enqueues twice; it says "enqueued" only
 * after the enqueue, so a crash in between leaves it "received" and the next delivery enqueues
 * it. Any dependency failure is a 503, and Stripe delivers again.
 */
export class ReceiveStripeEvent {
  private readonly ttlSeconds: number;
  private readonly inProgressWaitMs: number;

  constructor(
    private readonly verifier: WebhookSignatureVerifier,
    private readonly parser: StripeEventParser,
    private readonly store: StripeEventStore,
    private readonly queue: StripeEventQueue,
    private readonly metrics: WebhookMetrics,
    private readonly clock: Clock,
    private readonly options: ReceiveStripeEventOptions,
  ) {
    this.ttlSeconds = options.ttlSeconds ?? THIRTY_DAYS_SECONDS;
    this.inProgressWaitMs = options.inProgressWaitMs ?? 2_000;
  }

  async execute(input: ReceiveStripeEventInput): Promise<ReceiveStripeEventResult> {
    const secrets = await this.secrets();
    const verification = this.verifier.verify(input.rawBody, input.signatureHeader, secrets, Math.floor(this.clock.now() / 1000));
    if (!verification.valid) {
      this.metrics.signatureInvalid(verification.reason);
      throw new WebhookSignatureError(verification.reason);
    }
    const parsed = this.parser.parse(input.rawBody);
    if (!parsed.ok) {
      this.metrics.malformed();
      throw new MalformedStripeEventError(parsed.problem);
    }
    const { event } = parsed;
    if (event.livemode !== this.options.livemode) {
      this.metrics.livemodeMismatch();
      return { outcome: 'ignored', eventId: event.id, reason: 'livemode_mismatch' };
    }
    this.metrics.received(event.type);

    const receipt = await this.store.recordReceipt({ eventId: event.id, type: event.type, nowMs: this.clock.now(), ttlSeconds: this.ttlSeconds });
    if (receipt.kind === 'duplicate') {
      this.metrics.duplicate();
      return { outcome: 'duplicate', eventId: event.id };
    }
    if (receipt.kind === 'in_progress') {
      await this.awaitOtherDelivery(event.id);
      this.metrics.duplicate();
      return { outcome: 'duplicate', eventId: event.id };
    }
    await this.queue.enqueue({ eventId: event.id, type: event.type, created: event.created, livemode: event.livemode, payload: event.payload });
    try {
      await this.store.markEnqueued(event.id);
    } catch {
      // The event is safe on the queue; a 503 now would only make Stripe deliver it again and the
      // record, left "received", lets that redelivery enqueue a copy. The worker's mark ends it.
    }
    return { outcome: 'enqueued', eventId: event.id };
  }

  private async secrets(): Promise<string[]> {
    let stored: string;
    try {
      stored = await this.options.signingSecret();
    } catch (error) {
      throw new WebhookSecretUnavailableError(error);
    }
    const secrets = parseSigningSecrets(stored);
    if (secrets.length === 0) throw new WebhookSecretUnavailableError(new Error('the webhook signing secret is empty'));
    return secrets;
  }

  /** Concurrent deliveries of one event are usual (Stripe retries, duplicates): wait for the one that enqueues. */
  private async awaitOtherDelivery(eventId: string): Promise<void> {
    const deadline = this.clock.now() + this.inProgressWaitMs;
    while (this.clock.now() < deadline) {
      await this.clock.sleep(POLL_MS);
      const record = await this.store.get(eventId);
      if (record && record.status !== 'received') return;
    }
    throw new WebhookEventInProgressError();
  }
}
