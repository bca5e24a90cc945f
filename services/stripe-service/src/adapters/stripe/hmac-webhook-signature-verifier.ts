import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookSignatureVerifier, WebhookVerification } from '../../application/ports/webhook-signature-verifier';

/**
 * Stripe's webhook signature check (`Stripe-Signature: t=…,v1=…`, HMAC-SHA256 of `${t}.${body}`)
 * on node:crypto, so the ingress bundle does not carry the whole SDK. A test proves it accepts and
 * refuses exactly what `stripe.webhooks.constructEvent` does, including its tolerance rule: only
 * timestamps older than the tolerance are refused.
 */
export class HmacWebhookSignatureVerifier implements WebhookSignatureVerifier {
  constructor(private readonly toleranceSeconds = 300) {}

  verify(rawBody: Buffer, signatureHeader: string | undefined, secrets: readonly string[], nowSeconds: number): WebhookVerification {
    if (rawBody.length === 0) return { valid: false, reason: 'empty_payload' };
    if (!signatureHeader) return { valid: false, reason: 'missing_header' };
    let timestamp = -1;
    const signatures: string[] = [];
    for (const item of signatureHeader.split(',')) {
      const [key, value] = item.split('=');
      if (key === 't') timestamp = Number.parseInt(value ?? '', 10);
      if (key === 'v1' && value !== undefined) signatures.push(value);
    }
    if (timestamp === -1 || Number.isNaN(timestamp)) return { valid: false, reason: 'malformed_header' };
    if (signatures.length === 0) return { valid: false, reason: 'malformed_header' };
    const signedPayload = Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), rawBody]);
    const matches = secrets.some((secret) => {
      const expected = Buffer.from(createHmac('sha256', secret).update(signedPayload).digest('hex'), 'utf8');
      return signatures.some((candidate) => {
        const given = Buffer.from(candidate, 'utf8');
        return given.length === expected.length && timingSafeEqual(given, expected);
      });
    });
    if (!matches) return { valid: false, reason: 'no_matching_signature' };
    if (this.toleranceSeconds > 0 && nowSeconds - timestamp > this.toleranceSeconds) return { valid: false, reason: 'timestamp_outside_tolerance' };
    return { valid: true, timestamp };
  }
}
