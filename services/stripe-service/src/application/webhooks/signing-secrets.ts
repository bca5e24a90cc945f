/**
 * The webhook signing secret as stored: one `whsec_…` value, or several separated by commas,
 * spaces or newlines while a secret is rolled (the new one added, the old one removed once Stripe
 * stops signing with it). Any one of them verifying a delivery is enough.
 */
export function parseSigningSecrets(stored: string): string[] {
  return [...new Set(stored.split(/[\s,]+/).filter((secret) => secret.length > 0))];
}
