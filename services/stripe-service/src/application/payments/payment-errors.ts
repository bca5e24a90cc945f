import { DomainError, NotFoundError, ValidationError } from '@shared/errors/domain-error';
import type { CancelProblem, CaptureProblem, ConfirmProblem, RefundProblem } from '../../domain/payment';

/** Unknown, or not the caller's: the two are indistinguishable to the caller, so ids of others' payments reveal nothing. */
export class PaymentNotFoundError extends NotFoundError {
  constructor() {
    super('No such payment.', 'payment_not_found');
  }
}

export class InvalidPaymentRequestError extends ValidationError {
  constructor(field: string, message: string, code = 'invalid_payment_request') {
    super(`${field}: ${message}`, [{ field, message }], code);
  }
}

const CAPTURE: Record<CaptureProblem, [string, string]> = {
  not_capturable: ['payment_not_capturable', 'Only an authorized payment (captureMethod manual, not yet captured) can be captured.'],
  exceeds_authorized: ['capture_exceeds_authorized', 'The capture amount is more than the authorized amount.'],
};

const REFUND: Record<RefundProblem, [string, string]> = {
  not_refundable: ['payment_not_refundable', 'Only a succeeded payment can be refunded.'],
  exceeds_refundable: ['refund_exceeds_captured', 'The refund amount is more than what remains of the captured amount.'],
};

const CANCEL: Record<CancelProblem, [string, string]> = {
  already_succeeded: ['payment_already_succeeded', 'A succeeded payment cannot be canceled; refund it instead.'],
  processing: ['payment_processing', 'The payment is being processed and cannot be canceled now.'],
};

const CONFIRM: Record<ConfirmProblem, [string, string]> = {
  not_confirmable: ['payment_not_confirmable', 'The payment is not waiting for a confirmation.'],
};

/**
 * Whether Stripe refused a capture or refund because the payment is already past it: a state
 * conflict (already captured, already refunded), or an amount beyond what remains, which Stripe
 * reports as an invalid `amount` (with or without a code).
 */
export function isStripeStateRefusal(error: unknown, amountParam: string): boolean {
  // The Stripe error mapper names a parameter only on Stripe's invalid requests.
  return error instanceof DomainError && (error.code === 'payment_state_conflict' || error.details?.['param'] === amountParam);
}

/** A rule of the payment's state refused the operation: 409, with a code per rule. */
export class PaymentStateError extends DomainError {
  constructor(code: string, message: string, details: Record<string, unknown>) {
    super('conflict', code, message, { details });
  }

  static capture(problem: CaptureProblem, details: Record<string, unknown>) {
    return new PaymentStateError(...CAPTURE[problem], details);
  }

  static refund(problem: RefundProblem, details: Record<string, unknown>) {
    return new PaymentStateError(...REFUND[problem], details);
  }

  static cancel(problem: CancelProblem, details: Record<string, unknown>) {
    return new PaymentStateError(...CANCEL[problem], details);
  }

  static confirm(problem: ConfirmProblem, details: Record<string, unknown>) {
    return new PaymentStateError(...CONFIRM[problem], details);
  }
}
