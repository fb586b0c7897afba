/**
 * The gateway's own bearer token, for the calls it makes in its own name (checking credentials, registering users).
 * Signed once and reused; re-signed well before it expires.
 */
import { signServiceToken, type ServiceApp } from '@shop/service-kit';

const REFRESH_AFTER_MS = 5 * 60_000; // the token lives 15 minutes

export function gatewayServiceToken(app: ServiceApp, now: () => number = Date.now): () => string {
  let token: string | undefined;
  let signedAt = 0;
  return () => {
    if (token === undefined || now() - signedAt >= REFRESH_AFTER_MS) {
      token = signServiceToken(app, 'gateway');
      signedAt = now();
    }
    return `Bearer ${token}`;
  };
}
