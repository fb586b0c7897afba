// Which failures the breaker counts and which ones retry repeats — kept apart because they differ on purpose.
import { BrokenCircuitError, TimeoutError } from '@shop/resilience';
import { ServiceError, ServiceNetworkError } from './errors';

/**
 * Counts against the downstream's health: no answer, a late answer, or a 5xx. A 4xx (including 429, which is about
 * our request rate) says the service is up and judged the request, so it never opens the circuit.
 */
export function countsAgainstBreaker(error: unknown): boolean {
  if (error instanceof ServiceNetworkError || error instanceof TimeoutError) return true;
  return error instanceof ServiceError && error.status >= 500;
}

/**
 * Worth repeating: no answer, a timed-out attempt, a gateway/unavailable status, or a 429 that says when to come back.
 * A 500 is not retried (the same request will most likely fail the same way), nor is any other 4xx.
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof ServiceNetworkError || error instanceof TimeoutError) return true;
  if (!(error instanceof ServiceError)) return false;
  if (error.status === 429) return error.retryAfterMs !== undefined;
  return error.status === 502 || error.status === 503 || error.status === 504;
}

/**
 * True when trying again later may succeed — an open circuit included — as opposed to a business answer (4xx)
 * the caller must act on. For deciding what to tell one's own caller (e.g. 503 versus 409).
 */
export function isTransientFailure(error: unknown): boolean {
  if (error instanceof BrokenCircuitError) return true;
  return isRetryable(error) || (error instanceof ServiceError && error.isTransient);
}
