import Stripe from 'stripe';
import { HmacWebhookSignatureVerifier } from '../../src/adapters/stripe/hmac-webhook-signature-verifier';

const stripe = new Stripe('sk_test_unused');
const body = Buffer.from('{"id":"evt_1","object":"event"}');
const signedAt = 1_800_000_000;
const header = stripe.webhooks.generateTestHeaderString({ payload: body.toString(), secret: 'whsec_test', timestamp: signedAt });

describe('HmacWebhookSignatureVerifier at its edges', () => {
  it('accepts a delivery exactly as old as the tolerance, and refuses one a second older', () => {
    const verifier = new HmacWebhookSignatureVerifier(300);
    expect(verifier.verify(body, header, ['whsec_test'], signedAt + 300)).toEqual({ valid: true, timestamp: signedAt });
    expect(verifier.verify(body, header, ['whsec_test'], signedAt + 301)).toEqual({ valid: false, reason: 'timestamp_outside_tolerance' });
  });

  it('checks no age with a tolerance of 0, as the SDK does', () => {
    const verifier = new HmacWebhookSignatureVerifier(0);
    expect(verifier.verify(body, header, ['whsec_test'], signedAt + 86_400)).toEqual({ valid: true, timestamp: signedAt });
    expect(verifier.verify(body, header, ['whsec_other'], signedAt)).toEqual({ valid: false, reason: 'no_matching_signature' });
  });

  it('refuses, without throwing, a v1 signature of another length than a SHA-256 digest', () => {
    const verifier = new HmacWebhookSignatureVerifier(300);
    expect(verifier.verify(body, `t=${signedAt},v1=abc`, ['whsec_test'], signedAt)).toEqual({ valid: false, reason: 'no_matching_signature' });
    expect(verifier.verify(body, `${header},v1=abc`, ['whsec_test'], signedAt)).toEqual({ valid: true, timestamp: signedAt });
  });

  it('refuses a timestamp that is not a number', () => {
    const verifier = new HmacWebhookSignatureVerifier(300);
    expect(verifier.verify(body, 't=soon,v1=abc', ['whsec_test'], signedAt)).toEqual({ valid: false, reason: 'malformed_header' });
  });

  it('refuses a t with no value as a malformed header, even with a valid v1 beside it', () => {
    const verifier = new HmacWebhookSignatureVerifier(300);
    const v1 = header.split(',').find((item) => item.startsWith('v1='));
    expect(verifier.verify(body, `t,${v1}`, ['whsec_test'], signedAt)).toEqual({ valid: false, reason: 'malformed_header' });
  });
});
