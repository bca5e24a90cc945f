// Mints HS256 access tokens the way the service's issuer does, for the local stack and tests.
import { SignJWT } from 'jose';

export interface TokenClaims {
  sub: string;
  email?: string | undefined;
  role?: string | undefined;
}

export async function mintToken(secret: string, claims: TokenClaims, ttlSeconds = 3600): Promise<string> {
  const payload: Record<string, string> = {};
  if (claims.email !== undefined) payload.email = claims.email;
  if (claims.role !== undefined) payload.role = claims.role;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(new TextEncoder().encode(secret));
}
