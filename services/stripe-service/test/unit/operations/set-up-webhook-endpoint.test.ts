import { SetUpWebhookEndpoint, type WebhookSetupInput } from '../../../src/application/operations/set-up-webhook-endpoint';
import { InMemorySecretStore } from '../../fakes/in-memory-secret-store';
import { InMemoryWebhookEndpointRegistry } from '../../fakes/in-memory-webhook-endpoint-registry';
import { ManualClock } from '../../support/manual-clock';

const SECRET_ID = 'shop-dev-stripe-webhook-secret';
const URL_ = 'https://api.example.test/stripe/webhook';

function harness() {
  const clock = new ManualClock();
  const registry = new InMemoryWebhookEndpointRegistry(() => Math.floor(clock.now() / 1000));
  const secrets = new InMemorySecretStore();
  const setUp = new SetUpWebhookEndpoint(registry, secrets, clock);
  const input = (overrides: Partial<WebhookSetupInput> = {}): WebhookSetupInput => ({
    url: URL_,
    enabledEvents: ['payment_intent.succeeded', 'invoice.paid'],
    apiVersion: '2026-10-28.endive',
    description: 'shop dev',
    metadata: { project: 'shop', stage: 'dev' },
    secretId: SECRET_ID,
    mode: 'ensure',
    apply: true,
    secretCacheTtlSeconds: 300,
    ...overrides,
  });
  return { clock, registry, secrets, setUp, input };
}

describe('SetUpWebhookEndpoint', () => {
  it('keeps a secret stored as JSON {"key": …} in that form', async () => {
    const h = harness();
    h.secrets.values.set(SECRET_ID, '{"key":"unset"}');
    const report = await h.setUp.execute(h.input());
    expect(JSON.parse(h.secrets.values.get(SECRET_ID)!)).toEqual({ key: h.registry.secrets.get(report.endpointId!) });
  });

  it('refuses, changing nothing, an endpoint whose API version differs from the SDK\'s', async () => {
    const h = harness();
    await h.setUp.execute(h.input({ apiVersion: '2025-03-31.basil' }));
    const changes = h.registry.changes;
    await expect(h.setUp.execute(h.input({ enabledEvents: ['invoice.paid'] }))).rejects.toMatchObject({ code: 'webhook_api_version_drift', message: expect.stringContaining('sends events in API version 2025-03-31.basil') });
    expect(h.registry.changes).toBe(changes);
  });

  it('refuses two endpoints for the URL that no roll made, whichever mode', async () => {
    const h = harness();
    await h.setUp.execute(h.input());
    await h.registry.create({ url: URL_, enabledEvents: ['*'], apiVersion: '2026-10-28.endive', description: 'by hand', metadata: {} });
    for (const mode of ['ensure', 'roll', 'finish_roll'] as const) {
      await expect(h.setUp.execute(h.input({ mode }))).rejects.toMatchObject({ code: 'webhook_endpoint_duplicated' });
    }
  });

  it('leaves endpoints of other URLs and metadata keys of others alone', async () => {
    const h = harness();
    const other = await h.registry.create({ url: 'https://other.example.test/hook', enabledEvents: ['*'], apiVersion: 'x', description: 'other', metadata: {} });
    const first = await h.setUp.execute(h.input());
    await h.registry.update(first.endpointId!, { metadata: { owner: 'payments-team', stage: 'old' } });
    const report = await h.setUp.execute(h.input());
    expect(report.changes).toEqual([`metadata of ${first.endpointId}: stage=dev`]);
    const endpoints = await h.registry.list();
    expect(endpoints.find((e) => e.id === first.endpointId)?.metadata).toEqual({ project: 'shop', stage: 'dev', owner: 'payments-team' });
    expect(endpoints.find((e) => e.id === other.endpoint.id)).toEqual(other.endpoint);
  });

  it('removes the endpoint it created when the secret cannot be stored, so no endpoint is left whose secret is lost', async () => {
    const h = harness();
    await h.setUp.execute(h.input());
    const before = await h.registry.list();
    h.secrets.write = async () => {
      throw new Error('AccessDeniedException');
    };
    await expect(h.setUp.execute(h.input({ mode: 'roll' }))).rejects.toThrow('AccessDeniedException');
    expect(await h.registry.list()).toEqual(before);
  });

  it('finishes a roll only once the cache time has passed since it, then drops the old endpoint and secret', async () => {
    const h = harness();
    const first = await h.setUp.execute(h.input());
    const old = h.secrets.values.get(SECRET_ID)!;
    const rolled = await h.setUp.execute(h.input({ mode: 'roll' }));
    const fresh = h.registry.secrets.get(rolled.endpointId!)!;
    expect(h.secrets.values.get(SECRET_ID)).toBe(`${fresh},${old}`);
    expect((await h.registry.list()).map((e) => [e.id, e.enabled])).toEqual([[first.endpointId, true], [rolled.endpointId, false]]);

    h.clock.advance(299_000);
    const early = h.setUp.execute(h.input({ mode: 'finish_roll' }));
    await expect(early).rejects.toMatchObject({ code: 'webhook_roll_not_settled', message: expect.stringContaining('2026-01-01T00:05:00.000Z') });

    h.clock.advance(1_000);
    const dry = await h.setUp.execute(h.input({ mode: 'finish_roll', apply: false }));
    expect(dry).toMatchObject({ applied: false, changes: [`enable ${rolled.endpointId}`, `delete ${first.endpointId}, the endpoint signing with the old secret`, `store only the newest signing secret in ${SECRET_ID}`] });
    expect(await h.registry.list()).toHaveLength(2);

    const finished = await h.setUp.execute(h.input({ mode: 'finish_roll' }));
    expect(finished.notes).toEqual([expect.stringContaining('npm run replay -- --target aws --since 2026-01-01T00:00:00.000Z')]);
    expect((await h.registry.list()).map((e) => [e.id, e.enabled])).toEqual([[rolled.endpointId, true]]);
    expect(h.secrets.values.get(SECRET_ID)).toBe(fresh);
  });

  it('a finish stopped after the old endpoint was deleted is completed by the next run', async () => {
    const h = harness();
    await h.setUp.execute(h.input());
    const rolled = await h.setUp.execute(h.input({ mode: 'roll' }));
    const fresh = h.registry.secrets.get(rolled.endpointId!)!;
    h.clock.advance(300_000);
    const [old] = await h.registry.list();
    await h.registry.update(rolled.endpointId!, { enabled: true });
    await h.registry.remove(old!.id);

    const plain = await h.setUp.execute(h.input());
    expect(plain.notes).toEqual([`${SECRET_ID} holds 2 signing secrets while one endpoint signs: --finish-roll keeps only the newest`]);
    const finished = await h.setUp.execute(h.input({ mode: 'finish_roll' }));
    expect(finished.changes).toEqual([`store only the newest signing secret in ${SECRET_ID}`]);
    expect(h.secrets.values.get(SECRET_ID)).toBe(fresh);
  });

  it('a dry run reads only: no endpoint call that changes, no secret written, in every mode', async () => {
    const h = harness();
    for (const mode of ['ensure', 'roll', 'finish_roll'] as const) await h.setUp.execute(h.input({ mode, apply: false }));
    await h.setUp.execute(h.input());
    const changes = h.registry.changes;
    const writes = h.secrets.writes;
    await h.registry.update((await h.registry.list())[0]!.id, { enabledEvents: ['charge.refunded'] });
    for (const mode of ['ensure', 'roll', 'finish_roll'] as const) {
      const report = await h.setUp.execute(h.input({ mode, apply: false }));
      expect(report.applied).toBe(false);
    }
    expect(h.registry.changes).toBe(changes + 1);
    expect(h.secrets.writes).toBe(writes);
  });
});
