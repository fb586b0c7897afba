// Circuit breaker: stops calling a failing dependency, then lets a few trial calls probe whether it has recovered.
import { systemClock, type Clock } from '@shop/clock';
import { BrokenCircuitError, IsolatedCircuitError, TimeoutError } from './errors';
import { Listeners, type Unsubscribe } from './listeners';
import { neverAbortedSignal, type CallContext, type Operation, type Policy } from './policy';
import { createSlidingWindow, type SlidingWindow, type SlidingWindowOptions } from './sliding-window';

export const CircuitState = {
  Closed: 'closed',
  Open: 'open',
  HalfOpen: 'half-open',
  /** Forced open by `isolate()`; only `reset()` leaves it. */
  Isolated: 'isolated',
} as const;
export type CircuitState = (typeof CircuitState)[keyof typeof CircuitState];

export interface CircuitBreakerOptions {
  /** Appears in errors and events; one breaker per downstream service is the usual granularity. */
  readonly name?: string;
  /** Which recent calls the failure rate is computed over. Default: the last 20 calls. */
  readonly window?: SlidingWindowOptions;
  /** No rate-based trip until the window holds at least this many calls. Default 10. */
  readonly minimumCalls?: number;
  /** Trip when failures / calls >= this (0..1]. Default 0.5. */
  readonly failureRateThreshold?: number;
  /** Also trip after this many failures in a row, regardless of the window. Off by default. */
  readonly consecutiveFailures?: number;
  /** Also trip when at least `rateThreshold` of the window's calls took `durationMs` or longer. Off by default. */
  readonly slowCall?: { readonly durationMs: number; readonly rateThreshold: number };
  /** How long the circuit stays open before admitting trial calls. Default 30 s. */
  readonly openDurationMs?: number;
  /** Lengthen the open period on each trip in a row (a failed trial): duration * multiplier^(trips-1), capped. */
  readonly openBackoff?: { readonly multiplier: number; readonly maxMs: number };
  /** Trial calls admitted in half-open; all must succeed to close. Default 1. */
  readonly halfOpenPermits?: number;
  /** Which errors count against the dependency. Default: all (e.g. pass `e => e.status >= 500`). */
  readonly isFailure?: (error: unknown) => boolean;
  /** Which resolved results count as failures (e.g. a 503 response object). Default: none. */
  readonly isResultFailure?: (result: unknown) => boolean;
  readonly clock?: Clock;
}

export interface StateChange {
  readonly breaker: string;
  readonly from: CircuitState;
  readonly to: CircuitState;
}

export type CallOutcome =
  | { readonly kind: 'success'; readonly durationMs: number }
  | { readonly kind: 'failure'; readonly durationMs: number; readonly error?: unknown }
  /** Not counted either way: the caller aborted, or the call finished after the circuit changed state. */
  | { readonly kind: 'ignored'; readonly durationMs: number }
  | { readonly kind: 'rejected'; readonly error: BrokenCircuitError };

export interface CircuitMetrics {
  readonly name: string;
  readonly state: CircuitState;
  readonly calls: number;
  readonly failures: number;
  readonly slowCalls: number;
  readonly failureRate: number;
  readonly slowCallRate: number;
  readonly consecutiveFailures: number;
  /** Trips in a row without closing in between (drives open-duration backoff). */
  readonly consecutiveTrips: number;
  /** Milliseconds until trial calls are admitted, when open. */
  readonly retryAfterMs: number | undefined;
}

type Verdict = 'success' | 'failure' | 'ignored';

export class CircuitBreaker implements Policy {
  readonly name: string;
  private readonly clock: Clock;
  private readonly window: SlidingWindow;
  private readonly minimumCalls: number;
  private readonly failureRateThreshold: number;
  private readonly consecutiveFailureLimit: number;
  private readonly slowCall: CircuitBreakerOptions['slowCall'];
  private readonly openDurationMs: number;
  private readonly openBackoff: CircuitBreakerOptions['openBackoff'];
  private readonly halfOpenPermits: number;
  private readonly isFailure: (error: unknown) => boolean;
  private readonly isResultFailure: ((result: unknown) => boolean) | undefined;
  /** Time is read per call only when something needs it; a count window with no slow-call rule does not. */
  private readonly alwaysTimesCalls: boolean;

  private current: CircuitState = CircuitState.Closed;
  /** Bumped on every transition, so a call that finishes after one cannot vote in the new state. */
  private generation = 0;
  private openUntil = 0;
  private consecutiveFailureCount = 0;
  private consecutiveTrips = 0;
  private trialsAdmitted = 0;
  private trialSuccesses = 0;

  private readonly stateListeners = new Listeners<StateChange>();
  private readonly outcomeListeners = new Listeners<CallOutcome>();

  constructor(options: CircuitBreakerOptions = {}) {
    this.name = options.name ?? 'circuit';
    this.clock = options.clock ?? systemClock;
    const window = options.window ?? { kind: 'count', size: 20 };
    this.window = createSlidingWindow(window);
    this.minimumCalls = Math.max(1, options.minimumCalls ?? 10);
    this.failureRateThreshold = options.failureRateThreshold ?? 0.5;
    this.consecutiveFailureLimit = options.consecutiveFailures ?? Infinity;
    this.slowCall = options.slowCall;
    this.openDurationMs = options.openDurationMs ?? 30_000;
    this.openBackoff = options.openBackoff;
    this.halfOpenPermits = Math.max(1, options.halfOpenPermits ?? 1);
    this.isFailure = options.isFailure ?? (() => true);
    this.isResultFailure = options.isResultFailure;
    this.alwaysTimesCalls = window.kind === 'time' || this.slowCall !== undefined;
  }

  /** The current state; an open circuit whose wait is over reads (and becomes) half-open. */
  get state(): CircuitState {
    if (this.current === CircuitState.Open && this.clock.monotonic() >= this.openUntil) {
      this.transition(CircuitState.HalfOpen);
    }
    return this.current;
  }

  onStateChange(listener: (change: StateChange) => void): Unsubscribe {
    return this.stateListeners.add(listener);
  }

  onOutcome(listener: (outcome: CallOutcome) => void): Unsubscribe {
    return this.outcomeListeners.add(listener);
  }

  /** Listener counts, so leak checks can see that every subscription was removed. */
  get listenerCount(): number {
    return this.stateListeners.size + this.outcomeListeners.size;
  }

  metrics(): CircuitMetrics {
    const state = this.state;
    const counts = this.window.snapshot(this.clock.monotonic());
    return {
      name: this.name,
      state,
      calls: counts.calls,
      failures: counts.failures,
      slowCalls: counts.slowCalls,
      failureRate: counts.calls ? counts.failures / counts.calls : 0,
      slowCallRate: counts.calls ? counts.slowCalls / counts.calls : 0,
      consecutiveFailures: this.consecutiveFailureCount,
      consecutiveTrips: this.consecutiveTrips,
      retryAfterMs: state === CircuitState.Open ? this.openUntil - this.clock.monotonic() : undefined,
    };
  }

  /** Forces the circuit open until `reset()` — for maintenance windows or a known-bad dependency. */
  isolate(): void {
    this.transition(CircuitState.Isolated);
  }

  /** Closes the circuit and forgets all recorded outcomes. */
  reset(): void {
    this.consecutiveTrips = 0;
    this.transition(CircuitState.Closed);
  }

  execute<T>(fn: Operation<T>, signal?: AbortSignal, _context?: CallContext): Promise<T> {
    const state = this.state;
    if (state === CircuitState.Closed) return this.runClosed(fn, signal);
    if (state === CircuitState.HalfOpen && this.trialsAdmitted < this.halfOpenPermits) {
      return this.runTrial(fn, signal);
    }
    return Promise.reject(this.reject(state));
  }

  private async runClosed<T>(fn: Operation<T>, signal: AbortSignal | undefined): Promise<T> {
    const generation = this.generation;
    const startedAt = this.timesCalls() ? this.clock.monotonic() : undefined;
    let result: T;
    try {
      result = await fn(signal ?? neverAbortedSignal);
    } catch (error) {
      this.settle(generation, startedAt, this.classifyError(error, signal), error);
      throw error;
    }
    this.settle(generation, startedAt, this.classifyResult(result), undefined);
    return result;
  }

  /**
   * A half-open trial holds one of the few permits, so it must give it back however the call ends: on success,
   * failure, a synchronous throw, or as soon as the caller aborts — even if the operation ignores the signal.
   */
  private runTrial<T>(fn: Operation<T>, signal: AbortSignal | undefined): Promise<T> {
    this.trialsAdmitted++;
    const generation = this.generation;
    const startedAt = this.clock.monotonic();
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const finish = (verdict: Verdict, error: unknown): boolean => {
        if (settled) return false;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        if (verdict === 'ignored' && generation === this.generation) this.trialsAdmitted--;
        this.settle(generation, startedAt, verdict, error);
        return true;
      };
      const onAbort = (): void => {
        if (finish('ignored', undefined)) reject(signal?.reason);
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      new Promise<T>((run) => run(fn(signal ?? neverAbortedSignal))).then(
        (result) => {
          if (finish(this.classifyResult(result), undefined)) resolve(result);
        },
        (error: unknown) => {
          if (finish(this.classifyError(error, signal), error)) reject(error);
        },
      );
    });
  }

  private timesCalls(): boolean {
    return this.alwaysTimesCalls || this.outcomeListeners.size > 0;
  }

  /** A caller giving up says nothing about the dependency; a timeout does, so it still counts. */
  private classifyError(error: unknown, signal: AbortSignal | undefined): Verdict {
    if (signal?.aborted && !(signal.reason instanceof TimeoutError)) return 'ignored';
    try {
      return this.isFailure(error) ? 'failure' : 'success';
    } catch {
      return 'failure'; // a broken predicate must not leave a permit held
    }
  }

  private classifyResult(result: unknown): Verdict {
    if (!this.isResultFailure) return 'success';
    try {
      return this.isResultFailure(result) ? 'failure' : 'success';
    } catch {
      return 'failure';
    }
  }

  private settle(generation: number, startedAt: number | undefined, verdict: Verdict, error: unknown): void {
    const now = startedAt !== undefined || this.timesCalls() ? this.clock.monotonic() : 0;
    const durationMs = startedAt !== undefined ? now - startedAt : 0;
    if (this.outcomeListeners.size > 0) {
      this.outcomeListeners.emit(
        generation !== this.generation
          ? { kind: 'ignored', durationMs }
          : verdict === 'failure'
            ? { kind: 'failure', durationMs, error }
            : { kind: verdict, durationMs },
      );
    }
    if (generation !== this.generation || verdict === 'ignored') return;
    const failed = verdict === 'failure';
    if (this.current === CircuitState.HalfOpen) {
      if (failed) this.trip();
      else if (++this.trialSuccesses >= this.halfOpenPermits) this.closeAfterRecovery();
      return;
    }
    // Closed: record into the window and trip on rate or on a run of failures.
    const slow = this.slowCall !== undefined && durationMs >= this.slowCall.durationMs;
    this.window.record(failed, slow, now);
    this.consecutiveFailureCount = failed ? this.consecutiveFailureCount + 1 : 0;
    if (this.consecutiveFailureCount >= this.consecutiveFailureLimit || this.rateExceeded()) this.trip();
  }

  private rateExceeded(): boolean {
    const { calls, failures, slowCalls } = this.window;
    if (calls < this.minimumCalls) return false;
    if (failures / calls >= this.failureRateThreshold) return true;
    return this.slowCall !== undefined && slowCalls / calls >= this.slowCall.rateThreshold;
  }

  private trip(): void {
    this.consecutiveTrips++;
    const backoff = this.openBackoff;
    const duration = backoff
      ? Math.min(backoff.maxMs, this.openDurationMs * backoff.multiplier ** (this.consecutiveTrips - 1))
      : this.openDurationMs;
    this.openUntil = this.clock.monotonic() + duration;
    this.transition(CircuitState.Open);
  }

  private closeAfterRecovery(): void {
    this.consecutiveTrips = 0;
    this.transition(CircuitState.Closed);
  }

  private reject(state: CircuitState): BrokenCircuitError {
    const error =
      state === CircuitState.Isolated
        ? IsolatedCircuitError.create(this.name)
        : BrokenCircuitError.create(
            this.name,
            // Half-open with every permit taken: the trials will decide soon; suggest the shortest sensible wait.
            state === CircuitState.Open ? Math.max(0, this.openUntil - this.clock.monotonic()) : 0,
          );
    if (this.outcomeListeners.size > 0) this.outcomeListeners.emit({ kind: 'rejected', error });
    return error;
  }

  private transition(to: CircuitState): void {
    const from = this.current;
    this.generation++;
    this.current = to;
    this.trialsAdmitted = 0;
    this.trialSuccesses = 0;
    if (to === CircuitState.Closed) {
      this.window.clear();
      this.consecutiveFailureCount = 0;
    }
    if (from !== to && this.stateListeners.size > 0) this.stateListeners.emit({ breaker: this.name, from, to });
  }
}
