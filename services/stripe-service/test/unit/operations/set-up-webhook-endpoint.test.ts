import { SetUpWebhookEndpoint, type WebhookSetupInput } from '../../../src/application/operations/set-up-webhook-endpoint';
import { InMemorySecretCacheTtlReader } from '../../fakes/in-memory-secret-cache-ttl-reader';
import { InMemorySecretStore } from '../../fakes/in-memory-secret-store';
import { InMemoryWebhookEndpointRegistry } from '../../fakes/in-memory-webhook-endpoint-registry';
import { ManualClock } from '../../support/manual-clock';

const SECRET_ID = 'shop-dev-stripe-webhook-secret';
const URL_ = 'https://api.example.test/stripe/webhook';
const WEBHOOK_FUNCTION = 'shop-dev-webhook';

function harness() {
  const clock = new ManualClock();
  const registry = new InMemoryWebhookEndpointRegistry(() => Math.floor(clock.now() / 1000));
  const secrets = new InMemorySecretStore();
  const ttls = new InMemorySecretCacheTtlReader();
  ttls.environments.set(WEBHOOK_FUNCTION, { SECRET_CACHE_TTL_SECONDS: '300' });
  const setUp = new SetUpWebhookEndpoint(registry, secrets, clock, ttls);
  const input = (overrides: Partial<WebhookSetupInput> = {}): WebhookSetupInput => ({
    url: URL_,
    enabledEvents: ['payment_intent.succeeded', 'invoice.paid'],
    apiVersion: '2026-10-28.endive',
    description: 'shop dev',
    metadata: { project: 'shop', stage: 'dev' },
    secretId: SECRET_ID,
    mode: 'ensure',
    apply: true,
    secretCacheTtl: { readers: [WEBHOOK_FUNCTION] },
    ...overrides,
  });
  return { clock, registry, secrets, ttls, setUp, input };
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

  describe('a deploy while a roll is in progress', () => {
    async function rolledWithNewEvents() {
      const h = harness();
      const first = await h.setUp.execute(h.input());
      const rolled = await h.setUp.execute(h.input({ mode: 'roll' }));
      const stored = h.secrets.values.get(SECRET_ID);
      const writes = h.secrets.writes;
      return { h, oldId: first.endpointId!, newId: rolled.endpointId!, stored, writes };
    }

    it('succeeds, says the roll is in progress, and gives both endpoints the new events, the new one still disabled', async () => {
      const { h, oldId, newId, stored, writes } = await rolledWithNewEvents();
      const report = await h.setUp.execute(h.input({ enabledEvents: ['payment_intent.succeeded', 'invoice.paid', 'refund.failed'] }));
      expect(report).toMatchObject({ endpointId: newId, applied: true, changes: [`events of ${oldId}: add refund.failed`, `events of ${newId}: add refund.failed`] });
      expect(report.notes).toEqual([`a secret roll is in progress (${oldId} → ${newId}, which stays disabled): finish it with --finish-roll --apply once the secret cache time has passed`]);
      expect((await h.registry.list()).map((e) => [e.id, e.enabled, e.enabledEvents])).toEqual([
        [oldId, true, ['payment_intent.succeeded', 'invoice.paid', 'refund.failed']],
        [newId, false, ['payment_intent.succeeded', 'invoice.paid', 'refund.failed']],
      ]);
      expect(h.secrets.values.get(SECRET_ID)).toBe(stored);
      expect(h.secrets.writes).toBe(writes);
      expect(h.ttls.reads).toBe(1);
    });

    it('changes nothing when both endpoints are as wanted, and keeps the old endpoint whose API version the roll replaces', async () => {
      const h = harness();
      const first = await h.setUp.execute(h.input({ apiVersion: '2025-03-31.basil' }));
      await h.setUp.execute(h.input({ mode: 'roll' }));
      const changes = h.registry.changes;
      const report = await h.setUp.execute(h.input());
      expect(report).toMatchObject({ changes: [], applied: false });
      expect(h.registry.changes).toBe(changes);
      expect((await h.registry.list()).map((e) => e.id)[0]).toBe(first.endpointId);
    });

    it('a dry run during a roll only says what it would change', async () => {
      const { h, oldId, newId } = await rolledWithNewEvents();
      const changes = h.registry.changes;
      const report = await h.setUp.execute(h.input({ enabledEvents: ['invoice.paid'], apply: false }));
      expect(report).toMatchObject({ applied: false, changes: [`events of ${oldId}: remove payment_intent.succeeded`, `events of ${newId}: remove payment_intent.succeeded`] });
      expect(h.registry.changes).toBe(changes);
    });

    it('a second roll is still refused until the first is finished', async () => {
      const { h } = await rolledWithNewEvents();
      await expect(h.setUp.execute(h.input({ mode: 'roll' }))).rejects.toMatchObject({ code: 'webhook_roll_in_progress' });
    });
  });

  describe('the secret cache time a roll waits for', () => {
    it('is the one the deployed webhook function runs with, not a default', async () => {
      const h = harness();
      h.ttls.environments.set(WEBHOOK_FUNCTION, { SECRET_CACHE_TTL_SECONDS: '900' });
      await h.setUp.execute(h.input());
      const rolled = await h.setUp.execute(h.input({ mode: 'roll' }));
      expect(rolled.notes).toEqual([expect.stringContaining(`after 2026-01-01T00:15:00.000Z (SECRET_CACHE_TTL_SECONDS, 900 s as ${WEBHOOK_FUNCTION} is deployed`)]);
      h.clock.advance(360_000);
      await expect(h.setUp.execute(h.input({ mode: 'finish_roll' }))).rejects.toMatchObject({ code: 'webhook_roll_not_settled', message: expect.stringContaining(`(900 s, as ${WEBHOOK_FUNCTION} is deployed) ago`) });
      expect(await h.registry.list()).toHaveLength(2);
      h.clock.advance(540_000);
      expect((await h.setUp.execute(h.input({ mode: 'finish_roll' }))).applied).toBe(true);
      expect(await h.registry.list()).toHaveLength(1);
    });

    it('is the longest of the functions that read the secret', async () => {
      const h = harness();
      h.ttls.environments.set('shop-dev-other', { SECRET_CACHE_TTL_SECONDS: '600' });
      await h.setUp.execute(h.input());
      await h.setUp.execute(h.input({ mode: 'roll', secretCacheTtl: { readers: [WEBHOOK_FUNCTION, 'shop-dev-other'] } }));
      h.clock.advance(301_000);
      await expect(h.setUp.execute(h.input({ mode: 'finish_roll', secretCacheTtl: { readers: [WEBHOOK_FUNCTION, 'shop-dev-other'] } }))).rejects.toMatchObject({ message: expect.stringContaining('2026-01-01T00:10:00.000Z') });
    });

    it('given explicitly, overrides what the function is deployed with', async () => {
      const h = harness();
      h.ttls.environments.set(WEBHOOK_FUNCTION, { SECRET_CACHE_TTL_SECONDS: '900' });
      await h.setUp.execute(h.input());
      await h.setUp.execute(h.input({ mode: 'roll' }));
      const finished = await h.setUp.execute(h.input({ mode: 'finish_roll', secretCacheTtl: { seconds: 0 } }));
      expect(finished.applied).toBe(true);
      expect(await h.registry.list()).toHaveLength(1);
    });

    it('unknown (the function is not deployed) refuses the roll and its finish rather than guessing', async () => {
      const h = harness();
      await h.setUp.execute(h.input());
      const missing = { readers: ['shop-dev-missing'] };
      await expect(h.setUp.execute(h.input({ mode: 'roll', secretCacheTtl: missing }))).rejects.toMatchObject({ code: 'webhook_secret_cache_ttl_unknown', message: expect.stringContaining('shop-dev-missing, which reads') });
      expect(await h.registry.list()).toHaveLength(1);
      await h.setUp.execute(h.input({ mode: 'roll' }));
      h.clock.advance(3_600_000);
      await expect(h.setUp.execute(h.input({ mode: 'finish_roll', secretCacheTtl: missing }))).rejects.toMatchObject({ code: 'webhook_secret_cache_ttl_unknown' });
      await expect(h.setUp.execute(h.input({ mode: 'finish_roll', secretCacheTtl: { readers: [] } }))).rejects.toMatchObject({ code: 'webhook_secret_cache_ttl_unknown' });
      expect(await h.registry.list()).toHaveLength(2);
    });

    it('is not read when nothing is rolled, so a plain deploy needs no access to the functions', async () => {
      const h = harness();
      await h.setUp.execute(h.input());
      await h.setUp.execute(h.input({ enabledEvents: ['invoice.paid'] }));
      await h.setUp.execute(h.input({ mode: 'finish_roll' }));
      expect(h.ttls.reads).toBe(0);
    });
  });
});
