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

/** A shape of secret recognisable without knowing its value (a provider's key prefix), and what replaces it. */
export interface RedactionPattern {
  pattern: RegExp;
  replacement: string;
}

export function redact(text: string, patterns: readonly RedactionPattern[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join('[REDACTED]');
  }
  for (const { pattern, replacement } of patterns) out = out.replace(pattern, replacement);
  return out;
}
