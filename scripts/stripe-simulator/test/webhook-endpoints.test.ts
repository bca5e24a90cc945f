import Stripe from 'stripe';
import { raw, startHarness, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ webhookEndpoints: [{ url: 'http://127.0.0.1:9/preregistered', secret: 'whsec_preregistered', enabledEvents: ['customer.created'] }] });
});
afterAll(async () => {
  await h.sim.stop();
});

describe('webhook endpoints through the stripe SDK', () => {
  it('creates an endpoint whose secret only the create response carries', async () => {
    const created = await h.stripe.webhookEndpoints.create({
      url: 'http://127.0.0.1:4000/webhooks/stripe',
      enabled_events: ['payment_intent.succeeded', 'checkout.session.completed'],
      description: 'local stack',
      metadata: { owner: 'payments' },
    });
    expect(created.id).toMatch(/^we_[A-Za-z0-9]{24}$/);
    expect(created).toMatchObject({
      object: 'webhook_endpoint',
      url: 'http://127.0.0.1:4000/webhooks/stripe',
      enabled_events: ['payment_intent.succeeded', 'checkout.session.completed'],
      description: 'local stack',
      metadata: { owner: 'payments' },
      status: 'enabled',
      livemode: false,
      api_version: null,
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9]{32,}$/);
    expect(typeof created.created).toBe('number');

    const fetched = await h.stripe.webhookEndpoints.retrieve(created.id);
    expect(fetched.secret).toBeUndefined();
    expect('secret' in fetched).toBe(false);
    expect(fetched).toMatchObject({ id: created.id, url: created.url, enabled_events: created.enabled_events });

    const listed = await h.stripe.webhookEndpoints.list({ limit: 100 });
    const mine = listed.data.find((e) => e.id === created.id);
    expect(mine).toBeDefined();
    expect(listed.data.every((e) => e.secret === undefined)).toBe(true);
  });

  it("accepts '*' for all events and an api_version", async () => {
    const created = await h.stripe.webhookEndpoints.create({ url: 'http://127.0.0.1:9/hook', enabled_events: ['*'], api_version: '2026-10-28.endive' });
    expect(created.enabled_events).toEqual(['*']);
    expect(created.api_version).toBe('2026-10-28.endive');
    expect(created.description).toBeNull();
    expect(created.metadata).toEqual({});
  });

  it('updates url, events, description, metadata and the disabled switch', async () => {
    const created = await h.stripe.webhookEndpoints.create({ url: 'http://127.0.0.1:4001/a', enabled_events: ['*'], metadata: { a: '1' } });
    const updated = await h.stripe.webhookEndpoints.update(created.id, {
      url: 'http://127.0.0.1:4001/b',
      enabled_events: ['customer.created'],
      description: 'moved',
      metadata: { b: '2' },
      disabled: true,
    });
    expect(updated).toMatchObject({ url: 'http://127.0.0.1:4001/b', enabled_events: ['customer.created'], description: 'moved', metadata: { a: '1', b: '2' }, status: 'disabled' });
    expect(updated.secret).toBeUndefined();
    const enabled = await h.stripe.webhookEndpoints.update(created.id, { disabled: false, description: '' });
    expect(enabled.status).toBe('enabled');
    expect(enabled.description).toBeNull();
  });

  it('deletes an endpoint, after which it is missing', async () => {
    const created = await h.stripe.webhookEndpoints.create({ url: 'http://127.0.0.1:4002/x', enabled_events: ['*'] });
    const deleted = await h.stripe.webhookEndpoints.del(created.id);
    expect(deleted).toEqual(expect.objectContaining({ id: created.id, object: 'webhook_endpoint', deleted: true }));
    await expect(h.stripe.webhookEndpoints.retrieve(created.id)).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      code: 'resource_missing',
      statusCode: 404,
    });
    await expect(h.stripe.webhookEndpoints.del(created.id)).rejects.toMatchObject({ code: 'resource_missing' });
    const other = await h.stripe.webhookEndpoints.create({ url: 'http://127.0.0.1:4002/y', enabled_events: ['*'] });
    const withParams = await raw(h.sim, 'DELETE', `/v1/webhook_endpoints/${other.id}?apiKey=sk_test_x`);
    expect(withParams.status).toBe(400);
    expect(withParams.json).toMatchObject({ error: { code: 'parameter_unknown', param: 'apiKey' } });
    expect((await h.stripe.webhookEndpoints.retrieve(other.id)).id).toBe(other.id);
    const listed = await h.stripe.webhookEndpoints.list({ limit: 100 });
    expect(listed.data.some((e) => e.id === created.id)).toBe(false);
  });

  it('pages newest first with limit, starting_after and ending_before', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await h.stripe.webhookEndpoints.create({ url: `http://127.0.0.1:4100/p${i}`, enabled_events: ['*'] })).id);
    const page1 = await h.stripe.webhookEndpoints.list({ limit: 2 });
    expect(page1).toMatchObject({ object: 'list', has_more: true, url: '/v1/webhook_endpoints' });
    expect(page1.data.map((e) => e.id)).toEqual([ids[3], ids[2]]);
    const page2 = await h.stripe.webhookEndpoints.list({ limit: 2, starting_after: ids[2]! });
    expect(page2.data.map((e) => e.id)).toEqual([ids[1], ids[0]]);
    const back = await h.stripe.webhookEndpoints.list({ limit: 2, ending_before: ids[1]! });
    expect(back.data.map((e) => e.id)).toEqual([ids[3], ids[2]]);

    const all: string[] = [];
    for await (const e of h.stripe.webhookEndpoints.list({ limit: 3 })) all.push(e.id);
    expect(all.slice(0, 4)).toEqual([ids[3], ids[2], ids[1], ids[0]]);
    expect(new Set(all).size).toBe(all.length);
  });

  it('lists endpoints registered at start, without their secret', async () => {
    const all: Stripe.WebhookEndpoint[] = [];
    for await (const e of h.stripe.webhookEndpoints.list()) all.push(e);
    const pre = all.find((e) => e.url === 'http://127.0.0.1:9/preregistered');
    expect(pre).toMatchObject({ enabled_events: ['customer.created'], status: 'enabled' });
    expect(pre?.secret).toBeUndefined();
  });

  it('registers endpoints programmatically, returning the secret', async () => {
    const added = h.sim.addWebhookEndpoint({ url: 'http://127.0.0.1:4003/prog', secret: 'whsec_given' });
    expect(added).toEqual({ id: expect.stringMatching(/^we_/) as unknown, secret: 'whsec_given' });
    const fetched = await h.stripe.webhookEndpoints.retrieve(added.id);
    expect(fetched.enabled_events).toEqual(['*']);
  });

  it('validates parameters as Stripe does', async () => {
    await expect(h.stripe.webhookEndpoints.create({ url: 'http://127.0.0.1:1/x' } as Stripe.WebhookEndpointCreateParams)).rejects.toMatchObject({
      code: 'parameter_missing',
      param: 'enabled_events',
      statusCode: 400,
    });
    await expect(h.stripe.webhookEndpoints.create({ enabled_events: ['*'] } as Stripe.WebhookEndpointCreateParams)).rejects.toMatchObject({
      code: 'parameter_missing',
      param: 'url',
    });
    await expect(h.stripe.webhookEndpoints.create({ url: 'not a url', enabled_events: ['*'] })).rejects.toMatchObject({ code: 'url_invalid', param: 'url' });
    await expect(h.stripe.webhookEndpoints.create({ url: 'ftp://example.com/x', enabled_events: ['*'] })).rejects.toMatchObject({ code: 'url_invalid' });
    await expect(
      h.stripe.webhookEndpoints.create({ url: 'http://127.0.0.1:1/x', enabled_events: ['not an event'] as unknown as Stripe.WebhookEndpointCreateParams.EnabledEvent[] }),
    ).rejects.toMatchObject({ param: 'enabled_events[0]', type: 'StripeInvalidRequestError' });
    await expect(
      h.stripe.webhookEndpoints.create({ url: 'http://127.0.0.1:1/x', enabled_events: ['*'], bogus: 1 } as Stripe.WebhookEndpointCreateParams),
    ).rejects.toMatchObject({ code: 'parameter_unknown', param: 'bogus' });
  });

  it('needs the secret key', async () => {
    const res = await raw(h.sim, 'GET', '/v1/webhook_endpoints', undefined, { Authorization: '' });
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ error: { type: 'invalid_request_error' } });
  });
});
