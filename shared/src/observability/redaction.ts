/**
 * Process-wide list of secret values loaded at cold start. Anything written to logs passes through
 * `redact`, so a secret that ends up inside an error message, a URL or a third-party error object
 * still never reaches CloudWatch.
 */
const secrets = new Set<string>();

/** Remembers a secret value so that logs never show it. Short values are ignored: they would redact ordinary words. */
export function registerSecret(value: string): void {
  if (value.length >= 8) secrets.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join('[REDACTED]');
  }
  // Stripe keys and webhook secrets have recognisable prefixes; redact them even when not registered.
  return out.replace(/\b(sk|rk)_(test|live)_[A-Za-z0-9_]{6,}/g, '$1_$2_[REDACTED]').replace(/\bwhsec_[A-Za-z0-9+/=_-]{6,}/g, 'whsec_[REDACTED]');
}
