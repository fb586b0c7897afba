/**
 * Bearer tokens in contracts. A pact records the `Authorization` header as a regex match (any bearer token); the
 * example value it stores is long expired by the time a provider is verified. The request filter below re-signs it:
 * same subject and role, fresh expiry, signed with the secret the provider under test was built with — so the real
 * authentication of the provider runs during verification, nothing is switched off.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { signTestToken, type TestTokenClaims } from '@shop/testing';

/** The JWT secret of every app built by the verifications (service-kit requires at least 32 characters). */
export const CONTRACT_JWT_SECRET = 'contract-tests-secret-0123456789abcdef';

/** What consumers declare: some bearer token. */
export const BEARER_TOKEN_PATTERN = '^Bearer [A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$';

export function bearerToken(claims: TestTokenClaims, secret = CONTRACT_JWT_SECRET): string {
  return `Bearer ${signTestToken(secret, claims)}`;
}

function claimsOf(authorization: string): TestTokenClaims | undefined {
  const payload = authorization.replace(/^Bearer /, '').split('.')[1];
  if (!payload) return undefined;
  try {
    const { sub, role } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<TestTokenClaims>;
    return typeof sub === 'string' && (role === 'customer' || role === 'service') ? { sub, role } : undefined;
  } catch {
    return undefined;
  }
}

/** A Pact Verifier `requestFilter` (express-style middleware) that re-signs the recorded bearer token. */
export function refreshBearerTokens(secret = CONTRACT_JWT_SECRET) {
  return (request: IncomingMessage, _response: ServerResponse, next: () => void): void => {
    const recorded = request.headers.authorization;
    const claims = typeof recorded === 'string' ? claimsOf(recorded) : undefined;
    if (claims) request.headers.authorization = bearerToken(claims, secret);
    next();
  };
}
