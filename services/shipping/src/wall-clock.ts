// The dispatcher's default clock. It must read wall-clock epoch milliseconds: `next_transition_at` is persisted and
// compared after restarts, so @shop/resilience's monotonic `systemClock` (performance.now) would not do.
import type { Clock } from '@shop/resilience';

export const wallClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
