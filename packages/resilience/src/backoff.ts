// Delay strategies between retry attempts. Jitter spreads retries out so clients do not retry in lockstep.

/** Returns the delay before retry number `retry` (1 for the first retry), given the previous delay. */
export type Backoff = (retry: number, previousDelayMs: number, random: () => number) => number;

export function constantBackoff(delayMs: number): Backoff {
  return () => delayMs;
}

export interface ExponentialBackoffOptions {
  /** Delay before the first retry (and the lower bound for decorrelated jitter). Default 100 ms. */
  readonly initialMs?: number;
  /** Cap for any single delay. Default 10 s. */
  readonly maxMs?: number;
  /** Growth per retry. Default 2. */
  readonly multiplier?: number;
  /**
   * - `none`: initial * multiplier^(retry-1), capped.
   * - `full` (default): uniform in [0, that value] — the AWS "full jitter", best at spreading load.
   * - `decorrelated`: uniform in [initial, previous * 3], capped — grows like exponential but never synchronises.
   */
  readonly jitter?: 'none' | 'full' | 'decorrelated';
}

export function exponentialBackoff(options: ExponentialBackoffOptions = {}): Backoff {
  const initialMs = options.initialMs ?? 100;
  const maxMs = options.maxMs ?? 10_000;
  const multiplier = options.multiplier ?? 2;
  const jitter = options.jitter ?? 'full';
  return (retry, previousDelayMs, random) => {
    if (jitter === 'decorrelated') {
      const upper = Math.max(initialMs, previousDelayMs * 3);
      return Math.min(maxMs, initialMs + random() * (upper - initialMs));
    }
    const ceiling = Math.min(maxMs, initialMs * multiplier ** (retry - 1));
    return jitter === 'full' ? random() * ceiling : ceiling;
  };
}
