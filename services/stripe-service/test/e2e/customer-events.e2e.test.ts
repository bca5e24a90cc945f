// A customer changed or deleted in Stripe (the dashboard, support) reaches our record through its
// webhooks: the email notifications go to follows Stripe's, and a deleted customer is never used
// again, the next call making a new one.
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { waitFor } from '../support/events-worker-stack';
import { httpClient } from './http-client';
import { useTarget } from './target';

const current = useTarget();
const call = httpClient(current);

function stripeOf(local: NonNullable<ReturnType<typeof current>['local']>): Stripe {
  const url = new URL(local.stripeUrl);
  return new Stripe(local.stripeSecretKey, { host: url.hostname, port: url.port, protocol: 'http', telemetry: false });
}

describe('customer events from Stripe', () => {
  it('follows an email changed in Stripe, and after the customer is deleted there pays with a new one', async () => {
    const local = current().local;
    if (!local) {
      process.stderr.write('deployed stage: not checked: a customer edited and deleted in Stripe (local stack only, it changes Stripe objects directly)\n');
      expect(current().baseUrl).toMatch(/^https?:\/\//);
      return;
    }
    const stripe = stripeOf(local);
    const sub = `e2e-cust-${randomUUID()}`;
    const token = await current().tokenFor({ sub, email: `${sub}@example.com` });
    const created = await call('POST', '/stripe/customer', { token });
    expect(created.status).toBe(201);
    const first = String(created.body?.stripeCustomerId);

    // Edited in the dashboard: our record follows, read back without a token's email to follow.
    await stripe.customers.update(first, { email: `${sub}@dashboard.example.com` });
    await waitFor('the record to take the dashboard email', async () => (await call('GET', '/stripe/customer', { token })).body?.email === `${sub}@dashboard.example.com`);

    // Deleted in the dashboard: the record lets go of it.
    await stripe.customers.del(first);
    await waitFor('the record to let go of the deleted customer', async () => (await call('GET', '/stripe/customer', { token })).status === 404);

    const payment = await call('POST', '/stripe/payment-intent', { token, body: { amount: 1200, currency: 'usd' }, headers: { 'idempotency-key': randomUUID() } });
    expect(payment.status).toBe(201);
    const intent = await stripe.paymentIntents.retrieve(String(payment.body?.paymentIntentId));
    expect(intent.customer).not.toBe(first);
    const replacement = await stripe.customers.retrieve(String(intent.customer));
    expect(replacement.deleted).toBeUndefined();
    expect(replacement).toMatchObject({ metadata: { userId: sub } });
    expect((await call('GET', '/stripe/customer', { token })).body).toMatchObject({ userId: sub, stripeCustomerId: replacement.id });
  }, 60_000);
});
