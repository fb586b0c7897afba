// Waiting on a Clock, cancellable: the one way this repository waits (a FakeClock makes it instant in tests).
import type { Clock } from './clock';

/**
 * Waits `delayMs` on `clock`, rejecting with the signal's reason as soon as `signal` aborts.
 * The timer and the abort listener are both removed whichever happens first.
 */
export function sleep(clock: Clock, delayMs: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clock.clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, delayMs);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
