/**
 * The bearer token the saga presents to inventory, payment and shipping. Signing is cheap but not free, and a token
 * lives 15 minutes: sign once, reuse it, and sign a fresh one well before the old one expires.
 */
export interface CachedToken {
  /** `Bearer <token>`, fresh enough for a call that starts now. */
  (): string;
}

export function cachedServiceToken(
  sign: () => string,
  refreshAfterMs = 5 * 60_000,
  now: () => number = Date.now,
): CachedToken {
  let token: string | undefined;
  let signedAt = 0;
  return () => {
    if (token === undefined || now() - signedAt >= refreshAfterMs) {
      token = sign();
      signedAt = now();
    }
    return `Bearer ${token}`;
  };
}
