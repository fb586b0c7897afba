// Outcome counters over the last N calls or the last T milliseconds, updated in O(1) per call.

export interface WindowCounts {
  readonly calls: number;
  readonly failures: number;
  readonly slowCalls: number;
}

export interface SlidingWindow extends WindowCounts {
  record(failed: boolean, slow: boolean, now: number): void;
  /** Counts as of `now` (a time window drops expired buckets first). */
  snapshot(now: number): WindowCounts;
  clear(): void;
}

export type SlidingWindowOptions =
  | { readonly kind: 'count'; readonly size: number }
  | { readonly kind: 'time'; readonly durationMs: number; readonly buckets?: number };

export function createSlidingWindow(options: SlidingWindowOptions): SlidingWindow {
  return options.kind === 'count'
    ? new CountWindow(options.size)
    : new TimeWindow(options.durationMs, options.buckets ?? 10);
}

const FAILED = 1;
const SLOW = 2;

/** A ring buffer of the last `size` outcomes, each stored as bit flags. */
class CountWindow implements SlidingWindow {
  private readonly outcomes: Uint8Array;
  private next = 0;
  calls = 0;
  failures = 0;
  slowCalls = 0;

  constructor(private readonly size: number) {
    if (!(size >= 1)) throw new RangeError('count window size must be at least 1');
    this.outcomes = new Uint8Array(size);
  }

  record(failed: boolean, slow: boolean): void {
    if (this.calls === this.size) {
      const evicted = this.outcomes[this.next]!;
      if (evicted & FAILED) this.failures--;
      if (evicted & SLOW) this.slowCalls--;
    } else {
      this.calls++;
    }
    this.outcomes[this.next] = (failed ? FAILED : 0) | (slow ? SLOW : 0);
    if (failed) this.failures++;
    if (slow) this.slowCalls++;
    this.next = (this.next + 1) % this.size;
  }

  snapshot(): WindowCounts {
    return this;
  }

  clear(): void {
    this.outcomes.fill(0);
    this.next = this.calls = this.failures = this.slowCalls = 0;
  }
}

/**
 * `buckets` equal slices of `durationMs`. A bucket is reused once its slice has left the window, and its counts are
 * subtracted then, so the totals always cover (roughly, to one bucket) the last `durationMs`.
 */
class TimeWindow implements SlidingWindow {
  private readonly bucketMs: number;
  private readonly epochs: Float64Array;
  private readonly bucketCalls: Uint32Array;
  private readonly bucketFailures: Uint32Array;
  private readonly bucketSlow: Uint32Array;
  private lastExpiredAt = -1;
  calls = 0;
  failures = 0;
  slowCalls = 0;

  constructor(
    durationMs: number,
    private readonly buckets: number,
  ) {
    if (!(durationMs > 0) || !(buckets >= 1)) throw new RangeError('time window needs durationMs > 0 and buckets >= 1');
    this.bucketMs = durationMs / buckets;
    this.epochs = new Float64Array(buckets).fill(-1);
    this.bucketCalls = new Uint32Array(buckets);
    this.bucketFailures = new Uint32Array(buckets);
    this.bucketSlow = new Uint32Array(buckets);
  }

  record(failed: boolean, slow: boolean, now: number): void {
    this.expire(now);
    const epoch = Math.floor(now / this.bucketMs);
    const index = epoch % this.buckets;
    this.epochs[index] = epoch;
    this.bucketCalls[index]!++;
    this.calls++;
    if (failed) {
      this.bucketFailures[index]!++;
      this.failures++;
    }
    if (slow) {
      this.bucketSlow[index]!++;
      this.slowCalls++;
    }
  }

  snapshot(now: number): WindowCounts {
    this.expire(now);
    return this;
  }

  clear(): void {
    this.epochs.fill(-1);
    this.bucketCalls.fill(0);
    this.bucketFailures.fill(0);
    this.bucketSlow.fill(0);
    this.calls = this.failures = this.slowCalls = 0;
    this.lastExpiredAt = -1;
  }

  /** Empties every bucket whose slice is older than the window ending at `now`. */
  private expire(now: number): void {
    const currentEpoch = Math.floor(now / this.bucketMs);
    // Nothing can have expired since the last check within the same bucket slice.
    if (currentEpoch === this.lastExpiredAt) return;
    this.lastExpiredAt = currentEpoch;
    const oldestLiveEpoch = currentEpoch - this.buckets + 1;
    for (let i = 0; i < this.buckets; i++) {
      const epoch = this.epochs[i]!;
      if (epoch < 0 || epoch >= oldestLiveEpoch) continue;
      this.calls -= this.bucketCalls[i]!;
      this.failures -= this.bucketFailures[i]!;
      this.slowCalls -= this.bucketSlow[i]!;
      this.bucketCalls[i] = this.bucketFailures[i] = this.bucketSlow[i] = 0;
      this.epochs[i] = -1;
    }
  }
}
