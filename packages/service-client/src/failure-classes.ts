// Which failures the breaker counts and which ones retry repeats — kept apart because they differ on purpose.
import { BrokenCircuitError, TimeoutError, isConnectionFailure } from '@shop/resilience';
import { ServiceError, ServiceNetworkError } from './errors';

/**
 * 502, 503, 504: the upstream, or a proxy in front of it, says it cannot serve anyone right now. The only answers a
 * breaker counts — see "What counts as a failure" in @shop/resilience's README for why a 500 is not one of them.
 */
const UNAVAILABLE_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

export function isUnavailableStatus(status: number): boolean {
  return UNAVAILABLE_STATUSES.has(status);
}

/**
 * The breaker's failure predicate, for this client and for the gateway's proxy alike: signs that the upstream is
 * unavailable to everyone — no connection (refused, reset, DNS), no answer in time, or 502/503/504. Never an answer
 * one caller can provoke with what it sends: any 4xx (429 included: that is about our request rate), and a 500,
 * which a single malformed request can trigger while the service is perfectly healthy for everyone else. A breaker
 * that counted those would let one client switch a dependency off for all of them.
 */
export function countsAgainstBreaker(error: unknown): boolean {
  if (error instanceof TimeoutError) return true;
  if (error instanceof ServiceError) return isUnavailableStatus(error.status);
  return isConnectionFailure(error);
}

/**
 * Worth repeating: no answer, a timed-out attempt, a gateway/unavailable status, or a 429 that says when to come back.
 * A 500 is not retried (the same request will most likely fail the same way), nor is any other 4xx.
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof ServiceNetworkError || error instanceof TimeoutError) return true;
  if (!(error instanceof ServiceError)) return false;
  if (error.status === 429) return error.retryAfterMs !== undefined;
  return isUnavailableStatus(error.status);
}

/**
 * True when trying again later may succeed — an open circuit included — as opposed to a business answer (4xx)
 * the caller must act on. For deciding what to tell one's own caller (e.g. 503 versus 409).
 */
export function isTransientFailure(error: unknown): boolean {
  if (error instanceof BrokenCircuitError) return true;
  return isRetryable(error) || (error instanceof ServiceError && error.isTransient);
}
