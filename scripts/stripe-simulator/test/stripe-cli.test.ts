// The official Stripe CLI (`@stripe/cli`) runs its own trigger fixtures against the simulator
// (`stripe trigger <event> --api-base …`), for every event type the events worker handles: each
// must run to the end and record the events Stripe sends for those calls, in that order, and
// `npm run trigger` must record the same.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../lib/resources';
import { runTrigger } from '../../trigger';
import { CARD_PAYMENT_EVENTS, startHarness, TEST_KEY, type Harness } from './helpers';

const CLI = join(repoRoot, 'node_modules', '.bin', 'stripe');

const CARD_PAYMENT = [...CARD_PAYMENT_EVENTS];
const SUBSCRIPTION = [
  'customer.created',
  'payment_method.attached',
  'product.created',
  'price.created',
  'customer.subscription.created',
  'invoice.created',
  'invoice.finalized',
  ...CARD_PAYMENT,
  'invoice.paid',
  'invoice.payment_succeeded',
];
const INVOICE = ['customer.created', 'payment_method.attached', 'invoiceitem.created', 'invoice.created', 'invoice.finalized', 'payment_intent.created'];

/** What Stripe sends for the calls each CLI fixture makes (capture_method automatic_async, API version of the SDK). */
const STRIPE_SENDS: Record<string, string[]> = {
  'payment_intent.succeeded': CARD_PAYMENT,
  'payment_intent.payment_failed': ['payment_intent.created', 'charge.failed', 'payment_intent.payment_failed'],
  'payment_intent.requires_action': ['payment_intent.created', 'payment_intent.requires_action'],
  'payment_intent.canceled': ['payment_intent.created', 'payment_intent.canceled'],
  'payment_intent.amount_capturable_updated': ['payment_intent.created', 'charge.succeeded', 'payment_intent.amount_capturable_updated'],
  'charge.refunded': [...CARD_PAYMENT, 'refund.created', 'charge.refunded'],
  'charge.dispute.created': [...CARD_PAYMENT, 'charge.dispute.created'],
  'checkout.session.completed': ['product.created', 'price.created', ...CARD_PAYMENT, 'checkout.session.completed'],
  'checkout.session.expired': ['product.created', 'price.created', 'checkout.session.expired'],
  'customer.subscription.created': SUBSCRIPTION,
  'customer.subscription.updated': [...SUBSCRIPTION, 'customer.subscription.updated'],
  'customer.subscription.deleted': [...SUBSCRIPTION, 'customer.subscription.deleted'],
  'invoice.paid': [...INVOICE, 'charge.succeeded', 'payment_intent.succeeded', 'charge.updated', 'invoice.paid', 'invoice.payment_succeeded'],
  'invoice.payment_failed': [...INVOICE, 'charge.failed', 'payment_intent.payment_failed', 'invoice.payment_failed'],
  'customer.updated': ['customer.created', 'customer.updated'],
  'customer.deleted': ['customer.created', 'customer.deleted'],
};

let h: Harness;
let home: string;
beforeAll(async () => {
  h = await startHarness();
  // The CLI keeps its configuration under HOME; a fresh one keeps a developer's profile out of it.
  home = mkdtempSync(join(tmpdir(), 'stripe-cli-home-'));
});
afterAll(async () => {
  await h.sim.stop();
  rmSync(home, { recursive: true, force: true });
});

async function stripeCli(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(CLI, args, {
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: home,
      STRIPE_CLI_TELEMETRY_OPTOUT: '1',
      // The CLI asks GitHub for a newer release before each trigger; a closed local port as the
      // HTTPS proxy keeps that request on this machine (the simulator is plain HTTP on loopback,
      // which is never proxied).
      HTTPS_PROXY: 'http://127.0.0.1:9',
      https_proxy: 'http://127.0.0.1:9',
    },
    timeout: 60_000,
  });
  return stdout;
}

const typesRecordedDuring = async (work: () => Promise<unknown>): Promise<string[]> => {
  const before = new Set(h.sim.events().map((e) => e.id));
  await work();
  return h.sim
    .events()
    .filter((e) => !before.has(e.id))
    .reverse()
    .map((e) => e.type);
};

describe('stripe trigger (the official CLI) against the simulator', () => {
  it.each(Object.keys(STRIPE_SENDS))('%s: the fixture runs and records what Stripe sends; npm run trigger records the same', async (type) => {
    let output = '';
    const viaCli = await typesRecordedDuring(async () => {
      output = await stripeCli('trigger', type, '--api-key', TEST_KEY, '--api-base', h.sim.url);
    });
    expect(output).toContain('Trigger succeeded!');
    expect(viaCli).toEqual(STRIPE_SENDS[type]);

    const ours = await runTrigger(type, { url: h.sim.url, apiKey: TEST_KEY, metadata: { userId: 'u-cli' } });
    expect(ours.events.map((e) => e.type)).toEqual(viaCli);
  }, 90_000);
});
