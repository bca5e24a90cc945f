import { unwrapSecretValue } from '@shared/secrets/secret-provider';
import type { Clock } from '../ports/clock';
import type { SecretCacheTtlReader } from '../ports/secret-cache-ttl-reader';
import type { SecretStore } from '../ports/secret-store';
import type { WebhookEndpoint, WebhookEndpointRegistry } from '../ports/webhook-endpoint-registry';
import { parseSigningSecrets } from '../webhooks/signing-secrets';
import { EndpointApiVersionDriftError, RollNotSettledError, SecretCacheTtlUnknownError, SeveralEndpointsError, SigningSecretUnrecoverableError } from './webhook-setup-errors';

/**
 * `ensure`: create the stage's endpoint, or bring the existing one in line. `roll`: a new endpoint
 * (so a new secret) beside the old one, kept disabled until every function accepts its secret.
 * `finish_roll`: switch to the new endpoint and drop the old one and its secret.
 */
export type WebhookSetupMode = 'ensure' | 'roll' | 'finish_roll';

export interface WebhookSetupInput {
  url: string;
  enabledEvents: readonly string[];
  /** The API version the SDK reads events in. */
  apiVersion: string;
  description: string;
  /** Keys naming the project and stage; other keys on the endpoint are left alone. */
  metadata: Record<string, string>;
  /** Where the webhook function reads its signing secret(s). */
  secretId: string;
  mode: WebhookSetupMode;
  /** False: only say what would change. */
  apply: boolean;
  /**
   * How long a function keeps a secret it read (SECRET_CACHE_TTL_SECONDS): given, or read from the
   * deployed functions that read `secretId` (the longest counts). Read only when a roll needs it.
   */
  secretCacheTtl: { seconds: number } | { readers: readonly string[] };
}

export interface WebhookSetupReport {
  /** The endpoint that delivers (or will) once this run's changes are made; undefined when a dry run would create it. */
  endpointId: string | undefined;
  /** What this run changes (or, dry, would change), in order; empty when everything is as wanted. */
  changes: string[];
  applied: boolean;
  /** What the operator should know or do next. */
  notes: string[];
}

/** Marks the endpoint a roll created, with the time its secret was stored (epoch seconds). */
export const ROLLED_AT = 'rolled_at';
export const ROLLED_FROM = 'rolled_from';

const SIGNING_SECRET = /^whsec_[A-Za-z0-9]+$/;

/**
 * Registers a stage's webhook endpoint with exactly the events the worker handles and keeps its
 * signing secret where the webhook function reads it. Idempotent: a run that finds everything as
 * wanted changes nothing. The provider shows a signing secret only when it creates an endpoint, so
 * a new secret always means a new endpoint; while one is rolled the stored value holds the new and
 * the old secret (`new,old`), which the webhook function both accepts.
 */
export class SetUpWebhookEndpoint {
  constructor(
    private readonly registry: WebhookEndpointRegistry,
    private readonly secrets: SecretStore,
    private readonly clock: Clock,
    private readonly secretCacheTtls: SecretCacheTtlReader,
  ) {}

  async execute(input: WebhookSetupInput): Promise<WebhookSetupReport> {
    const endpoints = (await this.registry.list()).filter((e) => e.url === input.url);
    const stored = await this.readStored(input.secretId);
    if (input.mode === 'finish_roll') return this.finishRoll(input, endpoints, stored);
    const current = endpoints.at(-1);
    const rolling = current?.metadata[ROLLED_AT] !== undefined;
    // A deploy during a roll must not fail on it: it keeps every endpoint's events in line instead.
    if (current && endpoints.length > 1 && rolling && input.mode === 'ensure') return this.ensureDuringRoll(input, endpoints, current, stored);
    if (endpoints.length > 1) throw new SeveralEndpointsError(input.url, endpoints.map((e) => e.id), rolling);
    if (!current) return this.create(input, stored);
    if (input.mode === 'roll') return this.roll(input, current, stored);
    return this.ensure(input, current, stored);
  }

  private async create(input: WebhookSetupInput, stored: StoredSecret): Promise<WebhookSetupReport> {
    const changes = [`create the webhook endpoint for ${input.url} (${input.enabledEvents.length} event types, API version ${input.apiVersion})`, `store its signing secret in ${input.secretId}`];
    if (!input.apply) return { endpointId: undefined, changes, applied: false, notes: [] };
    const { endpoint, secret } = await this.registry.create(this.settings(input, {}));
    // A single secret: no other endpoint for this URL signs with what was stored before.
    await this.storeOrUndo(input, stored, [secret], endpoint.id);
    return { endpointId: endpoint.id, changes, applied: true, notes: [] };
  }

  private async ensure(input: WebhookSetupInput, current: WebhookEndpoint, stored: StoredSecret): Promise<WebhookSetupReport> {
    if (current.apiVersion !== input.apiVersion) throw new EndpointApiVersionDriftError(current.id, current.apiVersion, input.apiVersion);
    if (stored.usable.length === 0) throw new SigningSecretUnrecoverableError(current.id, input.secretId);
    const { changes, update } = this.drift(input, current);
    if (!current.enabled) {
      update.enabled = true;
      changes.push(`enable ${current.id} (it was disabled)`);
    }
    const notes = stored.usable.length > 1 ? [`${input.secretId} holds ${stored.usable.length} signing secrets while one endpoint signs: --finish-roll keeps only the newest`] : [];
    if (changes.length > 0 && input.apply) await this.registry.update(current.id, update);
    return { endpointId: current.id, changes, applied: input.apply && changes.length > 0, notes };
  }

  /**
   * Each endpoint of the roll gets the wanted events, description and metadata, which changes no
   * secret and no delivery state: the new one stays disabled until --finish-roll, and the old one's
   * API version may be why it is rolled.
   */
  private async ensureDuringRoll(input: WebhookSetupInput, endpoints: WebhookEndpoint[], current: WebhookEndpoint, stored: StoredSecret): Promise<WebhookSetupReport> {
    if (current.apiVersion !== input.apiVersion) throw new EndpointApiVersionDriftError(current.id, current.apiVersion, input.apiVersion);
    if (stored.usable.length === 0) throw new SigningSecretUnrecoverableError(current.id, input.secretId);
    const drifts = endpoints.map((endpoint) => ({ endpoint, ...this.drift(input, endpoint) }));
    const changes = drifts.flatMap((d) => d.changes);
    if (input.apply) for (const d of drifts) if (d.changes.length > 0) await this.registry.update(d.endpoint.id, d.update);
    const older = endpoints.slice(0, -1).map((e) => e.id).join(', ');
    const notes = [`a secret roll is in progress (${older} → ${current.id}, which stays disabled): finish it with --finish-roll --apply once the secret cache time has passed`];
    return { endpointId: current.id, changes, applied: input.apply && changes.length > 0, notes };
  }

  /** What differs from the wanted settings, apart from the enabled state. */
  private drift(input: WebhookSetupInput, current: WebhookEndpoint): { changes: string[]; update: Parameters<WebhookEndpointRegistry['update']>[1] } {
    const changes: string[] = [];
    const update: Parameters<WebhookEndpointRegistry['update']>[1] = {};
    const wanted = new Set(input.enabledEvents);
    const added = [...wanted].filter((t) => !current.enabledEvents.includes(t));
    const removed = current.enabledEvents.filter((t) => !wanted.has(t));
    if (added.length > 0 || removed.length > 0) {
      update.enabledEvents = [...input.enabledEvents];
      changes.push(`events of ${current.id}:${added.length ? ` add ${added.join(', ')}` : ''}${removed.length ? ` remove ${removed.join(', ')}` : ''}`);
    }
    if (current.description !== input.description) {
      update.description = input.description;
      changes.push(`description of ${current.id}: "${input.description}"`);
    }
    const metadata = Object.fromEntries(Object.entries(input.metadata).filter(([key, value]) => current.metadata[key] !== value));
    if (Object.keys(metadata).length > 0) {
      update.metadata = metadata;
      changes.push(`metadata of ${current.id}: ${Object.entries(metadata).map(([k, v]) => `${k}=${v}`).join(', ')}`);
    }
    return { changes, update };
  }

  private async roll(input: WebhookSetupInput, current: WebhookEndpoint, stored: StoredSecret): Promise<WebhookSetupReport> {
    const ttl = await this.secretCacheTtlSeconds(input);
    const readyAt = new Date(this.clock.now() + ttl.seconds * 1000).toISOString();
    const changes = [
      `create a new webhook endpoint for ${input.url} beside ${current.id} (API version ${input.apiVersion}), disabled until its secret is accepted everywhere`,
      `store new,old in ${input.secretId}${stored.usable.length === 0 ? ' (no old secret is stored: only the new one)' : ''}`,
    ];
    const finish = `after ${readyAt} (SECRET_CACHE_TTL_SECONDS, ${ttl.seconds} s ${ttl.source}, from now every function accepts both secrets) run again with --finish-roll --apply: it enables the new endpoint, deletes ${current.id} and stores the new secret alone`;
    if (!input.apply) return { endpointId: undefined, changes, applied: false, notes: [finish] };
    const rolledAt = String(Math.floor(this.clock.now() / 1000));
    const { endpoint, secret } = await this.registry.create(this.settings(input, { [ROLLED_AT]: rolledAt, [ROLLED_FROM]: current.id }));
    try {
      // Until the functions hold the new secret its deliveries would fail; the old endpoint still sends every event.
      await this.registry.update(endpoint.id, { enabled: false });
    } catch (error) {
      await this.registry.remove(endpoint.id).catch(() => undefined);
      throw error;
    }
    await this.storeOrUndo(input, stored, [secret, ...stored.usable], endpoint.id);
    return { endpointId: endpoint.id, changes, applied: true, notes: [finish] };
  }

  private async finishRoll(input: WebhookSetupInput, endpoints: WebhookEndpoint[], stored: StoredSecret): Promise<WebhookSetupReport> {
    const current = endpoints.at(-1);
    if (!current) return { endpointId: undefined, changes: [], applied: false, notes: [`no webhook endpoint delivers to ${input.url}: nothing to finish (run without --finish-roll to create it)`] };
    const rolledAt = Number(current.metadata[ROLLED_AT]);
    if (endpoints.length > 1 && !Number.isFinite(rolledAt)) throw new SeveralEndpointsError(input.url, endpoints.map((e) => e.id), false);
    const newest = stored.usable[0];
    if (!newest) throw new SigningSecretUnrecoverableError(current.id, input.secretId);
    const changes: string[] = [];
    if (!current.enabled) changes.push(`enable ${current.id}`);
    const older = endpoints.slice(0, -1);
    for (const old of older) changes.push(`delete ${old.id}, the endpoint signing with the old secret`);
    if (stored.usable.length > 1) changes.push(`store only the newest signing secret in ${input.secretId}`);
    if (changes.length === 0) return { endpointId: current.id, changes, applied: false, notes: ['no roll in progress: nothing to finish'] };
    if (Number.isFinite(rolledAt) && older.length > 0) {
      const ttl = await this.secretCacheTtlSeconds(input);
      const readyAtMs = (rolledAt + ttl.seconds) * 1000;
      if (this.clock.now() < readyAtMs) throw new RollNotSettledError(new Date(readyAtMs).toISOString(), ttl.seconds, ttl.source);
    }
    if (input.apply) {
      // This order keeps an endpoint whose secret is accepted delivering at every step; a run stopped half-way is finished by the next.
      if (!current.enabled) await this.registry.update(current.id, { enabled: true });
      for (const old of older) await this.registry.remove(old.id);
      if (stored.usable.length > 1) await this.secrets.write(input.secretId, stored.format([newest]), this.secretDescription(input));
    }
    // A deleted endpoint stops retrying what it failed to deliver, and the new one was off when those events happened.
    const since = Number.isFinite(rolledAt) ? new Date(rolledAt * 1000).toISOString() : undefined;
    const notes = older.length > 0 && since ? [`deliveries the old endpoint was still retrying end with it: npm run replay -- --target aws --since ${since} (ENVIRONMENT set to the stage) feeds any the service never processed`] : [];
    return { endpointId: current.id, changes, applied: input.apply, notes };
  }

  /** The longest time any function reading the secret keeps it, so that all of them have re-read it by then. */
  private async secretCacheTtlSeconds(input: WebhookSetupInput): Promise<{ seconds: number; source: string }> {
    if ('seconds' in input.secretCacheTtl) return { seconds: input.secretCacheTtl.seconds, source: 'as given' };
    const { readers } = input.secretCacheTtl;
    let longest = { seconds: 0, source: '' };
    for (const reader of readers) {
      const seconds = await this.secretCacheTtls.secretCacheTtlSecondsOf(reader);
      if (seconds === undefined) throw new SecretCacheTtlUnknownError(reader, input.secretId);
      if (seconds >= longest.seconds) longest = { seconds, source: `as ${reader} is deployed` };
    }
    if (!longest.source) throw new SecretCacheTtlUnknownError(undefined, input.secretId);
    return longest;
  }

  private settings(input: WebhookSetupInput, extraMetadata: Record<string, string>) {
    return { url: input.url, enabledEvents: [...input.enabledEvents], apiVersion: input.apiVersion, description: input.description, metadata: { ...input.metadata, ...extraMetadata } };
  }

  /** Stores the secrets; if that fails, the endpoint just created is removed, since its secret would be lost. */
  private async storeOrUndo(input: WebhookSetupInput, stored: StoredSecret, secrets: string[], createdId: string): Promise<void> {
    try {
      await this.secrets.write(input.secretId, stored.format(secrets), this.secretDescription(input));
    } catch (error) {
      await this.registry.remove(createdId).catch(() => undefined);
      throw error;
    }
  }

  private secretDescription(input: WebhookSetupInput): string {
    return `Stripe webhook signing secret(s) of ${input.url}, comma separated, newest first`;
  }

  private async readStored(secretId: string): Promise<StoredSecret> {
    const raw = await this.secrets.read(secretId);
    // Kept in the form it was written in: the console's JSON `{"key": …}` stays JSON.
    const json = raw !== undefined && raw.trim().startsWith('{') && unwrapSecretValue(raw) !== raw.trim();
    const usable = raw === undefined ? [] : parseSigningSecrets(unwrapSecretValue(raw)).filter((s) => SIGNING_SECRET.test(s));
    return { usable, format: (secrets) => (json ? JSON.stringify({ key: secrets.join(',') }) : secrets.join(',')) };
  }
}

interface StoredSecret {
  /** The stored signing secrets, newest first; placeholders are not among them. */
  usable: string[];
  format(secrets: string[]): string;
}
