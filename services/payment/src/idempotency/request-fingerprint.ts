/**
 * What "the same request" means for an Idempotency-Key: the same method, path and body, where the body is compared
 * by meaning (canonical JSON from @shop/contracts), so `{"a":1,"b":2}` and `{ "b": 2, "a": 1 }` match.
 */
import { fingerprintOf } from '@shop/contracts';

export function requestFingerprint(method: string, path: string, body: unknown): string {
  return fingerprintOf({ method: method.toUpperCase(), path, body });
}
