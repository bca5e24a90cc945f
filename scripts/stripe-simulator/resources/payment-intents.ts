// Payment intents: create (optionally confirming), update, confirm, capture (full or partial),
// cancel, retrieve, list, search; test cards decide the outcome (success, decline, 3-D Secure).
import { parseChargeAmount, parseCurrency, validateChargeAmount } from '../amounts';
import type { SimulatorCore } from '../core';
import { StripeApiError, cardError, invalidRequest, stateError, unsimulated } from '../errors';
import { previousAttributes } from '../events';
import type { FormObject } from '../form';
import { newId, randomString } from '../ids';
import {
  ADDRESS_SHAPE, allowNested, allowOnly, applyMetadata, filterCreated, optBool, optEnum, optInt, optNullableString, optObject, optShipping, optString,
  optStringArray, paginate,
} from '../params';
import { RawResponse, type RequestContext } from '../router';
import { search } from '../search';
import type { StripeObject } from '../store';
import type { CardOutcome } from '../test-cards';
import { createChargeObject, settleBalanceTransaction, type Charge } from './charges';
import { openDispute } from './disputes';
import { createCardPaymentMethod, resolvePaymentMethod, testCardOf, type PaymentMethod } from './payment-methods';

export type PaymentIntentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'processing'
  | 'requires_capture'
  | 'canceled'
  | 'succeeded';

export interface PaymentIntent extends StripeObject {
  object: 'payment_intent';
  amount: number;
  amount_capturable: number;
  amount_received: number;
  automatic_payment_methods: { enabled: boolean; allow_redirects?: 'always' | 'never' } | null;
  canceled_at: number | null;
  cancellation_reason: string | null;
  capture_method: 'automatic' | 'automatic_async' | 'manual';
  client_secret: string;
  created: number;
  currency: string;
  customer: string | null;
  description: string | null;
  last_payment_error: Record<string, unknown> | null;
  latest_charge: string | null;
  metadata: Record<string, string>;
  next_action: Record<string, unknown> | null;
  payment_method: string | null;
  receipt_email: string | null;
  status: PaymentIntentStatus;
}

export type Emit = (type: string, object: StripeObject, previousAttributes?: Record<string, unknown>) => unknown;

const CANCELLATION_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'] as const;
const CANCELABLE: PaymentIntentStatus[] = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action', 'processing'];
const CONFIRMABLE: PaymentIntentStatus[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];
const UPDATABLE: PaymentIntentStatus[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];

/** Parameters Stripe knows that the simulator has nothing behind: refused, never silently dropped. */
const UNSIMULATED: Record<string, string> = {
  application_fee_amount: 'Connect',
  confirmation_token: 'confirmation tokens',
  mandate: 'mandates (no payment method type needs one)',
  mandate_data: 'mandates (no payment method type needs one)',
  on_behalf_of: 'Connect',
  payment_method_configuration: 'payment method configurations',
  radar_options: 'Radar',
  transfer_data: 'Connect',
};

const CONFIRM_PARAMS = [
  'capture_method', 'error_on_requires_action', 'off_session', 'payment_method', 'payment_method_data',
  'payment_method_options', 'payment_method_types', 'allowed_payment_method_types', 'receipt_email', 'return_url', 'setup_future_usage', 'shipping',
  'use_stripe_sdk', ...Object.keys(UNSIMULATED),
];

const CREATE_PARAMS = [
  ...CONFIRM_PARAMS, 'amount', 'currency', 'automatic_payment_methods', 'confirm', 'confirmation_method', 'customer', 'description',
  'metadata', 'statement_descriptor', 'statement_descriptor_suffix', 'transfer_group', 'excluded_payment_method_types',
];

const PAYMENT_METHOD_OPTIONS_SHAPE = { card: { request_three_d_secure: true } } as const;
const PAYMENT_METHOD_DATA_SHAPE = { type: true, card: { token: true }, billing_details: { address: ADDRESS_SHAPE, email: true, name: true, phone: true }, metadata: true, allow_redisplay: true } as const;

function refuseUnsimulated(params: FormObject): void {
  for (const [name, what] of Object.entries(UNSIMULATED)) if (params[name] !== undefined) throw unsimulated(name, what);
}

/** Cards are the one payment method type simulated; Stripe refuses a type the account has not activated. */
export function cardTypesOnly(params: FormObject, name: string): string[] | undefined {
  const types = optStringArray(params, name);
  const other = types?.find((t) => t !== 'card');
  if (other !== undefined) {
    throw invalidRequest(
      `The payment method type provided: ${other} is invalid. Please ensure the provided type is activated in your dashboard and your account is enabled for any preview features that you are trying to use. (The Stripe simulator has cards only.)`,
      name,
      'payment_intent_invalid_parameter',
    );
  }
  return types;
}

function requestThreeDSecure(params: FormObject): 'any' | 'automatic' | 'challenge' | undefined {
  allowNested(params, 'payment_method_options', PAYMENT_METHOD_OPTIONS_SHAPE);
  const card = optObject(optObject(params, 'payment_method_options') ?? {}, 'card');
  return card === undefined ? undefined : optEnum(card, 'request_three_d_secure', ['any', 'automatic', 'challenge'] as const);
}

function unexpectedState(pi: PaymentIntent, action: string, allowed: PaymentIntentStatus[]): StripeApiError {
  return stateError(
    `You cannot ${action} this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be ${action === 'capture' ? 'captured' : action === 'cancel' ? 'canceled' : `${action}ed`}: ${allowed.join(', ')}.`,
    'payment_intent_unexpected_state',
    { payment_intent: pi },
  );
}

function save(core: SimulatorCore, pi: PaymentIntent): PaymentIntent {
  core.store.put('payment_intent', pi);
  return pi;
}

function chargeAndSettle(core: SimulatorCore, pi: PaymentIntent, pm: PaymentMethod, outcome: CardOutcome): Charge {
  const manual = pi.capture_method === 'manual';
  const charge = createChargeObject(core, {
    amount: pi.amount,
    currency: pi.currency,
    customer: pi.customer,
    description: pi.description,
    paymentIntent: pi.id,
    paymentMethod: pm,
    outcome,
    capture: !manual,
    metadata: pi.metadata,
    receiptEmail: pi.receipt_email,
    balanceTransactionLater: pi.capture_method === 'automatic_async',
    shipping: (pi['shipping'] as Record<string, unknown> | null | undefined) ?? null,
  });
  pi.latest_charge = charge.id;
  return charge;
}

/** What follows a captured charge: its late balance transaction, and the bank's dispute for a dispute test card. */
function afterCapture(core: SimulatorCore, emit: Emit, chargeId: string, pm: PaymentMethod): void {
  settleBalanceTransaction(core, emit, chargeId);
  const disputes = testCardOf(core, pm).disputes;
  if (disputes !== undefined) openDispute(core, emit, chargeId, 'fraudulent', disputes);
}

/** A card decline: a failed charge, the intent back to requires_payment_method, a 402 for the caller. */
function decline(core: SimulatorCore, emit: Emit, pi: PaymentIntent, pm: PaymentMethod, outcome: Extract<CardOutcome, { kind: 'decline' }>): never {
  const charge = chargeAndSettle(core, pi, pm, outcome);
  const error = {
    charge: charge.id,
    code: outcome.code,
    ...(outcome.declineCode !== undefined ? { decline_code: outcome.declineCode } : {}),
    doc_url: `https://stripe.com/docs/error-codes/${outcome.code.replace(/_/g, '-')}`,
    message: outcome.message,
    payment_method: pm,
    type: 'card_error',
  };
  pi.status = 'requires_payment_method';
  pi.payment_method = null;
  pi.next_action = null;
  pi.last_payment_error = error;
  pi.amount_capturable = 0;
  save(core, pi);
  emit('charge.failed', charge);
  emit('payment_intent.payment_failed', pi);
  throw cardError({
    code: outcome.code,
    ...(outcome.declineCode !== undefined ? { decline_code: outcome.declineCode } : {}),
    message: outcome.message,
    charge: charge.id,
    payment_intent: structuredClone(pi),
    payment_method: pm,
  });
}

function succeed(core: SimulatorCore, emit: Emit, pi: PaymentIntent, pm: PaymentMethod): void {
  const charge = chargeAndSettle(core, pi, pm, { kind: 'success' });
  pi.next_action = null;
  pi.last_payment_error = null;
  if (pi.capture_method === 'manual') {
    pi.status = 'requires_capture';
    pi.amount_capturable = pi.amount;
    save(core, pi);
    emit('charge.succeeded', charge);
    emit('payment_intent.amount_capturable_updated', pi, { amount_capturable: 0 });
  } else {
    pi.status = 'succeeded';
    pi.amount_received = pi.amount;
    save(core, pi);
    emit('charge.succeeded', charge);
    emit('payment_intent.succeeded', pi);
    afterCapture(core, emit, charge.id, pm);
  }
}

export interface ConfirmOptions {
  paymentMethod?: string;
  returnUrl?: string;
  offSession?: boolean;
  errorOnRequiresAction?: boolean;
  /** Set on the intent as it is confirmed. */
  shipping?: Record<string, unknown> | null;
  requestThreeDSecure?: 'any' | 'automatic' | 'challenge';
}

/** Checks made before anything changes, so a refused confirmation creates and records nothing. */
function assertConfirmable(
  apm: PaymentIntent['automatic_payment_methods'],
  customer: string | null,
  pm: PaymentMethod,
  options: ConfirmOptions,
): void {
  if (pm.customer !== null && customer !== null && pm.customer !== customer) {
    throw invalidRequest('The provided PaymentMethod belongs to a different Customer.', 'payment_method');
  }
  if (apm?.enabled && apm.allow_redirects !== 'never' && options.returnUrl === undefined && !options.offSession) {
    throw invalidRequest(
      "This PaymentIntent is configured to accept payment methods enabled in your Dashboard, because `automatic_payment_methods` is enabled. Some of these payment methods might redirect your customer off of your page and you must provide a `return_url`. If you don't want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.",
    );
  }
}

/** Confirms an intent; throws the 402 of a decline after recording it, as Stripe does. */
export function confirmIntent(core: SimulatorCore, emit: Emit, current: PaymentIntent, options: ConfirmOptions): PaymentIntent {
  if (!CONFIRMABLE.includes(current.status)) {
    if (current.status === 'succeeded') {
      throw stateError('You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.', 'payment_intent_unexpected_state', { payment_intent: current });
    }
    throw unexpectedState(current, 'confirm', CONFIRMABLE);
  }
  const pi = structuredClone(current);
  if (options.shipping !== undefined) pi['shipping'] = options.shipping;
  if (options.requestThreeDSecure !== undefined) cardOptions(pi).request_three_d_secure = options.requestThreeDSecure;
  let pm: PaymentMethod | undefined;
  if (options.paymentMethod !== undefined) {
    pm = resolvePaymentMethod(core, options.paymentMethod);
    pi.payment_method = pm.id;
  } else if (pi.payment_method !== null) {
    pm = core.store.get<PaymentMethod>('payment_method', pi.payment_method);
  }
  if (!pm) {
    throw stateError(
      'You cannot confirm this PaymentIntent because it\'s missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method or ConfirmationToken.',
      'payment_intent_unexpected_state',
      { payment_intent: current },
    );
  }
  assertConfirmable(pi.automatic_payment_methods, pi.customer, pm, options);
  const card = testCardOf(core, pm).outcome;
  // `any` and `challenge` ask the bank for 3-D Secure on every card that supports it (all test cards do).
  const forced = card.kind === 'success' && !options.offSession && cardOptions(pi).request_three_d_secure !== 'automatic';
  const outcome: CardOutcome = forced ? { kind: 'authentication_required' } : card;
  if (outcome.kind === 'decline') decline(core, emit, pi, pm, outcome);
  if (outcome.kind === 'authentication_required') {
    if (options.offSession) {
      decline(core, emit, pi, pm, {
        kind: 'decline',
        code: 'authentication_required',
        declineCode: 'authentication_required',
        message: 'Your card was declined. This transaction requires authentication.',
      });
    }
    const challenge = `${core.baseUrl}/_simulator/3ds/${pi.id}`;
    pi.status = 'requires_action';
    pi.last_payment_error = null;
    pi.next_action =
      options.returnUrl !== undefined
        ? { type: 'redirect_to_url', redirect_to_url: { return_url: options.returnUrl, url: `${challenge}?return_url=${encodeURIComponent(options.returnUrl)}` } }
        : { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect', source: newId('src'), stripe_js: challenge } };
    save(core, pi);
    emit('payment_intent.requires_action', pi);
    if (options.errorOnRequiresAction) {
      throw cardError({
        code: 'authentication_required',
        decline_code: 'authentication_required',
        message: 'Your card was declined. This transaction requires authentication.',
        payment_intent: structuredClone(pi),
      });
    }
    return pi;
  }
  succeed(core, emit, pi, pm);
  return pi;
}

/** Completes or fails the 3-D Secure challenge of an intent in requires_action. */
export function authenticateIntent(core: SimulatorCore, emit: Emit, id: string, outcome: 'succeed' | 'fail'): PaymentIntent {
  const current = core.store.require<PaymentIntent>('payment_intent', id);
  if (current.status !== 'requires_action') throw unexpectedState(current, 'authenticate', ['requires_action']);
  const pi = structuredClone(current);
  const pm = core.store.require<PaymentMethod>('payment_method', pi.payment_method!, 'payment_method');
  if (outcome === 'succeed') {
    succeed(core, emit, pi, pm);
    return pi;
  }
  pi.status = 'requires_payment_method';
  pi.next_action = null;
  pi.payment_method = null;
  pi.last_payment_error = {
    code: 'payment_intent_authentication_failure',
    doc_url: 'https://stripe.com/docs/error-codes/payment-intent-authentication-failure',
    message: 'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.',
    payment_method: pm,
    type: 'invalid_request_error',
  };
  save(core, pi);
  emit('payment_intent.payment_failed', pi);
  return pi;
}

function cardOptions(pi: PaymentIntent): { request_three_d_secure: string } {
  return (pi['payment_method_options'] as { card: { request_three_d_secure: string } }).card;
}

/**
 * `payment_method_data` creates the payment method confirmed with, as Stripe does; like
 * `POST /v1/payment_methods`, a card comes from a test token (`card[token]=tok_visa`).
 */
function paymentMethodFromData(core: SimulatorCore, params: FormObject): string | undefined {
  allowNested(params, 'payment_method_data', PAYMENT_METHOD_DATA_SHAPE);
  const data = optObject(params, 'payment_method_data');
  if (data === undefined) return undefined;
  if (params['payment_method'] !== undefined) {
    throw invalidRequest('You may only specify one of these parameters: payment_method, payment_method_data.', 'payment_method_data');
  }
  return createCardPaymentMethod(core, data, 'payment_method_data').id;
}

function confirmOptions(core: SimulatorCore, params: FormObject): ConfirmOptions {
  refuseUnsimulated(params);
  cardTypesOnly(params, 'allowed_payment_method_types');
  cardTypesOnly(params, 'payment_method_types');
  const shipping = optShipping(params);
  const threeDSecure = requestThreeDSecure(params);
  const pm = paymentMethodFromData(core, params) ?? optString(params, 'payment_method');
  const returnUrl = optString(params, 'return_url');
  const offSession = optString(params, 'off_session');
  const errorOnRequiresAction = optBool(params, 'error_on_requires_action');
  return {
    ...(pm !== undefined ? { paymentMethod: pm } : {}),
    ...(returnUrl !== undefined ? { returnUrl } : {}),
    // `off_session` is a boolean or one of one_off / recurring.
    ...(offSession !== undefined ? { offSession: offSession !== 'false' } : {}),
    ...(errorOnRequiresAction !== undefined ? { errorOnRequiresAction } : {}),
    ...(shipping !== undefined ? { shipping } : {}),
    ...(threeDSecure !== undefined ? { requestThreeDSecure: threeDSecure } : {}),
  };
}

export interface NewPaymentIntent {
  amount: number;
  currency: string;
  customer?: string | null;
  description?: string | null;
  metadata?: Record<string, string>;
  captureMethod?: PaymentIntent['capture_method'];
  paymentMethodTypes?: string[];
  automaticPaymentMethods?: PaymentIntent['automatic_payment_methods'];
  receiptEmail?: string | null;
  setupFutureUsage?: string | null;
}

export function createPaymentIntentObject(core: SimulatorCore, n: NewPaymentIntent): PaymentIntent {
  const id = newId('pi');
  const apm = n.automaticPaymentMethods === undefined ? (n.paymentMethodTypes ? null : { enabled: true }) : n.automaticPaymentMethods;
  const pi: PaymentIntent = {
    id,
    object: 'payment_intent',
    amount: n.amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    allowed_payment_method_types: n.paymentMethodTypes ?? null,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: apm,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: n.captureMethod ?? 'automatic_async',
    client_secret: `${id}_secret_${randomString(25)}`,
    confirmation_method: 'automatic',
    created: core.clock.nowSeconds(),
    currency: n.currency,
    customer: n.customer ?? null,
    customer_account: null,
    description: n.description ?? null,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: n.metadata ?? {},
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: apm?.enabled ? { id: newId('pmc'), parent: null } : null,
    payment_method_options: { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
    payment_method_types: n.paymentMethodTypes ?? ['card'],
    payment_record: null,
    processing: null,
    receipt_email: n.receiptEmail ?? null,
    review: null,
    setup_future_usage: n.setupFutureUsage ?? null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'requires_payment_method',
    transfer_data: null,
    transfer_group: null,
  };
  return core.store.insert('payment_intent', pi);
}

function parseApm(params: FormObject): PaymentIntent['automatic_payment_methods'] | undefined {
  const apm = optObject(params, 'automatic_payment_methods');
  if (apm === undefined) return undefined;
  const enabled = optBool(apm, 'enabled');
  if (enabled === undefined) throw invalidRequest('Missing required param: automatic_payment_methods[enabled].', 'automatic_payment_methods[enabled]', 'parameter_missing');
  const allowRedirects = optEnum(apm, 'allow_redirects', ['always', 'never'] as const);
  return { enabled, ...(allowRedirects !== undefined ? { allow_redirects: allowRedirects } : { allow_redirects: 'always' as const }) };
}

function create(ctx: RequestContext): PaymentIntent {
  allowOnly(ctx.params, CREATE_PARAMS);
  const { core } = ctx;
  const currency = parseCurrency(ctx.params);
  const amount = parseChargeAmount(ctx.params, currency)!;
  const customer = optString(ctx.params, 'customer');
  if (customer !== undefined) core.store.require('customer', customer, 'customer');
  const confirm = optBool(ctx.params, 'confirm') ?? false;
  const options = confirmOptions(core, ctx.params);
  if (!confirm && options.returnUrl !== undefined) throw invalidRequest('You can only pass `return_url` when confirming the PaymentIntent (`confirm=true`).', 'return_url');
  if (!confirm && options.offSession !== undefined) throw invalidRequest('You can only pass `off_session` when confirming the PaymentIntent (`confirm=true`).', 'off_session');
  // API versions from 2026 call it allowed_payment_method_types; older ones payment_method_types.
  const types = cardTypesOnly(ctx.params, 'allowed_payment_method_types') ?? cardTypesOnly(ctx.params, 'payment_method_types');
  const apm = parseApm(ctx.params);
  if (types !== undefined && apm?.enabled) {
    throw invalidRequest('You may only specify one of these parameters: automatic_payment_methods, payment_method_types.', 'automatic_payment_methods');
  }
  const captureMethod = optEnum(ctx.params, 'capture_method', ['automatic', 'automatic_async', 'manual'] as const);
  const description = optString(ctx.params, 'description');
  const receiptEmail = optString(ctx.params, 'receipt_email');
  const setupFutureUsage = optEnum(ctx.params, 'setup_future_usage', ['on_session', 'off_session'] as const);
  const metadata = applyMetadata({}, ctx.params);
  const confirmationMethod = optEnum(ctx.params, 'confirmation_method', ['automatic', 'manual'] as const);
  const excluded = optStringArray(ctx.params, 'excluded_payment_method_types');
  // Resolve the payment method before creating anything, so an unknown one is a validation error.
  const pm = options.paymentMethod !== undefined ? resolvePaymentMethod(core, options.paymentMethod) : undefined;
  if (confirm) {
    if (!pm) {
      throw invalidRequest(
        "You cannot confirm this PaymentIntent because it's missing a payment method. Pass `payment_method` (or `payment_method_data`) together with `confirm=true`.",
        'payment_method',
        'payment_intent_unexpected_state',
      );
    }
    const effectiveApm = apm === undefined ? (types ? null : { enabled: true }) : apm;
    assertConfirmable(effectiveApm, customer ?? null, pm, options);
  }

  const pi = createPaymentIntentObject(core, {
    amount,
    currency,
    customer: customer ?? null,
    description: description ?? null,
    metadata,
    ...(captureMethod !== undefined ? { captureMethod } : {}),
    ...(types !== undefined ? { paymentMethodTypes: types } : {}),
    ...(apm !== undefined ? { automaticPaymentMethods: apm } : {}),
    receiptEmail: receiptEmail ?? null,
    setupFutureUsage: setupFutureUsage ?? null,
  });
  // Kept as given; nothing here behaves differently for them (cards only, no statements).
  if (confirmationMethod !== undefined) pi['confirmation_method'] = confirmationMethod;
  if (excluded !== undefined) pi['excluded_payment_method_types'] = excluded;
  for (const field of ['statement_descriptor', 'statement_descriptor_suffix', 'transfer_group'] as const) {
    const v = optString(ctx.params, field);
    if (v !== undefined) pi[field] = v;
  }
  // Set now even without confirm=true: they are properties of the intent.
  if (options.shipping !== undefined) pi['shipping'] = options.shipping;
  if (options.requestThreeDSecure !== undefined) cardOptions(pi).request_three_d_secure = options.requestThreeDSecure;
  save(core, pi);
  if (pm) {
    pi.payment_method = pm.id;
    pi.status = 'requires_confirmation';
    save(core, pi);
  }
  ctx.emit('payment_intent.created', pi);
  if (!confirm) return pi;
  const { paymentMethod: _resolved, ...rest } = options;
  return confirmIntent(core, ctx.emit, pi, rest);
}

function retrieve(ctx: RequestContext): StripeObject {
  allowOnly(ctx.params, ['client_secret']);
  return ctx.core.store.require('payment_intent', ctx.pathParams['id']!);
}

function update(ctx: RequestContext): PaymentIntent {
  allowOnly(ctx.params, [
    'amount', 'currency', 'customer', 'description', 'metadata', 'payment_method', 'receipt_email', 'setup_future_usage', 'capture_method',
    'payment_method_types', 'allowed_payment_method_types', 'shipping', 'statement_descriptor', 'statement_descriptor_suffix', 'transfer_group', 'payment_method_options',
  ]);
  const current = ctx.core.store.require<PaymentIntent>('payment_intent', ctx.pathParams['id']!);
  const types = cardTypesOnly(ctx.params, 'allowed_payment_method_types') ?? cardTypesOnly(ctx.params, 'payment_method_types');
  const shipping = optShipping(ctx.params);
  const threeDSecure = requestThreeDSecure(ctx.params);
  const next = structuredClone(current);
  if (types !== undefined) next['payment_method_types'] = types;
  if (shipping !== undefined) next['shipping'] = shipping;
  if (threeDSecure !== undefined) cardOptions(next).request_three_d_secure = threeDSecure;
  for (const field of ['statement_descriptor', 'statement_descriptor_suffix', 'transfer_group'] as const) {
    const v = optNullableString(ctx.params, field);
    if (v !== undefined) next[field] = v;
  }
  const setupFutureUsage = optEnum(ctx.params, 'setup_future_usage', ['on_session', 'off_session', ''] as const);
  if (setupFutureUsage !== undefined) next['setup_future_usage'] = setupFutureUsage === '' ? null : setupFutureUsage;
  const onlyMetaOrDescription = Object.keys(ctx.params).every((k) => ['metadata', 'description', 'expand', 'receipt_email', 'shipping'].includes(k));
  if (!onlyMetaOrDescription && !UPDATABLE.includes(current.status)) {
    throw stateError(
      `You cannot update this PaymentIntent because it has a status of ${current.status}. Updates are only allowed when the PaymentIntent has one of the following statuses: ${UPDATABLE.join(', ')}.`,
      'payment_intent_unexpected_state',
      { payment_intent: current },
    );
  }
  const currency = optString(ctx.params, 'currency') !== undefined ? parseCurrency(ctx.params) : next.currency;
  const amount = optInt(ctx.params, 'amount');
  if (amount !== undefined || currency !== next.currency) validateChargeAmount(amount ?? next.amount, currency);
  next.currency = currency;
  if (amount !== undefined) next.amount = amount;
  const customer = optNullableString(ctx.params, 'customer');
  if (customer !== undefined && customer !== null) ctx.core.store.require('customer', customer, 'customer');
  if (customer !== undefined) next.customer = customer;
  const description = optNullableString(ctx.params, 'description');
  if (description !== undefined) next.description = description;
  const receiptEmail = optNullableString(ctx.params, 'receipt_email');
  if (receiptEmail !== undefined) next.receipt_email = receiptEmail;
  const captureMethod = optEnum(ctx.params, 'capture_method', ['automatic', 'automatic_async', 'manual'] as const);
  if (captureMethod !== undefined) next.capture_method = captureMethod;
  const pmParam = optString(ctx.params, 'payment_method');
  if (pmParam !== undefined) {
    next.payment_method = resolvePaymentMethod(ctx.core, pmParam).id;
    next.status = 'requires_confirmation';
    next.next_action = null;
  }
  next.metadata = applyMetadata(next.metadata, ctx.params);
  save(ctx.core, next);
  // Stripe has no event for an updated payment intent (none in its list of event types), so none is sent.
  return next;
}

function confirm(ctx: RequestContext): PaymentIntent {
  allowOnly(ctx.params, [...CONFIRM_PARAMS, 'client_secret']);
  const pi = ctx.core.store.require<PaymentIntent>('payment_intent', ctx.pathParams['id']!);
  return confirmIntent(ctx.core, ctx.emit, pi, confirmOptions(ctx.core, ctx.params));
}

function capture(ctx: RequestContext): PaymentIntent {
  allowOnly(ctx.params, ['amount_to_capture', 'metadata', 'final_capture', 'statement_descriptor', 'statement_descriptor_suffix', 'application_fee_amount']);
  if (ctx.params['application_fee_amount'] !== undefined) throw unsimulated('application_fee_amount', 'Connect');
  if (optBool(ctx.params, 'final_capture') === false) throw unsimulated('final_capture', 'multicapture');
  const current = ctx.core.store.require<PaymentIntent>('payment_intent', ctx.pathParams['id']!);
  if (current.status !== 'requires_capture') throw unexpectedState(current, 'capture', ['requires_capture']);
  const amountToCapture = optInt(ctx.params, 'amount_to_capture') ?? current.amount_capturable;
  if (amountToCapture < 1) throw invalidRequest('This value must be greater than or equal to 1.', 'amount_to_capture', 'parameter_invalid_integer');
  if (amountToCapture > current.amount_capturable) {
    throw invalidRequest(
      `The amount to capture (${amountToCapture}) is greater than the amount capturable (${current.amount_capturable}) on this PaymentIntent.`,
      'amount_to_capture',
      'amount_too_large',
    );
  }
  const pi = structuredClone(current);
  pi.status = 'succeeded';
  pi.amount_received = amountToCapture;
  pi.amount_capturable = 0;
  pi.metadata = applyMetadata(pi.metadata, ctx.params);
  for (const field of ['statement_descriptor', 'statement_descriptor_suffix'] as const) {
    const v = optString(ctx.params, field);
    if (v !== undefined) pi[field] = v;
  }
  const charge = ctx.core.store.require<Charge>('charge', pi.latest_charge!);
  const nextCharge: Charge = {
    ...structuredClone(charge),
    captured: true,
    amount_captured: amountToCapture,
    // The uncaptured remainder is released and shows as refunded on the charge.
    amount_refunded: charge.amount - amountToCapture,
    balance_transaction: newId('txn'),
  };
  ctx.core.store.put('charge', nextCharge);
  save(ctx.core, pi);
  ctx.emit('charge.captured', nextCharge, previousAttributes(charge, nextCharge));
  ctx.emit('payment_intent.succeeded', pi);
  const pm = ctx.core.store.get<PaymentMethod>('payment_method', String(charge['payment_method']));
  if (pm) afterCapture(ctx.core, ctx.emit, nextCharge.id, pm);
  return pi;
}

function cancel(ctx: RequestContext): PaymentIntent {
  allowOnly(ctx.params, ['cancellation_reason']);
  const current = ctx.core.store.require<PaymentIntent>('payment_intent', ctx.pathParams['id']!);
  const reason = optEnum(ctx.params, 'cancellation_reason', CANCELLATION_REASONS);
  if (!CANCELABLE.includes(current.status)) throw unexpectedState(current, 'cancel', CANCELABLE);
  const pi = structuredClone(current);
  pi.status = 'canceled';
  pi.canceled_at = ctx.core.clock.nowSeconds();
  pi.cancellation_reason = reason ?? null;
  pi.next_action = null;
  if (current.status === 'requires_capture' && pi.latest_charge) {
    // Canceling an authorization releases it: the uncaptured charge is refunded in full.
    const charge = ctx.core.store.require<Charge>('charge', pi.latest_charge);
    const nextCharge: Charge = { ...structuredClone(charge), amount_refunded: charge.amount, refunded: true };
    ctx.core.store.put('charge', nextCharge);
    ctx.emit('charge.refunded', nextCharge, { amount_refunded: charge.amount_refunded, refunded: false });
  }
  pi.amount_capturable = 0;
  save(ctx.core, pi);
  ctx.emit('payment_intent.canceled', pi);
  return pi;
}

function list(ctx: RequestContext): unknown {
  allowOnly(ctx.params, ['created', 'customer', 'ending_before', 'limit', 'starting_after']);
  let items = filterCreated(ctx.core.store.all<PaymentIntent>('payment_intent'), ctx.params);
  const customer = optString(ctx.params, 'customer');
  if (customer !== undefined) items = items.filter((p) => p.customer === customer);
  return paginate(items, ctx.params, '/v1/payment_intents', ctx.core.store.rankOf('payment_intent'));
}

function searchIntents(ctx: RequestContext): unknown {
  allowOnly(ctx.params, ['query', 'limit', 'page']);
  return search(ctx.core.store.all<PaymentIntent>('payment_intent'), ctx.params, '/v1/payment_intents/search', [
    'amount', 'created', 'currency', 'customer', 'metadata', 'status',
  ], ctx.core.searchCutoff());
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A stand-in for the bank's 3-D Secure page: complete or fail the challenge. */
function challengePage(ctx: RequestContext): RawResponse {
  const pi = ctx.core.store.require<PaymentIntent>('payment_intent', ctx.pathParams['id']!);
  const returnUrl = optString(ctx.query, 'return_url');
  const action = `/_simulator/3ds/${encodeURIComponent(pi.id)}${returnUrl !== undefined ? `?return_url=${encodeURIComponent(returnUrl)}` : ''}`;
  return RawResponse.html(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>3D Secure test payment</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}button{font-size:1rem;padding:.6rem 1.2rem;margin-right:.5rem}</style></head>
<body><h1>3D Secure test page</h1>
<p>Authenticate the payment of <strong>${pi.amount} ${escapeHtml(pi.currency.toUpperCase())}</strong> (minor units) for <code>${escapeHtml(pi.id)}</code>.</p>
<p>Status: <code id="status">${pi.status}</code></p>
<form method="post" action="${escapeHtml(action)}">
<button name="outcome" value="succeed" id="complete">Complete authentication</button>
<button name="outcome" value="fail" id="fail">Fail authentication</button>
</form></body></html>`);
}

function challengeSubmit(ctx: RequestContext): RawResponse {
  const outcome = optEnum(ctx.params, 'outcome', ['succeed', 'fail'] as const) ?? 'succeed';
  let pi: PaymentIntent;
  try {
    pi = authenticateIntent(ctx.core, ctx.emit, ctx.pathParams['id']!, outcome);
  } catch (err) {
    if (err instanceof StripeApiError) return RawResponse.html(`<!doctype html><p>${escapeHtml(err.body.message)}</p>`, err.status);
    throw err;
  }
  const returnUrl = optString(ctx.query, 'return_url');
  if (returnUrl !== undefined) {
    const url = new URL(returnUrl);
    url.searchParams.set('payment_intent', pi.id);
    url.searchParams.set('payment_intent_client_secret', pi.client_secret);
    url.searchParams.set('redirect_status', outcome === 'succeed' ? 'succeeded' : 'failed');
    return RawResponse.redirect(url.toString());
  }
  return RawResponse.html(`<!doctype html><p>Authentication ${outcome === 'succeed' ? 'completed' : 'failed'}. Payment status: <code id="status">${pi.status}</code></p>`);
}

export function registerPaymentIntents(core: SimulatorCore): void {
  const r = core.router;
  r.post('/v1/payment_intents', create);
  r.get('/v1/payment_intents', list);
  r.get('/v1/payment_intents/search', searchIntents);
  r.get('/v1/payment_intents/:id', retrieve);
  r.post('/v1/payment_intents/:id', update);
  r.post('/v1/payment_intents/:id/confirm', confirm);
  r.post('/v1/payment_intents/:id/capture', capture);
  r.post('/v1/payment_intents/:id/cancel', cancel);
  const open = { auth: false };
  r.post(
    '/_simulator/payment_intents/:id/authenticate',
    (ctx) => authenticateIntent(ctx.core, ctx.emit, ctx.pathParams['id']!, optEnum(ctx.params, 'outcome', ['succeed', 'fail'] as const) ?? 'succeed'),
    open,
  );
  r.get('/_simulator/3ds/:id', challengePage, open);
  r.post('/_simulator/3ds/:id', challengeSubmit, open);
}
