import Stripe from 'stripe';
import { startHarness, raw, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.sim.stop();
});

describe('customers through the stripe SDK', () => {
  it('creates, retrieves, updates and deletes a customer, emitting events', async () => {
    const created = await h.stripe.customers.create({ email: 'a@example.com', name: 'Ann', metadata: { userId: 'u1' } });
    expect(created.id).toMatch(/^cus_[A-Za-z0-9]{14}$/);
    expect(created).toMatchObject({ object: 'customer', email: 'a@example.com', name: 'Ann', metadata: { userId: 'u1' }, livemode: false });
    expect(created.lastResponse.requestId).toMatch(/^req_/);

    const fetched = await h.stripe.customers.retrieve(created.id);
    expect(fetched).toMatchObject({ id: created.id, email: 'a@example.com' });

    const updated = await h.stripe.customers.update(created.id, { name: 'Anna', metadata: { plan: 'pro', userId: '' } });
    expect(updated.name).toBe('Anna');
    expect(updated.metadata).toEqual({ plan: 'pro' });

    const deleted = await h.stripe.customers.del(created.id);
    expect(deleted).toEqual(expect.objectContaining({ id: created.id, deleted: true }));
    const stub = await h.stripe.customers.retrieve(created.id);
    expect(stub.deleted).toBe(true);
    await expect(h.stripe.customers.update(created.id, { name: 'x' })).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      code: 'resource_missing',
      statusCode: 404,
    });

    const events = await h.stripe.events.list({ limit: 100 });
    const mine = events.data.filter((e) => (e.data.object as { id: string }).id === created.id);
    expect(mine.map((e) => e.type)).toEqual(['customer.deleted', 'customer.updated', 'customer.created']);
    const updatedEvent = mine[1]!;
    expect(updatedEvent.data.previous_attributes).toEqual({ name: 'Ann', metadata: { userId: 'u1' } });
    expect(updatedEvent.request?.id).toMatch(/^req_/);
  });

  it('answers 404 resource_missing for an unknown customer', async () => {
    const err = await h.stripe.customers.retrieve('cus_doesnotexist').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(err).toMatchObject({ code: 'resource_missing', param: 'id', message: "No such customer: 'cus_doesnotexist'" });
  });

  it('rejects unknown parameters and invalid emails', async () => {
    await expect(h.stripe.customers.create({ emial: 'x' } as Stripe.CustomerCreateParams)).rejects.toMatchObject({ code: 'parameter_unknown', param: 'emial' });
    await expect(h.stripe.customers.create({ email: 'not-an-email' })).rejects.toMatchObject({ code: 'email_invalid', param: 'email' });
  });

  it('lists newest first with cursor pagination and an email filter', async () => {
    const tag = `list-${Date.now()}@example.com`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await h.stripe.customers.create({ email: tag })).id);
    const page1 = await h.stripe.customers.list({ email: tag, limit: 2 });
    expect(page1).toMatchObject({ object: 'list', has_more: true, url: '/v1/customers' });
    expect(page1.data.map((c) => c.id)).toEqual([ids[4], ids[3]]);
    const page2 = await h.stripe.customers.list({ email: tag, limit: 2, starting_after: ids[3] });
    expect(page2.data.map((c) => c.id)).toEqual([ids[2], ids[1]]);
    const back = await h.stripe.customers.list({ email: tag, limit: 2, ending_before: ids[1] });
    expect(back.data.map((c) => c.id)).toEqual([ids[3], ids[2]]);
    const all: string[] = [];
    for await (const c of h.stripe.customers.list({ email: tag, limit: 2 })) all.push(c.id);
    expect(all).toEqual([...ids].reverse());
  });

  it('searches by email and metadata', async () => {
    const email = `search-${Date.now()}@example.com`;
    const c = await h.stripe.customers.create({ email, metadata: { userId: `u-${email}` } });
    await h.stripe.customers.create({ email: `other-${email}` });
    const byEmail = await h.stripe.customers.search({ query: `email:'${email}'` });
    expect(byEmail.object).toBe('search_result');
    expect(byEmail.data.map((x) => x.id)).toEqual([c.id]);
    const byMeta = await h.stripe.customers.search({ query: `metadata['userId']:'u-${email}'` });
    expect(byMeta.data.map((x) => x.id)).toEqual([c.id]);
    const both = await h.stripe.customers.search({ query: `email:'${email}' AND metadata["userId"]:'nope'` });
    expect(both.data).toEqual([]);
    await expect(h.stripe.customers.search({ query: `email:` })).rejects.toMatchObject({ type: 'StripeInvalidRequestError', param: 'query' });
  });

  it('can make search lag behind writes, as the Stripe index does', async () => {
    const lagging = await startHarness({ searchLagSeconds: 60 });
    try {
      const c = await lagging.stripe.customers.create({ email: 'lag@example.com' });
      expect((await lagging.stripe.customers.search({ query: "email:'lag@example.com'" })).data).toEqual([]);
      expect((await lagging.stripe.customers.list({ email: 'lag@example.com' })).data.map((x) => x.id)).toEqual([c.id]);
      await lagging.sim.advanceClock(60);
      expect((await lagging.stripe.customers.search({ query: "email:'lag@example.com'" })).data.map((x) => x.id)).toEqual([c.id]);
    } finally {
      await lagging.sim.stop();
    }
  });

  it('expands references and rejects what cannot be expanded', async () => {
    const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: 1_900_000_000, name: 'expand' });
    const c = await h.stripe.customers.create({ email: 'exp@example.com', test_clock: clock.id });
    expect(c.test_clock).toBe(clock.id);

    // A reference on the object itself.
    const withClock = await h.stripe.customers.retrieve(c.id, { expand: ['test_clock'] });
    expect((withClock as Stripe.Customer).test_clock).toMatchObject({ id: clock.id, object: 'test_helpers.test_clock', name: 'expand' });

    // The customer referenced by every item of a list, and through a reference of a reference.
    const intent = await h.stripe.paymentIntents.create({
      amount: 700,
      currency: 'usd',
      customer: c.id,
      payment_method: 'pm_card_visa',
      confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    });
    const listed = await h.stripe.paymentIntents.list({ customer: c.id, expand: ['data.customer'] });
    expect(listed.data.map((pi) => [pi.id, (pi.customer as Stripe.Customer).email])).toEqual([[intent.id, 'exp@example.com']]);
    const nested = await h.stripe.paymentIntents.retrieve(intent.id, { expand: ['latest_charge.customer'] });
    expect(((nested.latest_charge as Stripe.Charge).customer as Stripe.Customer)).toMatchObject({ id: c.id, object: 'customer' });
    // Expanding changes only that answer: the stored object keeps the id.
    expect((await h.stripe.customers.retrieve(c.id) as Stripe.Customer).test_clock).toBe(clock.id);

    await expect(h.stripe.customers.retrieve(c.id, { expand: ['email'] })).rejects.toMatchObject({ param: 'expand' });
    await expect(h.stripe.customers.retrieve(c.id, { expand: ['no_such_field'] })).rejects.toMatchObject({ param: 'expand' });
  });
});

describe('HTTP surface', () => {
  it('requires a test secret key, by bearer or basic auth', async () => {
    const none = await raw(h.sim, 'GET', '/v1/customers', undefined, { Authorization: '' });
    expect(none.status).toBe(401);
    expect((none.json['error'] as { type: string }).type).toBe('invalid_request_error');
    const bad = await raw(h.sim, 'GET', '/v1/customers', undefined, { Authorization: 'Bearer sk_live_abcdef' });
    expect(bad.status).toBe(401);
    expect((bad.json['error'] as { message: string }).message).toContain('Invalid API Key provided');
    const basic = await raw(h.sim, 'GET', '/v1/customers', undefined, {
      Authorization: `Basic ${Buffer.from('sk_test_anything:').toString('base64')}`,
    });
    expect(basic.status).toBe(200);
    expect(basic.headers.get('request-id')).toMatch(/^req_/);
  });

  it('decodes nested and array form keys', async () => {
    const res = await raw(h.sim, 'POST', '/v1/customers', 'email=f%40example.com&metadata[a]=1&metadata[b]=two&preferred_locales[]=en&preferred_locales[]=fr&address[city]=Paris');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ metadata: { a: '1', b: 'two' }, preferred_locales: ['en', 'fr'], address: { city: 'Paris', line1: null } });
  });

  it('accepts any well-formed Stripe-Version, echoes it, and refuses a malformed one', async () => {
    const old = await raw(h.sim, 'GET', '/v1/customers', undefined, { 'Stripe-Version': '2023-10-16' });
    expect(old.status).toBe(200);
    expect(old.headers.get('stripe-version')).toBe('2023-10-16');
    const beta = await raw(h.sim, 'GET', '/v1/customers', undefined, { 'Stripe-Version': '2026-10-28.endive; some_beta=v1' });
    expect(beta.status).toBe(200);
    const none = await raw(h.sim, 'GET', '/v1/customers');
    expect(none.headers.get('stripe-version')).toBe(Stripe.API_VERSION);
    const bad = await raw(h.sim, 'GET', '/v1/customers', undefined, { 'Stripe-Version': 'yesterday' });
    expect(bad.status).toBe(400);
    expect(bad.json['error']).toMatchObject({ type: 'invalid_request_error' });
  });

  it('answers unknown routes like Stripe', async () => {
    const res = await raw(h.sim, 'GET', '/v1/nothing');
    expect(res.status).toBe(404);
    expect((res.json['error'] as { message: string }).message).toContain('Unrecognized request URL');
  });

  it('rejects a key other than the configured one', async () => {
    const other = await startHarness({ apiKey: 'sk_test_only_this' });
    try {
      await expect(other.stripe.customers.list()).rejects.toMatchObject({ type: 'StripeAuthenticationError', statusCode: 401 });
    } finally {
      await other.sim.stop();
    }
  });
});
