// Charges, created by payment intents (never directly): retrieve, list, update metadata.
import type { SimulatorCore } from '../core';
import { newId, randomString } from '../ids';
import { allowOnly, applyMetadata, filterCreated, optNullableString, optString, paginate } from '../params';
import type { RequestContext } from '../router';
import { search } from '../search';
import type { StripeObject } from '../store';
import type { CardOutcome } from '../test-cards';
import type { PaymentMethod } from './payment-methods';

export interface Charge extends StripeObject {
  object: 'charge';
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  captured: boolean;
  created: number;
  currency: string;
  customer: string | null;
  paid: boolean;
  payment_intent: string | null;
  refunded: boolean;
  status: 'succeeded' | 'pending' | 'failed';
  metadata: Record<string, string>;
}

function outcomeFor(outcome: CardOutcome): Record<string, unknown> {
  if (outcome.kind === 'decline') {
    return {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: 'declined_by_network',
      reason: outcome.declineCode ?? outcome.code,
      risk_level: 'normal',
      risk_score: 40,
      seller_message: 'The bank did not return any further details with this decline.',
      type: 'issuer_declined',
    };
  }
  return {
    advice_code: null,
    network_advice_code: null,
    network_decline_code: null,
    network_status: 'approved_by_network',
    reason: null,
    risk_level: 'normal',
    risk_score: 32,
    seller_message: 'Payment complete.',
    type: 'authorized',
  };
}

export interface NewCharge {
  amount: number;
  currency: string;
  customer: string | null;
  description: string | null;
  paymentIntent: string;
  paymentMethod: PaymentMethod;
  outcome: CardOutcome;
  capture: boolean;
  metadata: Record<string, string>;
  receiptEmail: string | null;
  /**
   * `capture_method: automatic_async`: the balance transaction is created after the charge
   * succeeds, so `charge.succeeded` has none and a `charge.updated` brings it.
   */
  balanceTransactionLater?: boolean;
  shipping?: Record<string, unknown> | null;
}

export function createChargeObject(core: SimulatorCore, c: NewCharge): Charge {
  const failed = c.outcome.kind === 'decline';
  const captured = !failed && c.capture;
  const charge: Charge = {
    id: newId('ch'),
    object: 'charge',
    amount: c.amount,
    amount_captured: captured ? c.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: captured && c.balanceTransactionLater !== true ? newId('txn') : null,
    billing_details: c.paymentMethod['billing_details'],
    calculated_statement_descriptor: 'SIMULATOR',
    captured,
    created: core.clock.nowSeconds(),
    currency: c.currency,
    customer: c.customer,
    description: c.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: c.outcome.kind === 'decline' ? c.outcome.code : null,
    failure_message: c.outcome.kind === 'decline' ? c.outcome.message : null,
    fraud_details: {},
    livemode: false,
    metadata: { ...c.metadata },
    on_behalf_of: null,
    outcome: outcomeFor(c.outcome),
    paid: !failed,
    payment_intent: c.paymentIntent,
    payment_method: c.paymentMethod.id,
    payment_method_details: {
      card: {
        amount_authorized: failed ? null : c.amount,
        authorization_code: failed ? null : randomString(6).toUpperCase(),
        brand: c.paymentMethod.card.brand,
        checks: c.paymentMethod.card['checks'],
        country: c.paymentMethod.card['country'],
        exp_month: c.paymentMethod.card['exp_month'],
        exp_year: c.paymentMethod.card['exp_year'],
        extended_authorization: { status: 'disabled' },
        fingerprint: c.paymentMethod.card['fingerprint'],
        funding: c.paymentMethod.card['funding'],
        incremental_authorization: { status: 'unavailable' },
        installments: null,
        last4: c.paymentMethod.card.last4,
        mandate: null,
        multicapture: { status: 'unavailable' },
        network: c.paymentMethod.card.brand,
        network_token: { used: false },
        network_transaction_id: failed ? null : randomString(15),
        overcapture: { maximum_amount_capturable: c.amount, status: 'unavailable' },
        regulated_status: 'unregulated',
        three_d_secure: null,
        wallet: null,
      },
      type: 'card',
    },
    receipt_email: c.receiptEmail,
    receipt_number: null,
    receipt_url: `${core.baseUrl}/_simulator/receipts/${randomString(24)}`,
    refunded: false,
    review: null,
    shipping: c.shipping ?? null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: failed ? 'failed' : 'succeeded',
    transfer_data: null,
    transfer_group: null,
  };
  return core.store.insert('charge', charge);
}

/** The balance transaction of an `automatic_async` charge arrives after it succeeded: `charge.updated`. */
export function settleBalanceTransaction(core: SimulatorCore, emit: (type: string, object: StripeObject, prev?: Record<string, unknown>) => unknown, chargeId: string): Charge {
  const charge = core.store.require<Charge>('charge', chargeId);
  if (charge['balance_transaction'] !== null || !charge.captured) return charge;
  const next: Charge = { ...structuredClone(charge), balance_transaction: newId('txn') };
  core.store.put('charge', next);
  emit('charge.updated', next, { balance_transaction: null });
  return next;
}

function retrieve(ctx: RequestContext): StripeObject {
  return ctx.core.store.require('charge', ctx.pathParams['id']!);
}

function update(ctx: RequestContext): Charge {
  allowOnly(ctx.params, ['description', 'metadata', 'receipt_email']);
  const charge = ctx.core.store.require<Charge>('charge', ctx.pathParams['id']!);
  const next = structuredClone(charge);
  next.metadata = applyMetadata(next.metadata, ctx.params);
  const description = optNullableString(ctx.params, 'description');
  if (description !== undefined) next['description'] = description;
  const receiptEmail = optNullableString(ctx.params, 'receipt_email');
  if (receiptEmail !== undefined) next['receipt_email'] = receiptEmail;
  ctx.core.store.put('charge', next);
  ctx.emit('charge.updated', next, { metadata: charge.metadata });
  return next;
}

function list(ctx: RequestContext): unknown {
  allowOnly(ctx.params, ['created', 'customer', 'ending_before', 'limit', 'payment_intent', 'starting_after', 'transfer_group']);
  let items = filterCreated(ctx.core.store.all<Charge>('charge'), ctx.params);
  const customer = optString(ctx.params, 'customer');
  if (customer !== undefined) items = items.filter((c) => c.customer === customer);
  const pi = optString(ctx.params, 'payment_intent');
  if (pi !== undefined) items = items.filter((c) => c.payment_intent === pi);
  const group = optString(ctx.params, 'transfer_group');
  if (group !== undefined) items = items.filter((c) => c['transfer_group'] === group);
  return paginate(items, ctx.params, '/v1/charges', ctx.core.store.rankOf('charge'));
}

function searchCharges(ctx: RequestContext): unknown {
  allowOnly(ctx.params, ['query', 'limit', 'page']);
  return search(ctx.core.store.all<Charge>('charge'), ctx.params, '/v1/charges/search', [
    'amount', 'created', 'currency', 'customer', 'disputed', 'metadata', 'payment_method_details.card.last4', 'refunded', 'status', 'payment_intent',
  ], ctx.core.searchCutoff());
}

export function registerCharges(core: SimulatorCore): void {
  const r = core.router;
  r.get('/v1/charges', list);
  r.get('/v1/charges/search', searchCharges);
  r.get('/v1/charges/:id', retrieve);
  r.post('/v1/charges/:id', update);
}
