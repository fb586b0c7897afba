// Retry: runs an operation again after transient failures, with backoff, a time budget and respect for cancellation.
import { sleep, systemClock, type Clock } from '@shop/clock';
import { BrokenCircuitError, BulkheadRejectedError, retryAfterOf } from './errors';
import { exponentialBackoff, type Backoff } from './backoff';
import { Listeners, type Unsubscribe } from './listeners';
import { neverAbortedSignal, type CallContext, type Operation, type Policy } from './policy';

export interface RetryOptions {
  /**
   * Total attempts, INCLUDING the first call: 3 means one call plus at most two retries. Default 3.
   * 1 disables retrying.
   */
  readonly maxAttempts?: number;
  /** Delay before each retry when the error carries no `retryAfterMs`. Default: exponential, full jitter. */
  readonly backoff?: Backoff;
  /**
   * Give up rather than start a wait that would end later than this many ms after the first attempt began.
   * Default: no budget.
   */
  readonly maxElapsedMs?: number;
  /**
   * A server-provided delay (`retryAfterMs` on the error, e.g. from Retry-After) is honoured exactly, in place of the
   * backoff; one longer than this is not waited for — the error is thrown instead. Default 60 s.
   */
  readonly maxServerDelayMs?: number;
  /**
   * Which errors are worth retrying. Default: all except the fast-fail rejections of a breaker or bulkhead
   * (retrying those would only hammer the protection).
   */
  readonly shouldRetryError?: (error: unknown, attempt: number) => boolean;
  /** Which results are worth retrying (e.g. a 503 response object). Default: none. */
  readonly shouldRetryResult?: (result: unknown, attempt: number) => boolean;
  /**
   * Whether operations run through this policy are safe to repeat when the call does not say
   * (`context.idempotent`). Default true; set false to retry only calls explicitly marked idempotent.
   */
  readonly idempotent?: boolean;
  /** Randomness for jitter, injectable for deterministic tests. Default Math.random. */
  readonly random?: () => number;
  readonly clock?: Clock;
}

export interface RetryEvent {
  /** The attempt that just failed (1 = the first call). */
  readonly attempt: number;
  readonly delayMs: number;
  /** Whether the delay came from the server (`retryAfterMs`) rather than the backoff. */
  readonly serverDelay: boolean;
  readonly error?: unknown;
  readonly result?: unknown;
}

export type GiveUpReason = 'attempts-exhausted' | 'not-retryable' | 'not-idempotent' | 'budget-exhausted' | 'aborted';

export interface GiveUpEvent {
  readonly attempts: number;
  readonly reason: GiveUpReason;
  readonly error?: unknown;
}

/** What a failed attempt produced: a thrown error, or a result `shouldRetryResult` rejected. */
type Failed<T> =
  { hasError: true; error: unknown; result: undefined } | { hasError: false; error: undefined; result: T };

const isFastFailRejection = (error: unknown): boolean =>
  error instanceof BrokenCircuitError || error instanceof BulkheadRejectedError;

export class RetryPolicy implements Policy {
  private readonly clock: Clock;
  private readonly maxAttempts: number;
  private readonly backoff: Backoff;
  private readonly maxElapsedMs: number;
  private readonly maxServerDelayMs: number;
  private readonly shouldRetryError: (error: unknown, attempt: number) => boolean;
  private readonly shouldRetryResult: ((result: unknown, attempt: number) => boolean) | undefined;
  private readonly idempotentByDefault: boolean;
  private readonly random: () => number;
  private readonly retryListeners = new Listeners<RetryEvent>();
  private readonly giveUpListeners = new Listeners<GiveUpEvent>();

  constructor(options: RetryOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    this.backoff = options.backoff ?? exponentialBackoff();
    this.maxElapsedMs = options.maxElapsedMs ?? Infinity;
    this.maxServerDelayMs = options.maxServerDelayMs ?? 60_000;
    this.shouldRetryError = options.shouldRetryError ?? ((error) => !isFastFailRejection(error));
    this.shouldRetryResult = options.shouldRetryResult;
    this.idempotentByDefault = options.idempotent ?? true;
    this.random = options.random ?? Math.random;
  }

  /** Called before each wait, with the attempt that failed and the delay chosen. */
  onRetry(listener: (event: RetryEvent) => void): Unsubscribe {
    return this.retryListeners.add(listener);
  }

  /** Called when a failed attempt is not retried (the error or result is then returned to the caller). */
  onGiveUp(listener: (event: GiveUpEvent) => void): Unsubscribe {
    return this.giveUpListeners.add(listener);
  }

  async execute<T>(fn: Operation<T>, signal?: AbortSignal, context?: CallContext): Promise<T> {
    const operationSignal = signal ?? neverAbortedSignal;
    const canRepeat = context?.idempotent ?? this.idempotentByDefault;
    const startedAt = this.maxElapsedMs === Infinity ? 0 : this.clock.monotonic();
    let previousDelayMs = 0;
    for (let attempt = 1; ; attempt++) {
      let failed: Failed<T>;
      try {
        const result = await fn(operationSignal);
        if (!this.shouldRetryResult?.(result, attempt)) return result;
        failed = { hasError: false, error: undefined, result };
      } catch (error) {
        failed = { hasError: true, error, result: undefined };
      }
      const serverDelayMs = failed.hasError ? retryAfterOf(failed.error) : undefined;
      const delayMs = serverDelayMs ?? this.backoff(attempt, previousDelayMs, this.random);
      const giveUp =
        this.whyNotRetry(attempt, failed, canRepeat, signal) ??
        this.whyNotWait(delayMs, serverDelayMs !== undefined, startedAt);
      if (giveUp !== undefined) {
        if (this.giveUpListeners.size > 0) {
          this.giveUpListeners.emit({ attempts: attempt, reason: giveUp, error: failed.error });
        }
        if (failed.hasError) throw failed.error;
        return failed.result as T;
      }
      if (this.retryListeners.size > 0) {
        this.retryListeners.emit({
          attempt,
          delayMs,
          serverDelay: serverDelayMs !== undefined,
          error: failed.error,
          result: failed.result,
        });
      }
      previousDelayMs = delayMs;
      // Rejects at once with the abort reason if the caller gives up while we wait; the timer is cleared then.
      await sleep(this.clock, delayMs, signal);
    }
  }

  private whyNotRetry(
    attempt: number,
    failed: Failed<unknown>,
    canRepeat: boolean,
    signal: AbortSignal | undefined,
  ): GiveUpReason | undefined {
    if (signal?.aborted) return 'aborted';
    if (attempt >= this.maxAttempts) return 'attempts-exhausted';
    if (!canRepeat) return 'not-idempotent';
    if (failed.hasError && !this.shouldRetryError(failed.error, attempt)) return 'not-retryable';
    return undefined;
  }

  private whyNotWait(delayMs: number, fromServer: boolean, startedAt: number): GiveUpReason | undefined {
    if (fromServer && delayMs > this.maxServerDelayMs) return 'budget-exhausted';
    if (this.maxElapsedMs !== Infinity && this.clock.monotonic() - startedAt + delayMs > this.maxElapsedMs) {
      return 'budget-exhausted';
    }
    return undefined;
  }
}
export function retry(options?: RetryOptions): RetryPolicy {
  return new RetryPolicy(options);
}
