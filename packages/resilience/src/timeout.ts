// Timeout: gives an operation a deadline. The operation gets a signal that aborts at the deadline (cooperative
// cancellation: fetch, streams and timers stop their work), and the caller is released at the deadline either way.
import { systemClock, type Clock } from './clock';
import { TimeoutError } from './errors';
import type { CallContext, Operation, Policy } from './policy';

export interface TimeoutOptions {
  readonly clock?: Clock;
}

export class TimeoutPolicy implements Policy {
  private readonly clock: Clock;

  constructor(
    readonly timeoutMs: number,
    options: TimeoutOptions = {},
  ) {
    if (!(timeoutMs > 0)) throw new RangeError('timeoutMs must be positive');
    this.clock = options.clock ?? systemClock;
  }

  execute<T>(fn: Operation<T>, signal?: AbortSignal, _context?: CallContext): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const clock = this.clock;
    const timeoutMs = this.timeoutMs;
    const controller = new AbortController();
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      // Every exit goes through here: the timer and the caller-signal listener never outlive the call.
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        clock.clearTimeout(timer);
        signal?.removeEventListener('abort', onCallerAbort);
        return true;
      };
      const onCallerAbort = (): void => {
        if (!settle()) return;
        controller.abort(signal?.reason);
        reject(signal?.reason);
      };
      const timer = clock.setTimeout(() => {
        if (!settle()) return;
        const error = new TimeoutError(timeoutMs);
        controller.abort(error);
        reject(error);
      }, timeoutMs);
      signal?.addEventListener('abort', onCallerAbort, { once: true });
      let running: Promise<T>;
      try {
        running = fn(controller.signal);
      } catch (error) {
        if (settle()) reject(error);
        return;
      }
      running.then(
        (result) => {
          if (settle()) resolve(result);
        },
        (error: unknown) => {
          if (settle()) reject(error);
        },
      );
    });
  }
}

export function timeout(timeoutMs: number, options?: TimeoutOptions): TimeoutPolicy {
  return new TimeoutPolicy(timeoutMs, options);
}
