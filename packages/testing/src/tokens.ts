/**
 * Bearer tokens for tests (and tools), the one way they sign them, whether they call `app.inject` or a running
 * service: HS256 JWTs with every claim the services verify (issuer, audience, expiry, subject, role —
 * `ACCESS_TOKEN` in @shop/contracts), signed with the secret the service under test was started with.
 */
import { createHmac } from 'node:crypto';
import { ACCESS_TOKEN, type AccessTokenRole } from '@shop/contracts';

export interface TestTokenClaims {
  sub: string;
  role: AccessTokenRole;
  /** Seconds from now until expiry (negative for an already expired token). Default 300. */
  expiresInSeconds?: number;
}

export function signTestToken(secret: string, { sub, role, expiresInSeconds = 300 }: TestTokenClaims): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = {
    sub,
    role,
    iss: ACCESS_TOKEN.issuer,
    aud: ACCESS_TOKEN.audience,
    iat: now,
    exp: now + expiresInSeconds,
  };
  const unsigned = `${encode({ alg: ACCESS_TOKEN.algorithm, typ: 'JWT' })}.${encode(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

export function bearer(secret: string, claims: TestTokenClaims): { authorization: string } {
  return { authorization: `Bearer ${signTestToken(secret, claims)}` };
}
