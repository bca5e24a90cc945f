import * as v from 'valibot';
import { MAX_AMOUNT } from '../../domain/money';
import { PAYMENT_STATUSES } from '../../domain/payment';

// Request bodies of the payments routes. Unknown fields are refused (strictObject); amounts are
// integers in minor units; Stripe's own limits on metadata hold here, so Stripe never refuses them.

const Amount = v.pipe(v.number(), v.integer('must be an integer amount in minor units'), v.minValue(1, 'must be positive'), v.maxValue(MAX_AMOUNT, `must be at most ${MAX_AMOUNT}`));

const Metadata = v.pipe(
  v.record(v.pipe(v.string(), v.minLength(1), v.maxLength(40, 'keys are at most 40 characters'), v.regex(/^[^[\]]+$/, 'keys cannot contain square brackets')), v.pipe(v.string(), v.maxLength(500, 'values are at most 500 characters'))),
  v.check((m) => Object.keys(m).length <= 50, 'at most 50 keys'),
);

export const CreateByAmountBody = v.strictObject({
  amount: Amount,
  currency: v.pipe(v.string(), v.regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO 4217 code'), v.toLowerCase()),
  captureMethod: v.optional(v.picklist(['automatic', 'manual']), 'automatic'),
  description: v.optional(v.pipe(v.string(), v.maxLength(1000))),
  metadata: v.optional(Metadata),
});

/** Where Checkout sends the payer back: https, or http on the payer's own machine (local development). */
const ReturnUrl = v.pipe(
  v.string(),
  v.maxLength(2048),
  v.url('must be an absolute URL'),
  v.check((url) => {
    // Checks run even after `url` failed (all problems are reported), so this one must not assume a URL.
    if (!URL.canParse(url)) return false;
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || (parsed.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname));
  }, 'must be https (http only for localhost)'),
);

export const CheckoutBody = v.strictObject({
  priceId: v.pipe(v.string(), v.minLength(1), v.maxLength(200), v.regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only')),
  quantity: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(999)), 1),
  successUrl: ReturnUrl,
  cancelUrl: ReturnUrl,
});

export const ConfirmBody = v.strictObject({
  paymentMethod: v.optional(v.pipe(v.string(), v.regex(/^pm_[A-Za-z0-9_]{1,200}$/, 'must be a payment method id (pm_…)'))),
});

export const CaptureBody = v.strictObject({ amount: v.optional(Amount) });

export const CancelBody = v.strictObject({ reason: v.optional(v.picklist(['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'])) });

export const RefundBody = v.strictObject({
  amount: v.optional(Amount),
  reason: v.optional(v.picklist(['duplicate', 'fraudulent', 'requested_by_customer'])),
});

export const ListQuery = v.strictObject({
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,3}$/, 'must be a whole number from 1 to 100'), v.transform(Number), v.minValue(1), v.maxValue(100)), '20'),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(512))),
  status: v.optional(v.picklist(PAYMENT_STATUSES)),
});
