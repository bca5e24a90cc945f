import type { Clock } from '../ports/clock';
import type { StripeEventParser } from '../ports/stripe-event-parser';
import type { StripeEventQueue } from '../ports/stripe-event-queue';
import type { StripeEventStore } from '../ports/stripe-event-store';
import type { WebhookMetrics } from '../ports/webhook-metrics';
import type { WebhookSignatureVerifier } from '../ports/webhook-signature-verifier';
import { parseSigningSecrets } from './signing-secrets';
import { EnqueueStripeEvent } from './enqueue-stripe-event';
import { MalformedWebhookBodyError, WebhookSecretUnavailableError, WebhookSignatureError } from './webhook-errors';

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

/**
 * Stripe's webhook delivery, start to finish: verify the signature over the raw body, read the
 * event, then hand it to EnqueueStripeEvent (record, enqueue, mark: the path a replay shares).
 * Any dependency failure is a 503, and Stripe delivers again.
 */
export class ReceiveStripeEvent {
  private readonly enqueue: EnqueueStripeEvent;

  constructor(
    private readonly verifier: WebhookSignatureVerifier,
    private readonly parser: StripeEventParser,
    private readonly store: StripeEventStore,
    private readonly queue: StripeEventQueue,
    private readonly metrics: WebhookMetrics,
    private readonly clock: Clock,
    private readonly options: ReceiveStripeEventOptions,
  ) {
    this.enqueue = new EnqueueStripeEvent(store, queue, clock, {
      ...(options.ttlSeconds === undefined ? {} : { ttlSeconds: options.ttlSeconds }),
      ...(options.inProgressWaitMs === undefined ? {} : { inProgressWaitMs: options.inProgressWaitMs }),
    });
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
      throw new MalformedWebhookBodyError(parsed.problem);
    }
    const { event } = parsed;
    // 200, not 400: Stripe sends test events of accounts connected in live mode to the live Connect
    // endpoint too, and an endpoint that keeps answering 4xx is retried for days, then disabled.
    if (event.livemode !== this.options.livemode) {
      this.metrics.livemodeMismatch();
      return { outcome: 'ignored', eventId: event.id, reason: 'livemode_mismatch' };
    }
    this.metrics.received(event.type);

    const outcome = await this.enqueue.execute({ eventId: event.id, type: event.type, created: event.created, livemode: event.livemode, payload: event.payload });
    if (outcome === 'duplicate') this.metrics.duplicate();
    return { outcome, eventId: event.id };
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
}
