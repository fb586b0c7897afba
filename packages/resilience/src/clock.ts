// Time as a dependency: every policy reads the clock and schedules timers through this, so tests can use FakeClock.
import { performance } from 'node:perf_hooks';

/** An opaque handle returned by `Clock.setTimeout`. */
export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds since an arbitrary epoch; only differences matter. */
  now(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The real clock. `performance.now()` is monotonic, so wall-clock jumps never open or close a circuit. (Imported
 * rather than read from the global: on Node 20 the global `performance` is a lazy getter, run on every access.)
 */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * A clock reading wall-clock epoch milliseconds, for code that compares its time with timestamps stored in a
 * database (retention cut-offs, leases, schedules), where the monotonic `systemClock` would be meaningless.
 */
export const wallClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

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
