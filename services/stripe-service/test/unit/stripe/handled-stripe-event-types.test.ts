import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HANDLED_STRIPE_EVENT_TYPES } from '../../../src/adapters/stripe/handled-stripe-event-types';
import { StripeEventTranslator, stripeChangeOf } from '../../../src/adapters/stripe/stripe-event-translator';

/** Every event type a webhook endpoint can subscribe to, as the pinned SDK declares them. */
function stripeEventTypes(): string[] {
  const declarations = readFileSync(join(process.cwd(), 'node_modules', 'stripe', 'cjs', 'resources', 'WebhookEndpoints.d.ts'), 'utf8');
  const union = /type EnabledEvent = ([^;]+);/.exec(declarations)?.[1];
  if (!union) throw new Error('the Stripe SDK no longer declares WebhookEndpointCreateParams.EnabledEvent where this test reads it');
  return [...union.matchAll(/'([^']+)'/g)].map((m) => m[1]!).filter((type) => type !== '*');
}

/**
 * A type is handled when the translation makes a change of it or refuses its (empty) object; an
 * unhandled one is answered undefined. Probed without the registered list's gate, which would make
 * every type outside the list look unhandled.
 */
function answers(translate: (type: string, payload: unknown) => unknown, type: string): boolean {
  try {
    return translate(type, { id: 'evt_probe', type, data: { object: {} } }) !== undefined;
  } catch {
    return true;
  }
}
const handles = (type: string) => answers(stripeChangeOf, type);

describe('the event types the webhook endpoint is registered for', () => {
  const all = stripeEventTypes();

  it('are read from the SDK: a few hundred, among them every handled one', () => {
    expect(all.length).toBeGreaterThan(200);
    expect(HANDLED_STRIPE_EVENT_TYPES.filter((type) => !all.includes(type))).toEqual([]);
  });

  it('are exactly the ones the worker\'s translator handles', () => {
    const handled = all.filter(handles);
    const missing = handled.filter((type) => !(HANDLED_STRIPE_EVENT_TYPES as readonly string[]).includes(type));
    const unused = HANDLED_STRIPE_EVENT_TYPES.filter((type) => !handles(type));
    // Named in the failure: a handled type the endpoint is not registered for would never arrive.
    expect({ handledButNotRegistered: missing, registeredButNotHandled: unused }).toEqual({ handledButNotRegistered: [], registeredButNotHandled: [] });
    expect([...handled].sort()).toEqual([...HANDLED_STRIPE_EVENT_TYPES].sort());
  });

  it('are let through by the translator\'s gate, every one of them', () => {
    const translator = new StripeEventTranslator();
    expect(HANDLED_STRIPE_EVENT_TYPES.filter((type) => !answers((t, p) => translator.translate(t, p), type))).toEqual([]);
  });

  it('hold no type twice', () => {
    expect(new Set(HANDLED_STRIPE_EVENT_TYPES).size).toBe(HANDLED_STRIPE_EVENT_TYPES.length);
  });
});
