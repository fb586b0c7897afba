/**
 * "This order changed" signals inside one process, for readers that asked to wait (`Prefer: wait`, RFC 7240) instead
 * of polling. The saga's commits notify it; a change committed by another replica (or a consumer) is seen at the
 * next re-read, which a waiting reader does at least every `RECHECK_MS` — the signal only makes the common case fast.
 */
import { systemClock, type Clock } from '@shop/clock';

/** Longest wait between two reads of a waiting request when no signal comes. */
export const RECHECK_MS = 1_000;

export class OrderChanges {
  private readonly waiters = new Map<string, Set<() => void>>();
  private closed = false;

  constructor(private readonly clock: Clock = systemClock) {}

  /** Wakes everyone waiting on `orderId`. Call after the change has committed. */
  notify(orderId: string): void {
    const waiting = this.waiters.get(orderId);
    if (!waiting) return;
    this.waiters.delete(orderId);
    for (const wake of waiting) wake();
  }

  /** Ends every wait, now and later: the service is shutting down and must not hold requests open. */
  close(): void {
    this.closed = true;
    for (const orderId of [...this.waiters.keys()]) this.notify(orderId);
  }

  /**
   * Resolves on the next `notify(orderId)` or after `timeoutMs` with true (read again), or with false once the
   * wait should end for good (`signal` aborted: the client went away; or `close()`).
   */
  next(orderId: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      if (signal?.aborted || this.closed) return resolve(false);
      let waiting = this.waiters.get(orderId);
      if (!waiting) this.waiters.set(orderId, (waiting = new Set()));
      const done = (): void => {
        this.clock.clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        const set = this.waiters.get(orderId);
        set?.delete(done);
        if (set?.size === 0) this.waiters.delete(orderId);
        resolve(!signal?.aborted && !this.closed);
      };
      const timer = this.clock.setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
      waiting.add(done);
    });
  }

  /**
   * Reads again on each change signal of `orderId` (and every RECHECK_MS at the latest: a change made by another
   * replica sends no signal here) until `settled` says so or `waitMs` is over; a wait ended for good (the client went
   * away, the service is closing) answers with the latest read.
   */
  async readUntil<T>(
    orderId: string,
    options: {
      first: T;
      read: () => Promise<T>;
      settled: (latest: T) => boolean;
      waitMs: number;
      signal?: AbortSignal;
    },
  ): Promise<T> {
    const deadline = this.clock.now() + options.waitMs;
    let latest = options.first;
    for (let left = options.waitMs; left > 0 && !options.settled(latest); left = deadline - this.clock.now()) {
      if (!(await this.next(orderId, Math.min(left, RECHECK_MS), options.signal))) break;
      latest = await options.read();
    }
    return latest;
  }

  /** Readers waiting right now (a gauge, and for tests). */
  get waiting(): number {
    let count = 0;
    for (const set of this.waiters.values()) count += set.size;
    return count;
  }
}
