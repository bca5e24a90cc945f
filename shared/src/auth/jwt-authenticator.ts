import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import { ServiceUnavailableError, UnauthorizedError } from '../errors/domain-error';

/** Who is calling, from a verified token. */
export interface Principal {
  userId: string;
  email: string | undefined;
  role: string;
}

export interface JwtAuthenticatorOptions {
  /** Shared secret for HS256 tokens; a function so a rotated secret is picked up after the cache TTL. */
  hs256Secret?: () => Promise<string>;
  /** JWKS of an OIDC issuer (Cognito or any other) for RS256/ES256 tokens. */
  jwksUrl?: string;
  /** How long to wait for the JWKS before answering 503; default 3000 ms. */
  jwksTimeoutMs?: number;
  issuer?: string;
  audience?: string;
  /** Allowed clock skew; kept small so an expired token is not accepted for long. */
  clockToleranceSeconds?: number;
}

const ASYMMETRIC_ALGORITHMS = ['RS256', 'ES256'];
const MAX_CLOCK_TOLERANCE_SECONDS = 5;

/**
 * Verifies `Authorization: Bearer …` tokens. The algorithm is pinned per key type and the key is
 * chosen from our configuration, never from the token: an HS256 token is only ever checked against
 * the shared secret, and RS256/ES256 only against the JWKS, which rules out `alg: none` and the
 * HS/RS confusion attack.
 */
export class JwtAuthenticator {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  private readonly tolerance: number;

  constructor(private readonly options: JwtAuthenticatorOptions) {
    if (!options.hs256Secret && !options.jwksUrl) throw new Error('JwtAuthenticator needs an HS256 secret or a JWKS URL');
    // Stryker disable next-line ObjectLiteral,LogicalOperator: the bound only changes how long an issuer that does not answer takes to become a 503 (jose's own default is 5 s); tests assert the 503, never a duration.
    this.jwks = options.jwksUrl ? createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: options.jwksTimeoutMs ?? 3000 }) : undefined;
    this.tolerance = Math.min(options.clockToleranceSeconds ?? MAX_CLOCK_TOLERANCE_SECONDS, MAX_CLOCK_TOLERANCE_SECONDS);
  }

  /**
   * The caller's identity, or an UnauthorizedError (401) for any missing, malformed or unacceptable
   * token, or a ServiceUnavailableError (503) when the JWKS or the secret store cannot be read.
   */
  async authenticate(authorizationHeader: string | undefined): Promise<Principal> {
    // The scheme name is case-insensitive (RFC 9110 §11.1); anything but a bearer credential counts as none.
    // Stryker disable next-line StringLiteral: any text in place of '' for a missing header fails the bearer pattern just as '' does.
    const bearer = /^bearer\s+(\S+)$/i.exec(authorizationHeader?.trim() ?? '');
    if (!bearer?.[1]) {
      throw new UnauthorizedError('An Authorization header with a bearer token is required.', 'token_missing');
    }
    const token = bearer[1];
    if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token)) {
      throw new UnauthorizedError('The bearer token is not a JSON Web Token.', 'token_invalid');
    }
    const payload = await this.verify(token);
    return toPrincipal(payload);
  }

  private async verify(token: string): Promise<JWTPayload> {
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw invalid('The token is not a well-formed JWT.');
    }
    const common = {
      issuer: this.options.issuer,
      audience: this.options.audience,
      clockTolerance: this.tolerance,
      requiredClaims: ['exp', 'sub'],
    };
    try {
      if (alg === 'HS256' && this.options.hs256Secret) {
        const secret = new TextEncoder().encode(await this.sharedSecret(this.options.hs256Secret));
        return (await jwtVerify(token, secret, { ...common, algorithms: ['HS256'] })).payload;
      }
      const jwks = this.jwks;
      if (alg !== undefined && ASYMMETRIC_ALGORITHMS.includes(alg) && jwks) {
        return (await jwtVerify(token, (header, t) => issuerKey(jwks, header, t), { ...common, algorithms: ASYMMETRIC_ALGORITHMS })).payload;
      }
    } catch (error) {
      if (error instanceof ServiceUnavailableError) throw error;
      if (error instanceof errors.JWTExpired) throw new UnauthorizedError('The token has expired.', 'token_expired');
      if (!(error instanceof errors.JOSEError)) throw issuerUnavailable(error);
      throw invalid('The token is not valid.');
    }
    // The header is the caller's text: name the algorithm only when it is one we know of, never echo it unbounded.
    throw invalid(`Tokens signed with ${alg !== undefined && KNOWN_ALGORITHMS.includes(alg) ? alg : 'this algorithm'} are not accepted.`);
  }

  /** The HS256 secret; a store that cannot answer is our outage, not a bad token. */
  private async sharedSecret(read: () => Promise<string>): Promise<string> {
    try {
      return await read();
    } catch (error) {
      throw new ServiceUnavailableError('The token signing secret could not be read.', 'auth_unavailable', { retryAfterSeconds: 5, cause: error });
    }
  }
}

type KeyResolver = ReturnType<typeof createRemoteJWKSet>;

/**
 * The issuer's key for a token. A key set that names no key (or several) for the token is the
 * token's problem; anything else (no answer, a timeout, a non-200 answer, a body that is not a key
 * set) means the issuer could not be asked: not the caller's fault, so not a 401 that would log
 * them out.
 */
async function issuerKey(jwks: KeyResolver, header: Parameters<KeyResolver>[0], token: Parameters<KeyResolver>[1]) {
  try {
    return await jwks(header, token);
  } catch (error) {
    if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys || error instanceof errors.JOSENotSupported) throw error;
    throw issuerUnavailable(error);
  }
}

function issuerUnavailable(cause: unknown): ServiceUnavailableError {
  return new ServiceUnavailableError('The token issuer could not be reached to verify the token.', 'auth_unavailable', { retryAfterSeconds: 5, cause });
}

function invalid(message: string): UnauthorizedError {
  return new UnauthorizedError(message, 'token_invalid');
}

const KNOWN_ALGORITHMS = ['none', 'HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'EdDSA'];

/** Control characters (C0, DEL, C1) and unpaired surrogates: nothing a stored identifier or header may carry. */
const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The claims this service stores and acts on, bounded and checked before anything uses them: a
 * verified signature says who issued the token, not that its text is fit to store.
 */
function toPrincipal(payload: JWTPayload): Principal {
  const { sub } = payload;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 200 || UNSAFE_TEXT.test(sub)) {
    throw invalid('The token subject must be a non-empty string of at most 200 characters, without control characters.');
  }
  let email: string | undefined;
  if (payload.email !== undefined && payload.email !== null) {
    if (typeof payload.email !== 'string' || payload.email.length > 254 || UNSAFE_TEXT.test(payload.email) || !/^[^\s@]+@[^\s@]+$/.test(payload.email)) {
      throw invalid('The token email claim is not an email address.');
    }
    email = payload.email;
  }
  const groups = payload['cognito:groups'];
  let role: string;
  if (payload.role !== undefined) {
    if (typeof payload.role !== 'string' || !/^[A-Za-z0-9_-]{1,50}$/.test(payload.role)) throw invalid('The token role claim must be 1 to 50 letters, digits, _ or -.');
    role = payload.role;
  } else {
    role = Array.isArray(groups) && groups.includes('admin') ? 'admin' : 'user';
  }
  return { userId: sub, email, role };
}
