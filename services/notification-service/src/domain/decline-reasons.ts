/**
 * Why a payment failed, in words a customer can act on. Stripe's decline codes are for machines
 * and its messages are sometimes addressed to the merchant; the customer gets one of these, and
 * never a code that hints at fraud screening (Stripe asks merchants not to reveal those).
 */
const REASONS: Record<string, string> = {
  insufficient_funds: 'Your card has insufficient funds.',
  expired_card: 'Your card has expired.',
  incorrect_cvc: 'The security code (CVC) was incorrect.',
  invalid_cvc: 'The security code (CVC) was incorrect.',
  incorrect_number: 'The card number was incorrect.',
  invalid_number: 'The card number was incorrect.',
  invalid_expiry_month: 'The card’s expiry date was incorrect.',
  invalid_expiry_year: 'The card’s expiry date was incorrect.',
  incorrect_zip: 'The postal code did not match the card.',
  card_velocity_exceeded: 'Your card has reached its spending limit.',
  withdrawal_count_limit_exceeded: 'Your card has reached its spending limit.',
  processing_error: 'Your bank could not process the payment. Please try again.',
  authentication_required: 'Your bank asked for additional authentication, which was not completed.',
  card_not_supported: 'Your card does not support this kind of purchase.',
  currency_not_supported: 'Your card does not support this currency.',
  do_not_honor: 'Your bank declined the payment.',
  generic_decline: 'Your bank declined the payment.',
  call_issuer: 'Your bank declined the payment. Please contact your bank.',
};

/** Codes Stripe says must not be disclosed to the customer; they read as a plain decline. */
const UNDISCLOSED = new Set(['fraudulent', 'lost_card', 'stolen_card', 'pickup_card', 'restricted_card', 'merchant_blacklist', 'security_violation']);

const GENERIC = 'Your bank declined the payment.';

/** The customer-facing reason for a failure reported as `{ code, declineCode }`. */
export function failureReason(failure: { code: string | null; declineCode: string | null } | null): string {
  if (!failure) return 'The payment could not be completed.';
  for (const code of [failure.declineCode, failure.code]) {
    if (!code) continue;
    if (UNDISCLOSED.has(code)) return GENERIC;
    const reason = REASONS[code];
    if (reason) return reason;
  }
  return failure.code === 'card_declined' || failure.declineCode ? GENERIC : 'The payment could not be completed.';
}
