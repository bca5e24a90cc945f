import { DomainError } from '@shared/errors/domain-error';
import { SetUpWebhookEndpoint, type WebhookSetupInput } from '../../../src/application/operations/set-up-webhook-endpoint';
import {
  EndpointApiVersionDriftError,
  RollNotSettledError,
  SecretCacheTtlUnknownError,
  SeveralEndpointsError,
  SigningSecretUnrecoverableError,
} from '../../../src/application/operations/webhook-setup-errors';
import { InMemorySecretCacheTtlReader } from '../../fakes/in-memory-secret-cache-ttl-reader';
import { InMemorySecretStore } from '../../fakes/in-memory-secret-store';
import { InMemoryWebhookEndpointRegistry } from '../../fakes/in-memory-webhook-endpoint-registry';
import { ManualClock } from '../../support/manual-clock';

// The refusals of `npm run setup:stripe-webhook`, as an operator reads them: each one's class,
// code and whole message, from every place that raises it.
const SECRET_ID = 'shop-dev-stripe-webhook-secret';
const URL_ = 'https://api.example.test/stripe/webhook';
const WEBHOOK_FUNCTION = 'shop-dev-webhook';
const API_VERSION = '2026-10-28.endive';

function harness() {
  const clock = new ManualClock();
  const registry = new InMemoryWebhookEndpointRegistry(() => Math.floor(clock.now() / 1000));
  const secrets = new InMemorySecretStore();
  const ttls = new InMemorySecretCacheTtlReader();
  ttls.environments.set(WEBHOOK_FUNCTION, { SECRET_CACHE_TTL_SECONDS: '300' });
  const setUp = new SetUpWebhookEndpoint(registry, secrets, clock, ttls);
  const input = (overrides: Partial<WebhookSetupInput> = {}): WebhookSetupInput => ({
    url: URL_,
    enabledEvents: ['payment_intent.succeeded'],
    apiVersion: API_VERSION,
    description: 'shop dev',
    metadata: { project: 'shop', stage: 'dev' },
    secretId: SECRET_ID,
    mode: 'ensure',
    apply: true,
    secretCacheTtl: { readers: [WEBHOOK_FUNCTION] },
    ...overrides,
  });
  const refusal = (overrides: Partial<WebhookSetupInput> = {}) => setUp.execute(input(overrides)).then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => error,
  );
  return { clock, registry, secrets, ttls, setUp, input, refusal };
}

/** Set up once, then rolled: the old endpoint and the new, disabled one. */
async function rolled() {
  const h = harness();
  const first = await h.setUp.execute(h.input());
  const roll = await h.setUp.execute(h.input({ mode: 'roll' }));
  return { ...h, oldId: first.endpointId!, newId: roll.endpointId! };
}

describe('the webhook set-up refusals', () => {
  describe('SigningSecretUnrecoverableError', () => {
    const message = (endpointId: string) =>
      `webhook endpoint ${endpointId} exists but ${SECRET_ID} holds no signing secret (whsec_…), and Stripe shows a secret only when it creates one: run again with --roll to create a new one`;

    it('refuses to keep an endpoint whose secret is not stored', async () => {
      const h = harness();
      const { endpointId } = await h.setUp.execute(h.input());
      h.secrets.values.set(SECRET_ID, 'unset');
      const changes = h.registry.changes;
      const error = await h.refusal();
      expect(error).toBeInstanceOf(SigningSecretUnrecoverableError);
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ name: 'SigningSecretUnrecoverableError', kind: 'conflict', code: 'webhook_signing_secret_unrecoverable', message: message(endpointId!) });
      expect(h.registry.changes).toBe(changes);
    });

    it('names the new endpoint when the secret went missing during a roll, on a deploy and on its finish', async () => {
      const h = await rolled();
      h.secrets.values.delete(SECRET_ID);
      expect(await h.refusal()).toMatchObject({ code: 'webhook_signing_secret_unrecoverable', message: message(h.newId) });
      h.clock.advance(300_000);
      const finish = await h.refusal({ mode: 'finish_roll' });
      expect(finish).toBeInstanceOf(SigningSecretUnrecoverableError);
      expect(finish).toMatchObject({ message: message(h.newId) });
      expect((await h.registry.list()).map((e) => e.id)).toEqual([h.oldId, h.newId]);
    });
  });

  describe('EndpointApiVersionDriftError', () => {
    it('names the endpoint, the version it sends and the one the SDK reads', async () => {
      const h = harness();
      const { endpointId } = await h.setUp.execute(h.input({ apiVersion: '2025-03-31.basil' }));
      const error = await h.refusal();
      expect(error).toBeInstanceOf(EndpointApiVersionDriftError);
      expect(error).toMatchObject({
        name: 'EndpointApiVersionDriftError',
        kind: 'conflict',
        code: 'webhook_api_version_drift',
        message: `webhook endpoint ${endpointId} sends events in API version 2025-03-31.basil, the SDK reads ${API_VERSION}; Stripe sets the version only when it creates an endpoint: run again with --roll to replace it`,
      });
    });

    it('during a roll, names the new endpoint', async () => {
      const h = await rolled();
      expect(await h.refusal({ apiVersion: '2027-01-01.next' })).toMatchObject({
        code: 'webhook_api_version_drift',
        message: `webhook endpoint ${h.newId} sends events in API version ${API_VERSION}, the SDK reads 2027-01-01.next; Stripe sets the version only when it creates an endpoint: run again with --roll to replace it`,
      });
    });

    it('says so when the endpoint follows the account\'s default version', () => {
      expect(new EndpointApiVersionDriftError('we_1', null, API_VERSION).message).toBe(
        `webhook endpoint we_1 sends events in API version (the account's default), the SDK reads ${API_VERSION}; Stripe sets the version only when it creates an endpoint: run again with --roll to replace it`,
      );
    });
  });

  describe('SeveralEndpointsError', () => {
    it('for endpoints no roll made, counts and names them', async () => {
      const h = harness();
      const { endpointId } = await h.setUp.execute(h.input());
      const byHand = await h.registry.create({ url: URL_, enabledEvents: ['*'], apiVersion: API_VERSION, description: 'by hand', metadata: {} });
      for (const mode of ['ensure', 'roll', 'finish_roll'] as const) {
        const error = await h.refusal({ mode });
        expect(error).toBeInstanceOf(SeveralEndpointsError);
        expect(error).toMatchObject({
          name: 'SeveralEndpointsError',
          kind: 'conflict',
          code: 'webhook_endpoint_duplicated',
          message: `2 webhook endpoints deliver to ${URL_} (${endpointId}, ${byHand.endpoint.id}) and none was made by --roll: delete the ones whose secret is not stored, then run again`,
        });
      }
    });

    it('for a second roll, says a roll is in progress', async () => {
      const h = await rolled();
      const error = await h.refusal({ mode: 'roll' });
      expect(error).toBeInstanceOf(SeveralEndpointsError);
      expect(error).toMatchObject({
        kind: 'conflict',
        code: 'webhook_roll_in_progress',
        message: `a secret roll is in progress for ${URL_} (${h.oldId}, ${h.newId}): finish it with --finish-roll first`,
      });
    });
  });

  describe('RollNotSettledError', () => {
    it('gives the cache time, where it comes from, and when to run again', async () => {
      const h = await rolled();
      h.clock.advance(299_999);
      const error = await h.refusal({ mode: 'finish_roll' });
      expect(error).toBeInstanceOf(RollNotSettledError);
      expect(error).toMatchObject({
        name: 'RollNotSettledError',
        kind: 'conflict',
        code: 'webhook_roll_not_settled',
        message: `the new secret was stored less than the secret cache time (300 s, as ${WEBHOOK_FUNCTION} is deployed) ago; functions may still hold the old value: run --finish-roll again after 2026-01-01T00:05:00.000Z`,
      });
    });

    it('says "as given" for a cache time given on the command line', async () => {
      const h = await rolled();
      expect(await h.refusal({ mode: 'finish_roll', secretCacheTtl: { seconds: 60 } })).toMatchObject({
        message: 'the new secret was stored less than the secret cache time (60 s, as given) ago; functions may still hold the old value: run --finish-roll again after 2026-01-01T00:01:00.000Z',
      });
    });
  });

  describe('SecretCacheTtlUnknownError', () => {
    it('names the function that is not deployed', async () => {
      const h = harness();
      await h.setUp.execute(h.input());
      const error = await h.refusal({ mode: 'roll', secretCacheTtl: { readers: ['shop-dev-missing'] } });
      expect(error).toBeInstanceOf(SecretCacheTtlUnknownError);
      expect(error).toMatchObject({
        name: 'SecretCacheTtlUnknownError',
        kind: 'conflict',
        code: 'webhook_secret_cache_ttl_unknown',
        message: `shop-dev-missing, which reads ${SECRET_ID}, is not deployed, so how long it keeps the secret is unknown: deploy it, or give the stage's SECRET_CACHE_TTL_SECONDS with --secret-ttl`,
      });
    });

    it('says no function is named when none is', async () => {
      const h = harness();
      await h.setUp.execute(h.input());
      const error = await h.refusal({ mode: 'roll', secretCacheTtl: { readers: [] } });
      expect(error).toBeInstanceOf(SecretCacheTtlUnknownError);
      expect(error).toMatchObject({
        code: 'webhook_secret_cache_ttl_unknown',
        message: `no deployed function is named as reading ${SECRET_ID}, so how long functions keep it is unknown: give the stage's SECRET_CACHE_TTL_SECONDS with --secret-ttl`,
      });
    });
  });
});
