// Time as a dependency: everything that reads the time or waits takes a Clock, so tests can hand it a FakeClock.
import { performance } from 'node:perf_hooks';

/** An opaque handle returned by `Clock.setTimeout`. */
export type TimerHandle = unknown;

export interface Clock {
  /** Wall-clock epoch milliseconds: for timestamps that are stored, compared with stored ones, or shown. */
  now(): number;
  /**
   * Milliseconds since an arbitrary origin that never jumps: for durations and deadlines (a circuit's open period,
   * a timeout), which a wall-clock correction must not stretch or cut short.
   */
  monotonic(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The real clock. (`performance` is imported rather than read from the global: on some Node versions the global is
 * a lazy getter, run on every access.)
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Lets a timer from `systemClock` not keep the process alive (an emulator's visibility timers, say); a no-op for
 * any other clock's handles.
 */
export function unrefTimer(handle: TimerHandle): void {
  if (typeof handle === 'object' && handle !== null && 'unref' in handle && typeof handle.unref === 'function') {
    handle.unref();
  }
}
