/**
 * Bearer tokens for tests that talk to a running service over HTTP: HS256 JWTs with the claims the services
 * verify (issuer, subject, role), signed with the secret the service under test was started with.
 */
import { createHmac } from 'node:crypto';

export interface TestTokenClaims {
  sub: string;
  role: 'customer' | 'service';
  /** Seconds from now until expiry (negative for an already expired token). Default 300. */
  expiresInSeconds?: number;
}

export function signTestToken(secret: string, { sub, role, expiresInSeconds = 300 }: TestTokenClaims): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub, role, iss: 'resilient-shop', iat: now, exp: now + expiresInSeconds })}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

export function bearer(secret: string, claims: TestTokenClaims): { authorization: string } {
  return { authorization: `Bearer ${signTestToken(secret, claims)}` };
}
