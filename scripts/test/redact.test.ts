import { redactSecrets } from '../ops/redact';

describe('redactSecrets', () => {
  it('hides every Stripe key and signing secret, keeping what kind it was', () => {
    const text = 'Invalid API Key provided: sk_test_51AbCdEf; also rk_live_Zz9 and pk_test_x1, secrets whsec_new123,whsec_old456';
    expect(redactSecrets(text)).toBe('Invalid API Key provided: sk_test_…(redacted); also rk_live_…(redacted) and pk_test_…(redacted), secrets whsec_…(redacted),whsec_…(redacted)');
  });

  it('leaves ids and words that only look alike', () => {
    const text = 'we_1Mr5jULkdIwHu7ix, evt_123, the whsec_ prefix, task_test_1, risk_live_x';
    expect(redactSecrets(text)).toBe(text);
  });
});
