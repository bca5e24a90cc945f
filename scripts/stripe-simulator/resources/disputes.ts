// Disputes (chargebacks). A cardholder's bank opens them, so the API cannot: the simulator opens one
// on a succeeded charge through a control route (as Stripe's dispute test cards do on payment),
// then the API reads, updates (evidence, submit) and closes (accepts) it, and a control decides
// won or lost.
import type { SimulatorCore } from '../core';
import { invalidRequest, stateError } from '../errors';
import { previousAttributes } from '../events';
import { newId } from '../ids';
import { allowOnly, applyMetadata, filterCreated, optBool, optEnum, optObject, optString, paginate } from '../params';
import type { RequestContext } from '../router';
import type { StripeObject } from '../store';
import type { Charge } from './charges';
import type { Emit } from './payment-intents';

export const DISPUTE_REASONS = [
  'bank_cannot_process', 'credit_not_processed', 'customer_initiated', 'debit_not_authorized', 'duplicate', 'fraudulent', 'general',
  'incorrect_account_details', 'insufficient_funds', 'product_not_received', 'product_unacceptable', 'subscription_canceled', 'unrecognized',
] as const;

export type DisputeReason = (typeof DISPUTE_REASONS)[number];

export interface Dispute extends StripeObject {
  object: 'dispute';
  amount: number;
  charge: string;
  created: number;
  currency: string;
  evidence: Record<string, string | null>;
  evidence_details: { due_by: number; enhanced_eligibility: Record<string, unknown>; has_evidence: boolean; past_due: boolean; submission_count: number };
  metadata: Record<string, string>;
  payment_intent: string | null;
  reason: DisputeReason;
  status: 'needs_response' | 'under_review' | 'won' | 'lost' | 'warning_needs_response' | 'warning_under_review' | 'warning_closed';
}

const COLLECTION = 'dispute';
/** Text evidence fields; file fields (receipts, documentation) are not simulated. */
const TEXT_EVIDENCE = [
  'access_activity_log', 'billing_address', 'cancellation_policy_disclosure', 'cancellation_rebuttal', 'customer_email_address', 'customer_name',
  'customer_purchase_ip', 'duplicate_charge_explanation', 'duplicate_charge_id', 'product_description', 'refund_policy_disclosure',
  'refund_refusal_explanation', 'service_date', 'shipping_address', 'shipping_carrier', 'shipping_date', 'shipping_tracking_number', 'uncategorized_text',
] as const;
const FILE_EVIDENCE = [
  'cancellation_policy', 'customer_communication', 'customer_signature', 'duplicate_charge_documentation', 'receipt', 'refund_policy',
  'service_documentation', 'shipping_documentation', 'uncategorized_file',
] as const;

/** Stripe gives about three weeks to respond. */
const RESPONSE_WINDOW_SECONDS = 21 * 24 * 60 * 60;

/**
 * Opens a dispute on a succeeded charge, as the card network would (`charge.dispute.created`). An
 * inquiry is the issuer asking questions before any chargeback: its statuses are the `warning_` ones.
 */
export function openDispute(core: SimulatorCore, emit: Emit, chargeId: string, reason: DisputeReason = 'fraudulent', caseType: 'chargeback' | 'inquiry' = 'chargeback'): Dispute {
  const charge = core.store.require<Charge>('charge', chargeId, 'charge');
  if (charge['status'] !== 'succeeded' || charge['captured'] !== true) throw invalidRequest(`Charge ${chargeId} has not succeeded, so it cannot be disputed.`, 'charge');
  if (charge['disputed'] === true) throw invalidRequest(`Charge ${chargeId} has already been disputed.`, 'charge', 'charge_disputed');
  const now = core.clock.nowSeconds();
  const card = ((charge['payment_method_details'] as { card?: { brand?: string } } | null)?.card ?? {}) as { brand?: string };
  const dispute: Dispute = {
    id: newId('dp'),
    object: 'dispute',
    amount: charge.amount,
    balance_transactions: [],
    charge: charge.id,
    created: now,
    currency: charge.currency,
    enhanced_eligibility_types: [],
    evidence: Object.fromEntries([...TEXT_EVIDENCE, ...FILE_EVIDENCE].map((k) => [k, null])),
    evidence_details: { due_by: now + RESPONSE_WINDOW_SECONDS, enhanced_eligibility: {}, has_evidence: false, past_due: false, submission_count: 0 },
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: (charge['payment_intent'] as string | null | undefined) ?? null,
    payment_method_details: { card: { brand: card.brand ?? 'visa', case_type: caseType, network_reason_code: reason === 'fraudulent' ? '10.4' : '13.1' }, type: 'card' },
    reason,
    status: caseType === 'inquiry' ? 'warning_needs_response' : 'needs_response',
  };
  core.store.insert(COLLECTION, dispute);
  core.store.put('charge', { ...charge, disputed: true });
  emit('charge.dispute.created', dispute);
  return dispute;
}

function close(core: SimulatorCore, emit: Emit, current: Dispute, status: 'won' | 'lost'): Dispute {
  if (current.status === 'won' || current.status === 'lost' || current.status === 'warning_closed') {
    throw stateError(`This dispute is already closed (${current.status}).`);
  }
  // An inquiry closes without a verdict: nothing was charged back.
  const next: Dispute = { ...structuredClone(current), status: current.status.startsWith('warning_') ? 'warning_closed' : status };
  core.store.put(COLLECTION, next);
  emit('charge.dispute.closed', next, previousAttributes(current, next));
  return next;
}

function retrieve(ctx: RequestContext): StripeObject {
  return ctx.core.store.require(COLLECTION, ctx.pathParams['id']!);
}

function list(ctx: RequestContext): unknown {
  allowOnly(ctx.params, ['charge', 'created', 'ending_before', 'limit', 'payment_intent', 'starting_after']);
  let items = filterCreated(ctx.core.store.all<Dispute>(COLLECTION), ctx.params);
  const charge = optString(ctx.params, 'charge');
  if (charge !== undefined) items = items.filter((d) => d.charge === charge);
  const pi = optString(ctx.params, 'payment_intent');
  if (pi !== undefined) items = items.filter((d) => d.payment_intent === pi);
  return paginate(items, ctx.params, '/v1/disputes');
}

function update(ctx: RequestContext): Dispute {
  allowOnly(ctx.params, ['evidence', 'metadata', 'submit']);
  const current = ctx.core.store.require<Dispute>(COLLECTION, ctx.pathParams['id']!);
  const evidence = optObject(ctx.params, 'evidence');
  const submit = optBool(ctx.params, 'submit') ?? true;
  if ((evidence !== undefined || ctx.params['submit'] !== undefined) && current.status !== 'needs_response' && current.status !== 'warning_needs_response') {
    throw stateError('This dispute is no longer accepting evidence.');
  }
  const next = structuredClone(current);
  next.metadata = applyMetadata(current.metadata, ctx.params);
  if (evidence !== undefined) {
    for (const [key, value] of Object.entries(evidence)) {
      if (!(key in next.evidence)) throw invalidRequest(`Received unknown parameter: evidence[${key}]`, `evidence[${key}]`, 'parameter_unknown');
      if (typeof value !== 'string') throw invalidRequest(`Invalid string: evidence[${key}]`, `evidence[${key}]`, 'parameter_invalid_string');
      next.evidence[key] = value === '' ? null : value;
    }
    next.evidence_details.has_evidence = Object.values(next.evidence).some((v) => v !== null);
  }
  if (evidence !== undefined && submit) {
    next.status = current.status === 'warning_needs_response' ? 'warning_under_review' : 'under_review';
    next.evidence_details.submission_count += 1;
  }
  ctx.core.store.put(COLLECTION, next);
  const prev = previousAttributes(current, next);
  if (Object.keys(prev).length > 0) ctx.emit('charge.dispute.updated', next, prev);
  return next;
}

/** `close` in the API means accepting the dispute: it is lost. */
function accept(ctx: RequestContext): Dispute {
  return close(ctx.core, ctx.emit, ctx.core.store.require<Dispute>(COLLECTION, ctx.pathParams['id']!), 'lost');
}

export function registerDisputes(core: SimulatorCore): void {
  const r = core.router;
  r.get('/v1/disputes', list);
  r.get('/v1/disputes/:id', retrieve);
  r.post('/v1/disputes/:id', update);
  r.post('/v1/disputes/:id/close', accept);
  const open = { auth: false };
  r.post(
    '/_simulator/charges/:id/dispute',
    (ctx) => openDispute(ctx.core, ctx.emit, ctx.pathParams['id']!, optEnum(ctx.params, 'reason', DISPUTE_REASONS) ?? 'fraudulent'),
    open,
  );
  r.post(
    '/_simulator/disputes/:id/resolve',
    (ctx) => {
      const outcome = optEnum(ctx.params, 'outcome', ['won', 'lost'] as const);
      if (outcome === undefined) throw invalidRequest('outcome must be won or lost', 'outcome', 'parameter_missing');
      return close(ctx.core, ctx.emit, ctx.core.store.require<Dispute>(COLLECTION, ctx.pathParams['id']!), outcome);
    },
    open,
  );
}
