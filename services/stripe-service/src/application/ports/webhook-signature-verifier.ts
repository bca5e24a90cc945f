/** Why a webhook delivery was refused. */
export type WebhookRejection = 'missing_header' | 'malformed_header' | 'no_matching_signature' | 'timestamp_outside_tolerance' | 'empty_payload';

export type WebhookVerification = { valid: true; timestamp: number } | { valid: false; reason: WebhookRejection };

/** Checks that a webhook body was signed by the payment provider with one of our endpoint secrets. */
export interface WebhookSignatureVerifier {
  /**
   * Verifies `signatureHeader` over the exact raw body. Several secrets may be given while a secret
   * is being rolled; any one matching is enough.
   */
  verify(rawBody: Buffer, signatureHeader: string | undefined, secrets: readonly string[], nowSeconds: number): WebhookVerification;
}

export const WEBHOOK_SIGNATURE_VERIFIER = Symbol.for('WebhookSignatureVerifier');
