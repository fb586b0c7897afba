/**
 * The bearer token every hop agrees on: the gateway signs customer tokens, services sign service tokens for each
 * other, and every service verifies both. Like an event schema, its claims are a contract between producer (signer)
 * and consumer (verifier), so they are defined once here.
 *
 * A verifier refuses a token that lacks any of `requiredClaims`: a token without `exp` would be valid forever, and
 * without `iss`/`aud` a token minted for another system that happens to share the key would be accepted here.
 */
export const ACCESS_TOKEN = {
  algorithm: 'HS256',
  /** Who signs: this system (the gateway for customers, each service for itself). */
  issuer: 'resilient-shop',
  /** Who may accept it: the system's services. */
  audience: 'resilient-shop-services',
  requiredClaims: ['exp', 'iss', 'aud', 'sub'],
} as const;

export type AccessTokenRole = 'customer' | 'service';

/** The claims a service reads from a verified token (plus the registered claims above). */
export interface AccessTokenClaims {
  /** The customer id, or the calling service's name. */
  sub: string;
  role: AccessTokenRole;
}
