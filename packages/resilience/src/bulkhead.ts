// Bulkhead: caps how many calls run at once (and how many may wait), so one slow dependency cannot take every socket,
// connection or worker the process has.
import { BulkheadRejectedError } from './errors';
import { neverAbortedSignal, type CallContext, type Operation, type Policy } from './policy';

export interface BulkheadOptions {
  readonly maxConcurrent: number;
  /** Calls allowed to wait for a slot; beyond this they are rejected at once. Default 0. */
  readonly maxQueue?: number;
}

interface Waiter {
  /** Hands this waiter the slot released by a finished call. */
  start(): void;
}

export class Bulkhead implements Policy {
  readonly maxConcurrent: number;
  readonly maxQueue: number;
  private running = 0;
  /** A Set keeps insertion order (FIFO) and removes an aborted waiter in O(1). */
  private readonly waiting = new Set<Waiter>();

  constructor(options: BulkheadOptions) {
    if (!(options.maxConcurrent >= 1)) throw new RangeError('maxConcurrent must be at least 1');
    this.maxConcurrent = options.maxConcurrent;
    this.maxQueue = Math.max(0, options.maxQueue ?? 0);
  }

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.size;
  }

  execute<T>(fn: Operation<T>, signal?: AbortSignal, _context?: CallContext): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.running < this.maxConcurrent) {
      this.running++;
      return this.run(fn, signal);
    }
    if (this.waiting.size >= this.maxQueue) {
      return Promise.reject(BulkheadRejectedError.create(this.maxConcurrent, this.maxQueue));
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        this.waiting.delete(waiter);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          this.run(fn, signal).then(resolve, reject);
        },
      };
      this.waiting.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Runs with a slot already taken; the `finally` is the one place a slot is given back. */
  private async run<T>(fn: Operation<T>, signal: AbortSignal | undefined): Promise<T> {
    try {
      return await fn(signal ?? neverAbortedSignal);
    } finally {
      this.release();
    }
  }

  private release(): void {
    const next = this.waiting.values().next();
    if (next.done) {
      this.running--;
      return;
    }
    // The slot passes straight to the next waiter, so `running` stays the same.
    this.waiting.delete(next.value);
    next.value.start();
  }
}

export function bulkhead(options: BulkheadOptions): Bulkhead {
  return new Bulkhead(options);
}
