import { createServer, type Server, type ServerResponse } from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type JWK } from 'jose';
import { JwtAuthenticator } from '../src/auth/jwt-authenticator';
import { ServiceUnavailableError, UnauthorizedError } from '../src/errors/domain-error';
import { SecretNotFoundError } from '../src/secrets/secret-provider';

const SECRET = 'test-shared-secret-0123456789abcdef';
const secretKey = new TextEncoder().encode(SECRET);
const now = () => Math.floor(Date.now() / 1000);

function hs256(claims: Record<string, unknown>, key: Uint8Array = secretKey, header: Record<string, unknown> = {}) {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', ...header }).sign(key);
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

async function expectRejected(authenticator: JwtAuthenticator, header: string | undefined, code: string) {
  const error = await authenticator.authenticate(header).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnauthorizedError);
  expect((error as UnauthorizedError).code).toBe(code);
}

describe('JwtAuthenticator with an HS256 shared secret', () => {
  const authenticator = new JwtAuthenticator({ hs256Secret: async () => SECRET });

  it('accepts a valid token and reads sub, email and role', async () => {
    const token = await hs256({ sub: 'u1', email: 'u1@example.com', role: 'admin', exp: now() + 60 });
    await expect(authenticator.authenticate(`Bearer ${token}`)).resolves.toEqual({ userId: 'u1', email: 'u1@example.com', role: 'admin' });
  });

  it('defaults the role to user and maps the Cognito admin group to admin', async () => {
    const plain = await hs256({ sub: 'u2', exp: now() + 60 });
    await expect(authenticator.authenticate(`Bearer ${plain}`)).resolves.toEqual({ userId: 'u2', email: undefined, role: 'user' });
    const cognito = await hs256({ sub: 'u3', exp: now() + 60, 'cognito:groups': ['staff', 'admin'] });
    await expect(authenticator.authenticate(`Bearer ${cognito}`)).resolves.toMatchObject({ role: 'admin' });
  });

  it('accepts the scheme name in any case, as HTTP defines it', async () => {
    const token = await hs256({ sub: 'u4', exp: now() + 60 });
    await expect(authenticator.authenticate(`bearer ${token}`)).resolves.toMatchObject({ userId: 'u4' });
    await expect(authenticator.authenticate(`BEARER  ${token}`)).resolves.toMatchObject({ userId: 'u4' });
  });

  it('rejects a missing or non-bearer Authorization header', async () => {
    await expectRejected(authenticator, undefined, 'token_missing');
    await expectRejected(authenticator, 'Basic dXNlcjpwYXNz', 'token_missing');
    await expectRejected(authenticator, 'Bearer', 'token_missing');
    await expectRejected(authenticator, 'Bearer not-a-jwt', 'token_invalid');
  });

  it('never echoes an algorithm it does not know, however long', async () => {
    const long = 'X'.repeat(10_000);
    const token = `${base64url({ alg: long, typ: 'JWT' })}.${base64url({ sub: 'u1', exp: now() + 60 })}.c2ln`;
    const error = await authenticator.authenticate(`Bearer ${token}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect((error as Error).message).toBe('Tokens signed with this algorithm are not accepted.');
    const none = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'u1', exp: now() + 60 })}.`;
    expect(((await authenticator.authenticate(`Bearer ${none}`).catch((e: unknown) => e)) as Error).message).toBe('Tokens signed with none are not accepted.');
  });

  it('bounds and checks the claims it stores: sub, email and role', async () => {
    for (const sub of ['user\r\nX-Injected: 1', 'nul\u0000byte', 'bell\u0007', 'c1\u0085', 'lone\ud800surrogate', 'x'.repeat(201), '']) {
      await expectRejected(authenticator, `Bearer ${await hs256({ sub, exp: now() + 60 })}`, 'token_invalid');
    }
    for (const email of ['not-an-email', 'a@b\r\n', `${'x'.repeat(250)}@example.com`, 42]) {
      await expectRejected(authenticator, `Bearer ${await hs256({ sub: 'u1', email, exp: now() + 60 })}`, 'token_invalid');
    }
    for (const role of ['admin user', 'x'.repeat(51), '', 7]) {
      await expectRejected(authenticator, `Bearer ${await hs256({ sub: 'u1', role, exp: now() + 60 })}`, 'token_invalid');
    }
    // Any script is welcome in an identifier; only control characters and broken text are not.
    const principal = await authenticator.authenticate(`Bearer ${await hs256({ sub: '用户-😀-ü', email: 'ü@例え.jp', role: 'admin', exp: now() + 60 })}`);
    expect(principal).toEqual({ userId: '用户-😀-ü', email: 'ü@例え.jp', role: 'admin' });
  });

  it('rejects alg none', async () => {
    const token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'u1', exp: now() + 60 })}.`;
    await expectRejected(authenticator, `Bearer ${token}`, 'token_invalid');
  });

  it('rejects an expired token', async () => {
    await expectRejected(authenticator, `Bearer ${await hs256({ sub: 'u1', exp: now() - 30 })}`, 'token_expired');
  });

  it('rejects a token without exp', async () => {
    await expectRejected(authenticator, `Bearer ${await hs256({ sub: 'u1' })}`, 'token_invalid');
  });

  it('rejects a token without sub', async () => {
    await expectRejected(authenticator, `Bearer ${await hs256({ exp: now() + 60 })}`, 'token_invalid');
  });

  it('rejects a token that is not yet valid', async () => {
    await expectRejected(authenticator, `Bearer ${await hs256({ sub: 'u1', exp: now() + 600, nbf: now() + 300 })}`, 'token_invalid');
  });

  it('rejects a token signed with another key', async () => {
    const other = new TextEncoder().encode('another-secret-0123456789abcdefghij');
    await expectRejected(authenticator, `Bearer ${await hs256({ sub: 'u1', exp: now() + 60 }, other)}`, 'token_invalid');
  });

  it('rejects a tampered payload', async () => {
    const token = await hs256({ sub: 'u1', exp: now() + 60 });
    const [header, , signature] = token.split('.');
    const forged = `${header}.${base64url({ sub: 'admin', exp: now() + 60 })}.${signature}`;
    await expectRejected(authenticator, `Bearer ${forged}`, 'token_invalid');
  });

  it('tolerates at most five seconds of clock skew, whatever is configured', async () => {
    const lenient = new JwtAuthenticator({ hs256Secret: async () => SECRET, clockToleranceSeconds: 120 });
    await expect(lenient.authenticate(`Bearer ${await hs256({ sub: 'u1', exp: now() - 2 })}`)).resolves.toMatchObject({ userId: 'u1' });
    await expectRejected(lenient, `Bearer ${await hs256({ sub: 'u1', exp: now() - 60 })}`, 'token_expired');
  });

  it('checks issuer and audience when configured', async () => {
    const strict = new JwtAuthenticator({ hs256Secret: async () => SECRET, issuer: 'https://issuer.test', audience: 'payments' });
    const good = await hs256({ sub: 'u1', exp: now() + 60, iss: 'https://issuer.test', aud: 'payments' });
    await expect(strict.authenticate(`Bearer ${good}`)).resolves.toMatchObject({ userId: 'u1' });
    await expectRejected(strict, `Bearer ${await hs256({ sub: 'u1', exp: now() + 60, iss: 'https://evil.test', aud: 'payments' })}`, 'token_invalid');
    await expectRejected(strict, `Bearer ${await hs256({ sub: 'u1', exp: now() + 60, iss: 'https://issuer.test', aud: 'other' })}`, 'token_invalid');
    await expectRejected(strict, `Bearer ${await hs256({ sub: 'u1', exp: now() + 60 })}`, 'token_invalid');
  });

  it('rejects HS384 and other algorithms it was not configured for', async () => {
    const token = await new SignJWT({ sub: 'u1', exp: now() + 60 }).setProtectedHeader({ alg: 'HS384' }).sign(secretKey);
    await expectRejected(authenticator, `Bearer ${token}`, 'token_invalid');
  });

  it('never accepts arbitrary input', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (input) => {
        await expect(authenticator.authenticate(input)).rejects.toBeInstanceOf(UnauthorizedError);
        await expect(authenticator.authenticate(`Bearer ${input}`)).rejects.toBeInstanceOf(UnauthorizedError);
      }),
      { numRuns: 200 },
    );
  });
});

describe('JwtAuthenticator with a JWKS (RS256 / ES256)', () => {
  let server: Server;
  let jwksUrl: string;
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let es: Awaited<ReturnType<typeof generateKeyPair>>;
  const keys: JWK[] = [];

  beforeAll(async () => {
    es = await generateKeyPair('ES256');
    keys.push({ ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' });
    keys.push({ ...(await exportJWK(es.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' });
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    jwksUrl = `http://127.0.0.1:${address.port}/.well-known/jwks.json`;
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  it('accepts RS256 and ES256 tokens signed by keys in the set', async () => {
    const authenticator = new JwtAuthenticator({ jwksUrl, issuer: 'https://idp.test' });
    const rs = await new SignJWT({ sub: 'r1', exp: now() + 60, iss: 'https://idp.test' })
      .setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' })
      .sign(rsa.privateKey);
    const ec = await new SignJWT({ sub: 'e1', exp: now() + 60, iss: 'https://idp.test' })
      .setProtectedHeader({ alg: 'ES256', kid: 'ec-1' })
      .sign(es.privateKey);
    await expect(authenticator.authenticate(`Bearer ${rs}`)).resolves.toMatchObject({ userId: 'r1' });
    await expect(authenticator.authenticate(`Bearer ${ec}`)).resolves.toMatchObject({ userId: 'e1' });
  });

  it('rejects an HS256 token signed with the RSA public key (algorithm confusion)', async () => {
    const publicPem = await exportSPKI(rsa.publicKey);
    const forged = await hs256({ sub: 'attacker', exp: now() + 60 }, new TextEncoder().encode(publicPem), { kid: 'rsa-1' });
    await expectRejected(new JwtAuthenticator({ jwksUrl }), `Bearer ${forged}`, 'token_invalid');
    await expectRejected(new JwtAuthenticator({ jwksUrl, hs256Secret: async () => SECRET }), `Bearer ${forged}`, 'token_invalid');
  });

  it('rejects an RS256 token from a key outside the set', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const token = await new SignJWT({ sub: 'r1', exp: now() + 60 }).setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' }).sign(stranger.privateKey);
    await expectRejected(new JwtAuthenticator({ jwksUrl }), `Bearer ${token}`, 'token_invalid');
  });

  it('checks issuer, audience, expiry and the required claims of a token signed by the issuer too', async () => {
    const strict = new JwtAuthenticator({ jwksUrl, issuer: 'https://idp.test', audience: 'payments' });
    const rs256 = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' }).sign(rsa.privateKey);
    const good = { sub: 'r1', exp: now() + 60, iss: 'https://idp.test', aud: 'payments' };
    await expect(strict.authenticate(`Bearer ${await rs256(good)}`)).resolves.toMatchObject({ userId: 'r1' });
    await expectRejected(strict, `Bearer ${await rs256({ ...good, iss: 'https://other.test' })}`, 'token_invalid');
    await expectRejected(strict, `Bearer ${await rs256({ ...good, aud: 'other' })}`, 'token_invalid');
    await expectRejected(strict, `Bearer ${await rs256({ ...good, exp: now() - 60 })}`, 'token_expired');
    await expectRejected(strict, `Bearer ${await rs256({ sub: 'r1', iss: 'https://idp.test', aud: 'payments' })}`, 'token_invalid');
  });

  it('rejects an RS256 token when only a shared secret is configured', async () => {
    const token = await new SignJWT({ sub: 'r1', exp: now() + 60 }).setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' }).sign(rsa.privateKey);
    await expectRejected(new JwtAuthenticator({ hs256Secret: async () => SECRET }), `Bearer ${token}`, 'token_invalid');
  });
});

describe('JwtAuthenticator when the issuer or the secret store cannot answer', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let jwk: JWK;
  /** What the issuer's JWKS endpoint does, per test. */
  let answer: (res: ServerResponse) => void;
  let server: Server;
  let jwksUrl: string;
  const held = new Set<ServerResponse>();

  beforeAll(async () => {
    jwk = { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' };
    server = createServer((_req, res) => answer(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    jwksUrl = `http://127.0.0.1:${address.port}/.well-known/jwks.json`;
  });
  afterAll(async () => {
    for (const res of held) res.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const rs256 = (kid = 'rsa-1') => new SignJWT({ sub: 'r1', exp: now() + 60 }).setProtectedHeader({ alg: 'RS256', kid }).sign(rsa.privateKey);

  async function expectUnavailable(authenticator: JwtAuthenticator, token: string, message: RegExp): Promise<unknown> {
    const error = await authenticator.authenticate(`Bearer ${token}`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({ kind: 'unavailable', code: 'auth_unavailable', retryAfterSeconds: 5, message: expect.stringMatching(message) });
    return (error as Error).cause;
  }
  const ISSUER = /issuer could not be reached/;

  it.each<[string, (res: ServerResponse) => void]>([
    ['answers 503', (res) => res.writeHead(503).end('down for maintenance')],
    ['answers 500', (res) => res.writeHead(500).end()],
    ['answers something that is not JSON', (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>')],
    ['answers JSON that is not a key set', (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"error":"oops"}')],
    ['drops the connection', (res) => res.socket?.destroy()],
  ])('is a 503 when the JWKS endpoint %s, never 401 token_invalid', async (_name, behaviour) => {
    answer = behaviour;
    await expectUnavailable(new JwtAuthenticator({ jwksUrl }), await rs256(), ISSUER);
  });

  it('is a 503 when the JWKS endpoint does not answer in time', async () => {
    answer = (res) => held.add(res);
    await expectUnavailable(new JwtAuthenticator({ jwksUrl, jwksTimeoutMs: 200 }), await rs256(), ISSUER);
  });

  it('is a 503 when nothing listens at the JWKS URL', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const address = closed.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expectUnavailable(new JwtAuthenticator({ jwksUrl: `http://127.0.0.1:${address.port}/jwks.json` }), await rs256(), ISSUER);
  });

  it('still answers 401 when the issuer answers but the token names no key of its set', async () => {
    answer = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    const authenticator = new JwtAuthenticator({ jwksUrl });
    await expect(authenticator.authenticate(`Bearer ${await rs256()}`)).resolves.toMatchObject({ userId: 'r1' });
    await expectRejected(authenticator, `Bearer ${await rs256('rsa-unknown')}`, 'token_invalid');
  });

  it('is a 503 when the shared secret cannot be read, never 401', async () => {
    const unreadable = new JwtAuthenticator({
      hs256Secret: async () => {
        throw new SecretNotFoundError('proj-dev-jwt-access-token-secret', 'ThrottlingException');
      },
    });
    const cause = await expectUnavailable(unreadable, await hs256({ sub: 'u1', exp: now() + 60 }), /signing secret could not be read/);
    expect(cause).toBeInstanceOf(SecretNotFoundError);
  });

  it('is a 503 when the shared secret read is empty, which the signature check cannot use: our fault, never 401', async () => {
    const empty = new JwtAuthenticator({ hs256Secret: async () => '' });
    await expectUnavailable(empty, await hs256({ sub: 'u1', exp: now() + 60 }), ISSUER);
  });

  it('keeps 401 for a bad token even when the secret store is down: the token is judged first', async () => {
    const unreadable = new JwtAuthenticator({
      hs256Secret: async () => {
        throw new Error('secret store down');
      },
    });
    await expectRejected(unreadable, undefined, 'token_missing');
    await expectRejected(unreadable, 'Bearer not-a-jwt', 'token_invalid');
  });
});

describe('JwtAuthenticator: what a refused caller is told', () => {
  const authenticator = new JwtAuthenticator({ hs256Secret: async () => SECRET });
  const jwksOnly = new JwtAuthenticator({ jwksUrl: 'http://127.0.0.1:9/never-asked.json' });
  const valid = () => hs256({ sub: 'u1', exp: now() + 60 });

  async function refusal(header: string | undefined, by: JwtAuthenticator = authenticator) {
    const error = await by.authenticate(header).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnauthorizedError);
    const { code, message } = error as UnauthorizedError;
    return { code, message };
  }

  it('needs a shared secret or a JWKS to be built', () => {
    expect(() => new JwtAuthenticator({})).toThrow('JwtAuthenticator needs an HS256 secret or a JWKS URL');
  });

  it('says a bearer token is required when there is none, or more than one word after the scheme', async () => {
    const token = await valid();
    for (const header of [undefined, '', 'Basic dXNlcjpwYXNz', `Bearer ${token} extra`, `XBearer ${token}`, `Bearer:${token}`]) {
      await expect(refusal(header)).resolves.toEqual({ code: 'token_missing', message: 'An Authorization header with a bearer token is required.' });
    }
  });

  it('says a token that is not three base64url parts is no JSON Web Token', async () => {
    const token = await valid();
    for (const text of [`%${token}`, `${token}%`, 'a.b', 'a.b.c.d', '.b.c', 'a..c']) {
      await expect(refusal(`Bearer ${text}`)).resolves.toEqual({ code: 'token_invalid', message: 'The bearer token is not a JSON Web Token.' });
    }
  });

  it('says a token whose header is not JSON is not well formed', async () => {
    await expect(refusal('Bearer abc.def.ghi')).resolves.toEqual({ code: 'token_invalid', message: 'The token is not a well-formed JWT.' });
  });

  it('names an expired token as expired, and any other failed check only as not valid', async () => {
    await expect(refusal(`Bearer ${await hs256({ sub: 'u1', exp: now() - 30 })}`)).resolves.toEqual({ code: 'token_expired', message: 'The token has expired.' });
    const other = new TextEncoder().encode('another-secret-0123456789abcdefghij');
    for (const token of [await hs256({ sub: 'u1', exp: now() + 60 }, other), await hs256({ sub: 'u1' }), await hs256({ exp: now() + 60 })]) {
      await expect(refusal(`Bearer ${token}`)).resolves.toEqual({ code: 'token_invalid', message: 'The token is not valid.' });
    }
  });

  // Every algorithm JOSE registers is named back; HS256 too when no shared secret is configured.
  it.each(['none', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'EdDSA'])(
    'names %s, which it knows of but does not take with a shared secret',
    async (alg) => {
      const token = `${base64url({ alg, typ: 'JWT' })}.${base64url({ sub: 'u1', exp: now() + 60 })}.c2ln`;
      await expect(refusal(`Bearer ${token}`)).resolves.toEqual({ code: 'token_invalid', message: `Tokens signed with ${alg} are not accepted.` });
    },
  );

  it('names HS256 when only a JWKS is configured, without asking the issuer', async () => {
    await expect(refusal(`Bearer ${await valid()}`, jwksOnly)).resolves.toEqual({ code: 'token_invalid', message: 'Tokens signed with HS256 are not accepted.' });
  });

  it('says which claim is unfit, and takes each at its limit', async () => {
    const claims = async (extra: Record<string, unknown>) => `Bearer ${await hs256({ sub: 'u1', exp: now() + 60, ...extra })}`;
    await expect(authenticator.authenticate(await claims({ sub: 's'.repeat(200) }))).resolves.toMatchObject({ userId: 's'.repeat(200) });
    await expect(refusal(await claims({ sub: 's'.repeat(201) }))).resolves.toEqual({
      code: 'token_invalid', message: 'The token subject must be a non-empty string of at most 200 characters, without control characters.',
    });
    const longest = `${'e'.repeat(242)}@example.com`;
    expect(longest).toHaveLength(254);
    await expect(authenticator.authenticate(await claims({ email: longest }))).resolves.toMatchObject({ email: longest });
    await expect(authenticator.authenticate(await claims({ email: null }))).resolves.toMatchObject({ email: undefined });
    for (const email of [`e${longest}`, 'a b@example.com', 'a@example.com x', '@example.com', 'a@', 'a@b@c']) {
      await expect(refusal(await claims({ email }))).resolves.toEqual({ code: 'token_invalid', message: 'The token email claim is not an email address.' });
    }
    await expect(authenticator.authenticate(await claims({ role: 'r'.repeat(50) }))).resolves.toMatchObject({ role: 'r'.repeat(50) });
    for (const role of ['r'.repeat(51), ' admin', 'admin ', 'ad.min']) {
      await expect(refusal(await claims({ role }))).resolves.toEqual({ code: 'token_invalid', message: 'The token role claim must be 1 to 50 letters, digits, _ or -.' });
    }
  });

  it('maps the Cognito admin group only from a list that holds it', async () => {
    const role = async (groups: unknown) => (await authenticator.authenticate(`Bearer ${await hs256({ sub: 'u1', exp: now() + 60, 'cognito:groups': groups })}`)).role;
    await expect(role(['staff'])).resolves.toBe('user');
    await expect(role('admin')).resolves.toBe('user');
    await expect(role(['admin'])).resolves.toBe('admin');
  });
});

describe('JwtAuthenticator: unsafe text in claims, at the edges of each range', () => {
  const authenticator = new JwtAuthenticator({ hs256Secret: async () => SECRET });
  const withSub = async (sub: string) => `Bearer ${await hs256({ sub, exp: now() + 60 })}`;

  it.each([
    ['the last C0 control', 'a\u001fb'],
    ['DEL', 'a\u007fb'],
    ['the first C1 control', 'a\u0080b'],
    ['the last C1 control', 'a\u009fb'],
    ['a high surrogate at the end', 'ab\ud83d'],
    ['a low surrogate at the start', '\ude00ab'],
    ['a low surrogate after a letter', 'a\ude00b'],
    ['two high surrogates', 'a\ud83d\ud83d'],
  ])('refuses a subject with %s', async (_name, sub) => {
    await expectRejected(authenticator, await withSub(sub), 'token_invalid');
    await expectRejected(authenticator, `Bearer ${await hs256({ sub: 'u1', email: `${sub}@example.com`, exp: now() + 60 })}`, 'token_invalid');
  });

  it.each([
    ['a space', 'a b'],
    ['a tilde', 'a~b'],
    ['a no-break space', 'a\u00a0b'],
    ['a surrogate pair', 'a\ud83d\ude00b'],
    ['two surrogate pairs', '\ud83d\ude00\ud83d\ude00'],
  ])('takes a subject with %s', async (_name, sub) => {
    await expect(authenticator.authenticate(await withSub(sub))).resolves.toMatchObject({ userId: sub });
  });
});

describe('JwtAuthenticator with two keys of one kid in the set', () => {
  const first = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const second = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let server: Server;
  let jwksUrl: string;

  beforeAll(async () => {
    const keys = [
      { ...(await exportJWK(first.publicKey)), kid: 'rotating', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(second.publicKey)), kid: 'rotating', alg: 'RS256', use: 'sig' },
    ];
    server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    jwksUrl = `http://127.0.0.1:${address.port}/.well-known/jwks.json`;
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  const refusedCode = (authenticator: JwtAuthenticator, token: string) =>
    authenticator.authenticate(`Bearer ${token}`).then(
      () => 'accepted',
      (e: unknown) => (e instanceof UnauthorizedError || e instanceof ServiceUnavailableError ? e.code : 'other'),
    );

  it('answers 401, not 503: the key set answered, and it names no one key for the token', async () => {
    const authenticator = new JwtAuthenticator({ jwksUrl });
    const token = await new SignJWT({ sub: 'r1', exp: now() + 60 }).setProtectedHeader({ alg: 'RS256', kid: 'rotating' }).sign(second.privateKey);
    await expect(refusedCode(authenticator, token)).resolves.toBe('token_invalid');
  });
});
