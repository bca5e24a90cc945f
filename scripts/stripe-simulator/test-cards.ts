// Stripe's test payment methods and card numbers, with what each does when charged.

export type CardOutcome =
  | { kind: 'success' }
  | { kind: 'decline'; code: string; declineCode?: string; message: string; networkStatus?: string; outcomeType?: string; sellerMessage?: string }
  /** 3-D Secure is required on every payment (on session it asks the customer; off session it declines). */
  | { kind: 'authentication_required' };

export interface TestCard {
  brand: 'visa' | 'mastercard' | 'amex' | 'discover' | 'jcb' | 'unionpay' | 'diners';
  last4: string;
  number: string;
  funding: 'credit' | 'debit' | 'prepaid';
  country: string;
  outcome: CardOutcome;
  /** The cardholder's bank disputes the payment once it has succeeded (Stripe's dispute test cards). */
  disputes?: 'chargeback' | 'inquiry';
  /** A refund of the payment is accepted (`succeeded`) and fails a moment later (Stripe's refundFail card). */
  refunds?: 'fail';
}

const success: CardOutcome = { kind: 'success' };

const declined = (declineCode: string, message = 'Your card was declined.', code = 'card_declined'): CardOutcome => ({
  kind: 'decline',
  code,
  declineCode,
  message,
});

/** Keyed by the magic PaymentMethod id Stripe accepts in test mode. */
export const TEST_PAYMENT_METHODS: Record<string, TestCard> = {
  pm_card_visa: { brand: 'visa', last4: '4242', number: '4242424242424242', funding: 'credit', country: 'US', outcome: success },
  pm_card_visa_debit: { brand: 'visa', last4: '5556', number: '4000056655665556', funding: 'debit', country: 'US', outcome: success },
  pm_card_mastercard: { brand: 'mastercard', last4: '4444', number: '5555555555554444', funding: 'credit', country: 'US', outcome: success },
  pm_card_mastercard_debit: { brand: 'mastercard', last4: '8210', number: '5200828282828210', funding: 'debit', country: 'US', outcome: success },
  pm_card_amex: { brand: 'amex', last4: '8431', number: '378282246310005', funding: 'credit', country: 'US', outcome: success },
  pm_card_discover: { brand: 'discover', last4: '1117', number: '6011111111111117', funding: 'credit', country: 'US', outcome: success },
  pm_card_jcb: { brand: 'jcb', last4: '0000', number: '3566002020360505', funding: 'credit', country: 'JP', outcome: success },
  pm_card_chargeDeclined: { brand: 'visa', last4: '0002', number: '4000000000000002', funding: 'credit', country: 'US', outcome: declined('generic_decline') },
  pm_card_visa_chargeDeclined: { brand: 'visa', last4: '0002', number: '4000000000000002', funding: 'credit', country: 'US', outcome: declined('generic_decline') },
  // Attaching it to a customer works; every charge of it is declined.
  pm_card_chargeCustomerFail: { brand: 'visa', last4: '0341', number: '4000000000000341', funding: 'credit', country: 'US', outcome: declined('generic_decline') },
  pm_card_createDispute: { brand: 'visa', last4: '0259', number: '4000000000000259', funding: 'credit', country: 'US', outcome: success, disputes: 'chargeback' },
  pm_card_createDisputeInquiry: { brand: 'visa', last4: '1976', number: '4000000000001976', funding: 'credit', country: 'US', outcome: success, disputes: 'inquiry' },
  pm_card_refundFail: { brand: 'visa', last4: '5126', number: '4000000000005126', funding: 'credit', country: 'US', outcome: success, refunds: 'fail' },
  pm_card_chargeDeclinedInsufficientFunds: {
    brand: 'visa', last4: '9995', number: '4000000000009995', funding: 'credit', country: 'US',
    outcome: declined('insufficient_funds', 'Your card has insufficient funds.'),
  },
  pm_card_chargeDeclinedLostCard: { brand: 'visa', last4: '9987', number: '4000000000009987', funding: 'credit', country: 'US', outcome: declined('lost_card') },
  pm_card_chargeDeclinedStolenCard: { brand: 'visa', last4: '9979', number: '4000000000009979', funding: 'credit', country: 'US', outcome: declined('stolen_card') },
  pm_card_chargeDeclinedFraudulent: { brand: 'visa', last4: '0019', number: '4100000000000019', funding: 'credit', country: 'US', outcome: declined('fraudulent') },
  pm_card_chargeDeclinedExpiredCard: {
    brand: 'visa', last4: '0069', number: '4000000000000069', funding: 'credit', country: 'US',
    outcome: declined('expired_card', 'Your card has expired.', 'expired_card'),
  },
  pm_card_chargeDeclinedIncorrectCvc: {
    brand: 'visa', last4: '0127', number: '4000000000000127', funding: 'credit', country: 'US',
    outcome: declined('incorrect_cvc', "Your card's security code is incorrect.", 'incorrect_cvc'),
  },
  pm_card_chargeDeclinedProcessingError: {
    brand: 'visa', last4: '0119', number: '4000000000000119', funding: 'credit', country: 'US',
    outcome: declined('processing_error', 'An error occurred while processing your card. Try again in a little bit.', 'processing_error'),
  },
  pm_card_authenticationRequired: { brand: 'visa', last4: '3184', number: '4000002760003184', funding: 'credit', country: 'DE', outcome: { kind: 'authentication_required' } },
  pm_card_threeDSecure2Required: { brand: 'visa', last4: '3220', number: '4000000000003220', funding: 'credit', country: 'US', outcome: { kind: 'authentication_required' } },
  pm_card_authenticationRequiredOnSetup: { brand: 'visa', last4: '3155', number: '4000002500003155', funding: 'credit', country: 'US', outcome: { kind: 'authentication_required' } },
};

/** Test tokens (`tok_visa`…) name the same cards. */
export const TEST_TOKENS: Record<string, string> = Object.fromEntries(
  Object.keys(TEST_PAYMENT_METHODS).map((pm) => [pm.replace(/^pm_card_/, 'tok_'), pm]),
);

/** A card number typed on a checkout page, resolved to its test card (unknown numbers pay). */
export function cardByNumber(number: string): { paymentMethod: string; card: TestCard } | undefined {
  const digits = number.replace(/\D/g, '');
  for (const [paymentMethod, card] of Object.entries(TEST_PAYMENT_METHODS)) {
    if (card.number === digits) return { paymentMethod, card };
  }
  return undefined;
}

/** Luhn check, as Stripe.js applies before sending a number. */
export function luhnValid(number: string): boolean {
  const digits = number.replace(/\D/g, '');
  if (digits.length < 12 || digits.length > 19) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
