import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, env, readEnv } from '../src/config/env';
import { redact } from '../src/observability/redaction';
import { CachingSecretProvider } from '../src/secrets/caching-secret-provider';
import { FileSecretProvider } from '../src/secrets/file-secret-provider';
import { unwrapSecretValue } from '../src/secrets/secret-provider';

describe('readEnv', () => {
  const schemas = {
    TABLE: env.name(),
    TOPIC: env.arn(),
    QUEUE: env.url(),
    MODE: env.oneOf(['aws', 'file'] as const, 'aws'),
    TTL: env.integer(300, 0, 3600),
    OPTIONAL: env.optional(),
  };

  it('returns typed values and applies defaults', () => {
    const config = readEnv(schemas, {
      TABLE: 'p-dev-customers',
      TOPIC: 'arn:aws:sns:us-east-1:000000000000:billing',
      QUEUE: 'http://127.0.0.1:4566/000000000000/q',
    });
    expect(config).toEqual({
      TABLE: 'p-dev-customers',
      TOPIC: 'arn:aws:sns:us-east-1:000000000000:billing',
      QUEUE: 'http://127.0.0.1:4566/000000000000/q',
      MODE: 'aws',
      TTL: 300,
      OPTIONAL: undefined,
    });
  });

  it('names every missing or malformed variable in one error, without echoing values', () => {
    let caught: unknown;
    try {
      readEnv(schemas, { TOPIC: 'sk_live_not_an_arn', QUEUE: 'nope', MODE: 'cloud', TTL: '-5' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    const problems = (caught as ConfigurationError).problems;
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).toMatch(/TABLE is required/);
    expect(problems.join('\n')).toMatch(/TOPIC is malformed/);
    expect(problems.join('\n')).toMatch(/QUEUE is malformed/);
    expect(problems.join('\n')).toMatch(/MODE is malformed/);
    expect(problems.join('\n')).toMatch(/TTL is malformed/);
    expect((caught as Error).message).not.toContain('sk_live_not_an_arn');
  });

  it('treats an empty variable as missing', () => {
    expect(() => readEnv({ TABLE: env.name() }, { TABLE: '' })).toThrow(/TABLE is required/);
  });
});

describe('secret values', () => {
  it('accepts a plain string or JSON {"key": …}', () => {
    expect(unwrapSecretValue('sk_test_abc')).toBe('sk_test_abc');
    expect(unwrapSecretValue(' sk_test_abc\n')).toBe('sk_test_abc');
    expect(unwrapSecretValue('{"key": "whsec_123"}')).toBe('whsec_123');
    expect(unwrapSecretValue('{"other": "x"}')).toBe('{"other": "x"}');
    expect(unwrapSecretValue('{not json')).toBe('{not json');
  });

  it('caches for the TTL, shares concurrent first reads, and refetches after expiry', async () => {
    let time = 0;
    let calls = 0;
    const provider = new CachingSecretProvider(
      async () => {
        calls += 1;
        return JSON.stringify({ key: `value-${calls}` });
      },
      1000,
      () => time,
    );
    const [a, b] = await Promise.all([provider.getSecret('id'), provider.getSecret('id')]);
    expect([a, b, calls]).toEqual(['value-1', 'value-1', 1]);
    time = 999;
    expect(await provider.getSecret('id')).toBe('value-1');
    time = 1000;
    expect(await provider.getSecret('id')).toBe('value-2');
  });

  it('registers every value it loads for log redaction, as unwrapped from {"key": …}', async () => {
    // Values unique to this run, so nothing else can have registered them.
    const plain = `sk_test_${randomUUID().replaceAll('-', '')}`;
    const wrapped = `whsec_${randomUUID().replaceAll('-', '')}`;
    const provider = new CachingSecretProvider(async (id) => (id === 'plain' ? plain : JSON.stringify({ key: wrapped })), 60_000);
    const line = `calling Stripe with ${plain}, signing with ${wrapped}`;
    expect(redact(line)).toBe(line);
    await expect(provider.getSecret('plain')).resolves.toBe(plain);
    expect(redact(line)).toBe(`calling Stripe with [REDACTED], signing with ${wrapped}`);
    await expect(provider.getSecret('wrapped')).resolves.toBe(wrapped);
    expect(redact(line)).toBe('calling Stripe with [REDACTED], signing with [REDACTED]');
    // The JSON around a wrapped value is not the secret: only the value is hidden.
    expect(redact(JSON.stringify({ key: wrapped }))).toBe('{"key":"[REDACTED]"}');
  });

  it('registers values read by the file provider too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    const file = join(dir, 'secrets.json');
    const value = `jwt-${randomUUID()}`;
    writeFileSync(file, JSON.stringify({ 'p-local-jwt': { key: value } }));
    await new FileSecretProvider(file, 0).getSecret('p-local-jwt');
    expect(redact(`token secret ${value}`)).toBe('token secret [REDACTED]');
  });

  it('does not cache a failed read', async () => {
    let calls = 0;
    const provider = new CachingSecretProvider(async () => {
      calls += 1;
      if (calls === 1) throw new Error('throttled');
      return 'ok-value';
    }, 60_000);
    await expect(provider.getSecret('id')).rejects.toThrow('throttled');
    await expect(provider.getSecret('id')).resolves.toBe('ok-value');
  });

  it('reads the local secrets file by secret id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    const file = join(dir, 'secrets.json');
    writeFileSync(file, JSON.stringify({ 'p-local-stripe-secret-key': 'sk_test_local', 'p-local-jwt': { key: 'jwt-secret-value' } }));
    const provider = new FileSecretProvider(file, 0);
    await expect(provider.getSecret('p-local-stripe-secret-key')).resolves.toBe('sk_test_local');
    await expect(provider.getSecret('p-local-jwt')).resolves.toBe('jwt-secret-value');
    await expect(provider.getSecret('missing')).rejects.toThrow(/missing could not be read: not present/);
  });
});
