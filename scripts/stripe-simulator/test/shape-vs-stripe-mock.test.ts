// Fidelity check: the same requests go to the simulator and to Stripe's official stripe-mock, and
// the objects that come back are compared, to two levels of nesting:
// - every field stripe-mock returns (Stripe's fixtures) must be in the simulator's object;
// - every field of the simulator's object must be a property of that object in Stripe's OpenAPI
//   spec (the one stripe-mock embeds: fixtures leave optional fields out, the spec does not) or, for
//   fields newer than that spec, in the type declarations of the `stripe` SDK we pin (its API version);
// - wherever both have a value, the JSON types must agree;
// - the simulator may answer null only where the spec marks the field nullable (or, for a field
//   newer than the spec, where the SDK declares it `| null`).
// So the simulator can neither drop, invent nor retype a field the adapter may read.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Stripe from 'stripe';
import { repoRoot } from '../../lib/resources';
import { startEmulators, startStripeMock, type Emulator } from '../../testing/emulators';
import { requireTool } from '../../testing/tools';
import { startStripeSimulator, type StripeSimulator } from '../index';

const specPath = requireTool('stripe-openapi');

interface SchemaNode {
  $ref?: string;
  anyOf?: SchemaNode[];
  nullable?: boolean;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}
const schemas = (JSON.parse(readFileSync(specPath, 'utf8')) as { components: { schemas: Record<string, SchemaNode> } }).components.schemas;

/** The properties a schema allows (the union over `anyOf`), or undefined when it is not an object schema. */
function allowedProperties(node: SchemaNode | undefined): Map<string, SchemaNode[]> | undefined {
  if (!node) return undefined;
  if (node.$ref) return allowedProperties(schemas[node.$ref.replace('#/components/schemas/', '')]);
  const out = new Map<string, SchemaNode[]>();
  const add = (props: Record<string, SchemaNode>) => {
    for (const [key, value] of Object.entries(props)) out.set(key, [...(out.get(key) ?? []), value]);
  };
  if (node.properties) add(node.properties);
  for (const option of node.anyOf ?? []) {
    const nested = allowedProperties(option);
    if (nested) for (const [key, values] of nested) out.set(key, [...(out.get(key) ?? []), ...values]);
  }
  return out.size > 0 ? out : undefined;
}

/** Whether one of a field's schemas (a field can be declared by several `anyOf` options) allows null. */
function nullable(nodes: SchemaNode[]): boolean {
  return nodes.some((node) => {
    if (node.nullable === true) return true;
    if (node.$ref) {
      const target = schemas[node.$ref.replace('#/components/schemas/', '')];
      return target !== undefined && nullable([target]);
    }
    return node.anyOf !== undefined && nullable(node.anyOf);
  });
}

/** Object types and where the pinned SDK declares them. */
const SDK_TYPES: Record<string, [file: string, name: string]> = {
  customer: ['Customers', 'Customer'],
  payment_intent: ['PaymentIntents', 'PaymentIntent'],
  charge: ['Charges', 'Charge'],
  refund: ['Refunds', 'Refund'],
  product: ['Products', 'Product'],
  price: ['Prices', 'Price'],
  'checkout.session': ['Checkout/Sessions', 'Session'],
  event: ['Events', 'EventBase'],
  webhook_endpoint: ['WebhookEndpoints', 'WebhookEndpoint'],
  subscription: ['Subscriptions', 'Subscription'],
  invoice: ['Invoices', 'Invoice'],
  invoiceitem: ['InvoiceItems', 'InvoiceItem'],
  item: ['LineItems', 'LineItem'],
  'test_helpers.test_clock': ['TestHelpers/TestClocks', 'TestClock'],
};

/**
 * Top-level fields the SDK's declaration of an object type names, each with whether its type
 * includes null: the reference for fields newer than the spec, which has no schema for them.
 */
function sdkFields(objectType: string): Map<string, { nullable: boolean }> {
  const entry = SDK_TYPES[objectType];
  if (!entry) throw new Error(`no SDK type known for ${objectType}; add it to SDK_TYPES`);
  const source = readFileSync(join(repoRoot, 'node_modules', 'stripe', 'cjs', 'resources', `${entry[0]}.d.ts`), 'utf8');
  const block = new RegExp(`^export interface ${entry[1]} \\{\\n([\\s\\S]*?)^\\}`, 'm').exec(source);
  if (!block) throw new Error(`interface ${entry[1]} not found in the SDK's ${entry[0]}.d.ts`);
  // A declaration runs from its name to the `;` ending a line (union types may span lines).
  return new Map([...block[1]!.matchAll(/^ {4}([a-z0-9_]+)\??:([\s\S]*?);$/gm)].map((m) => [m[1]!, { nullable: /\|\s*null\b/.test(m[2]!) }]));
}

/** Free-form maps whose keys are the caller's, not Stripe's. */
const MAPS = new Set(['metadata']);

const kind = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** Differences between the simulator's value and stripe-mock's, checked against the spec's schemas. */
function differences(
  simulator: unknown,
  reference: unknown,
  schema: SchemaNode[] | undefined,
  depth: number,
  path = '',
  alsoAllowed: Map<string, { nullable: boolean }> = new Map(),
): string[] {
  if (simulator === null) {
    // Without a schema (past what the spec describes) Stripe's own fixture is the only evidence.
    const allowsNull = schema !== undefined && schema.length > 0 ? nullable(schema) : reference === null;
    return allowsNull ? [] : [`${path || '(root)'}: simulator null, not nullable in Stripe's spec`];
  }
  if (reference === null) return [];
  if (kind(simulator) !== kind(reference)) return [`${path || '(root)'}: simulator ${kind(simulator)}, Stripe ${kind(reference)}`];
  if (depth === 0) return [];
  if (Array.isArray(simulator) && Array.isArray(reference)) {
    if (simulator.length === 0 || reference.length === 0) return [];
    const items = schema?.flatMap((s) => (s.items ? [s.items] : []));
    return differences(simulator[0], reference[0], items, depth - 1, `${path}[0]`);
  }
  if (kind(simulator) !== 'object') return [];
  const sim = simulator as Record<string, unknown>;
  const ref = reference as Record<string, unknown>;
  const allowed = schema?.map(allowedProperties).reduce<Map<string, SchemaNode[]> | undefined>((all, props) => {
    if (!props) return all;
    const merged = new Map(all ?? []);
    for (const [key, values] of props) merged.set(key, [...(merged.get(key) ?? []), ...values]);
    return merged;
  }, undefined);
  const out: string[] = [];
  for (const key of Object.keys(ref)) if (!(key in sim)) out.push(`${path ? `${path}.` : ''}${key}: missing from the simulator`);
  for (const [key, value] of Object.entries(sim)) {
    const at = path ? `${path}.${key}` : key;
    const inSpec = allowed?.has(key) ?? false;
    const fromSdk = alsoAllowed.get(key);
    if (allowed ? !inSpec && !fromSdk : !(key in ref)) {
      out.push(`${at}: not a field of Stripe's object`);
      continue;
    }
    if (value === null && !inSpec && fromSdk) {
      if (!fromSdk.nullable) out.push(`${at}: simulator null, not nullable in the SDK's declaration`);
      continue;
    }
    if (MAPS.has(key) && value !== null) continue;
    if (!(key in ref)) {
      // stripe-mock's fixture leaves the field out: only the spec can say whether null is allowed.
      if (value === null) out.push(...differences(value, undefined, allowed?.get(key), depth - 1, at));
      continue;
    }
    out.push(...differences(value, ref[key], allowed?.get(key), depth - 1, at));
  }
  return out;
}

/** Object depth compared: the object's fields and the fields of its nested objects. */
const DEPTH = 2;

let simulator: StripeSimulator;
let mock: Emulator;
let onSimulator: Stripe;
let onMock: Stripe;

beforeAll(async () => {
  ({ simulator, mock } = await startEmulators({ simulator: () => startStripeSimulator({ port: 0 }), mock: () => startStripeMock() }));
  const client = (url: string) => new Stripe('sk_test_shapes', { host: '127.0.0.1', port: new URL(url).port, protocol: 'http', maxNetworkRetries: 0 });
  onSimulator = client(simulator.url);
  onMock = client(mock.endpoint);
}, 60_000);
afterAll(async () => {
  await Promise.all([simulator?.stop(), mock?.stop()]);
});

/** Runs the same calls on both backends and compares the shape of what `pick` returns. */
async function compare(scenario: (stripe: Stripe) => Promise<unknown>): Promise<string[]> {
  // Both backends get the same calls in the same order.
  const [fromSimulator, fromMock] = await Promise.all([scenario(onSimulator), scenario(onMock)]);
  // The SDK adds `lastResponse` to every object it returns; it is not part of Stripe's payload.
  const strip = (value: unknown) => JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'lastResponse' ? undefined : v))) as Record<string, unknown>;
  const simulated = strip(fromSimulator);
  const reference = strip(fromMock);
  // Lists are checked through their first item's own schema.
  const schemaName = (value: Record<string, unknown>) =>
    value.object === 'list' ? undefined : typeof value.object === 'string' ? value.object : undefined;
  const name = schemaName(reference);
  const schema = name && schemas[name] ? [schemas[name]] : undefined;
  if (reference.object === 'list') {
    const first = (l: Record<string, unknown>) => (Array.isArray(l.data) ? (l.data[0] as Record<string, unknown> | undefined) : undefined);
    const [s0, r0] = [first(simulated), first(reference)];
    const listDiffs = differences({ ...simulated, data: [] }, { ...reference, data: [] }, undefined, 1);
    // A list compared without items would prove nothing; each list case creates what it lists.
    if (!s0 || !r0) return [...listDiffs, s0 || r0 ? 'data: one side listed nothing' : 'data: both lists empty, nothing compared'];
    const itemSchema = typeof r0.object === 'string' && schemas[r0.object] ? [schemas[r0.object]!] : undefined;
    return [...listDiffs, ...differences(s0, r0, itemSchema, DEPTH, 'data[0]', sdkFields(String(r0.object)))];
  }
  return differences(simulated, reference, schema, DEPTH, '', sdkFields(String(reference.object)));
}

const customer = (stripe: Stripe) => stripe.customers.create({ email: 'shape@example.com', metadata: { userId: 'u-shape' } });
const paidIntent = async (stripe: Stripe) =>
  stripe.paymentIntents.create({
    amount: 2000,
    currency: 'usd',
    customer: (await customer(stripe)).id,
    payment_method: 'pm_card_visa',
    confirm: true,
    automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
  });
const product = (stripe: Stripe) => stripe.products.create({ name: 'Shape plan', metadata: { localId: 'shape' } });
const price = async (stripe: Stripe) =>
  stripe.prices.create({ product: (await product(stripe)).id, unit_amount: 1200, currency: 'usd', lookup_key: `shape-${Math.random()}`, recurring: { interval: 'month' } });

const subscription = async (stripe: Stripe) =>
  stripe.subscriptions.create({ customer: (await customer(stripe)).id, items: [{ price: (await price(stripe)).id }], default_payment_method: 'pm_card_visa' });

describe('the simulator answers in the shapes stripe-mock gives for', () => {
  it.each<[string, (stripe: Stripe) => Promise<unknown>]>([
    ['a customer', customer],
    [
      'a customer list',
      async (stripe) => {
        await customer(stripe);
        return stripe.customers.list({ email: 'shape@example.com', limit: 1 });
      },
    ],
    ['a payment intent', paidIntent],
    [
      'a manual-capture payment intent after capture',
      async (stripe) => {
        const intent = await stripe.paymentIntents.create({
          amount: 1000,
          currency: 'usd',
          payment_method: 'pm_card_visa',
          confirm: true,
          capture_method: 'manual',
          automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
        });
        return stripe.paymentIntents.capture(intent.id, { amount_to_capture: 600 });
      },
    ],
    ['a refund', async (stripe) => stripe.refunds.create({ payment_intent: (await paidIntent(stripe)).id, amount: 500 })],
    ['a product', product],
    ['a price', price],
    [
      'a checkout session',
      async (stripe) =>
        stripe.checkout.sessions.create({
          mode: 'payment',
          customer: (await customer(stripe)).id,
          line_items: [{ price: (await stripe.prices.create({ product: (await product(stripe)).id, unit_amount: 500, currency: 'usd' })).id, quantity: 1 }],
          success_url: 'https://example.com/ok',
          cancel_url: 'https://example.com/cancel',
        }),
    ],
    [
      'an event list',
      async (stripe) => {
        await customer(stripe);
        return stripe.events.list({ limit: 1, type: 'customer.created' });
      },
    ],
    [
      'an event',
      async (stripe) => {
        await customer(stripe);
        const [event] = (await stripe.events.list({ limit: 1, type: 'customer.created' })).data;
        if (!event) throw new Error('no customer.created event listed');
        return stripe.events.retrieve(event.id);
      },
    ],
    ['a webhook endpoint', async (stripe) => stripe.webhookEndpoints.create({ url: 'http://127.0.0.1:9/hook', enabled_events: ['payment_intent.succeeded'] })],
    [
      'a webhook endpoint list',
      async (stripe) => {
        await stripe.webhookEndpoints.create({ url: 'http://127.0.0.1:9/listed', enabled_events: ['*'] });
        return stripe.webhookEndpoints.list({ limit: 1 });
      },
    ],
    [
      'checkout line items',
      async (stripe) => {
        const session = await stripe.checkout.sessions.create({
          mode: 'payment',
          line_items: [{ price: (await stripe.prices.create({ product: (await product(stripe)).id, unit_amount: 700, currency: 'usd' })).id, quantity: 2 }],
          success_url: 'https://example.com/ok',
        });
        return stripe.checkout.sessions.listLineItems(session.id);
      },
    ],
    ['a subscription', subscription],
    [
      'an invoice list',
      async (stripe) => {
        await subscription(stripe);
        return stripe.invoices.list({ limit: 1 });
      },
    ],
    [
      'an invoice item',
      async (stripe) => stripe.invoiceItems.create({ customer: (await customer(stripe)).id, amount: 2000, currency: 'usd', description: 'shape item' }),
    ],
    [
      'a draft invoice with an invoice item',
      async (stripe) => {
        const { id } = await customer(stripe);
        await stripe.invoiceItems.create({ customer: id, amount: 2000, currency: 'usd' });
        return stripe.invoices.create({ customer: id, description: 'shape invoice', pending_invoice_items_behavior: 'include' });
      },
    ],
    [
      'an invoice paid through the API',
      async (stripe) => {
        const { id } = await customer(stripe);
        await stripe.invoiceItems.create({ customer: id, amount: 2000, currency: 'usd' });
        const invoice = await stripe.invoices.create({ customer: id, pending_invoice_items_behavior: 'include' });
        const card = await stripe.paymentMethods.attach('pm_card_visa', { customer: id });
        await stripe.invoices.finalizeInvoice(invoice.id);
        return stripe.invoices.pay(invoice.id, { payment_method: card.id });
      },
    ],
    ['a test clock', async (stripe) => stripe.testHelpers.testClocks.create({ frozen_time: 1_900_000_000, name: 'shape' })],
    [
      'a test clock after advance',
      async (stripe) => {
        const clock = await stripe.testHelpers.testClocks.create({ frozen_time: 1_900_000_000 });
        return stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: 1_900_086_400 });
      },
    ],
    [
      'a test clock list',
      async (stripe) => {
        await stripe.testHelpers.testClocks.create({ frozen_time: 1_900_000_000, name: 'listed' });
        return stripe.testHelpers.testClocks.list({ limit: 1 });
      },
    ],
  ])('%s', async (_name, scenario) => {
    expect(await compare(scenario)).toEqual([]);
  });
});
