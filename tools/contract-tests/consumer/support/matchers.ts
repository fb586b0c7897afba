/** Request, response and message parts the contracts share. */
import { MatchersV3 } from '@pact-foundation/pact';
import { BEARER_TOKEN_PATTERN, bearerToken } from '../../src';
import type { TestTokenClaims } from '@shop/testing';

const { regex } = MatchersV3;

/** Some bearer token for `claims` (the provider verification re-signs it, see tokens.ts). */
export const authorizationFor = (claims: TestTokenClaims) => regex(BEARER_TOKEN_PATTERN, bearerToken(claims));

export const serviceAuthorization = (service: string) => authorizationFor({ sub: service, role: 'service' });

/** Any non-empty Idempotency-Key: its value is the caller's business. */
export const anyIdempotencyKey = (example: string) => regex('^.+$', example);

// Pact's regex matchers must match the whole value (a charset may follow). The header name is spelled as Pact's
// jsonBody spells it, so the interaction holds one content-type rule, not two.
export const JSON_CONTENT = { 'Content-Type': regex('application/json(;.*)?', 'application/json') };
export const PROBLEM_CONTENT = {
  'Content-Type': regex('application/problem\\+json(;.*)?', 'application/problem+json'),
};

/** An RFC 9457 problem whose `type` ends in `slug`: the stable part callers branch on. */
export const problemOfType = (slug: string) => ({
  type: regex(`.*/${slug}`, `https://resilient-shop.dev/problems/${slug}`),
});

/** Money as every API shows it: integer minor units and an ISO 4217 code. */
export const moneyLike = (amountMinor: number, currency = 'EUR') => ({
  amountMinor: MatchersV3.integer(amountMinor),
  currency: regex('^[A-Z]{3}$', currency),
});
