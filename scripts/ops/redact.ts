// Stripe keys and webhook signing secrets have recognisable prefixes: whatever an operator tool
// prints, or an SDK puts in an error message, is passed through here first.
const SECRET = /\b(sk|rk|pk)_(test|live)_[A-Za-z0-9]+|\bwhsec_[A-Za-z0-9]+/g;

/** The text with every Stripe key and signing secret replaced by its prefix and `…(redacted)`. */
export function redactSecrets(text: string): string {
  return text.replace(SECRET, (match) => `${match.startsWith('whsec_') ? 'whsec_' : match.slice(0, match.indexOf('_', 3) + 1)}…(redacted)`);
}
