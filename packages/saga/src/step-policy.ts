// How long one attempt may take, how many attempts a step gets and how long to wait between them.
import { exponentialBackoff, type Backoff } from '@shop/resilience';

export interface StepPolicy {
  /** Deadline for one attempt; the step's `ctx.signal` aborts at it and the attempt counts as a transient failure. */
  readonly timeoutMs: number;
  /**
   * Attempts (including the first) before giving up: a compensatable step then triggers compensation, a
   * compensation parks the saga in NEEDS_ATTENTION. Pivot and retriable steps never give up, so it is ignored there.
   */
  readonly maxAttempts: number;
  /** Delay before retry number n (1 = first retry). A `retryAfterMs` on the error (Retry-After) wins over it. */
  readonly backoff: Backoff;
}

export interface SagaPolicies {
  /** Defaults for invoking steps. */
  readonly invoke?: Partial<StepPolicy>;
  /** Defaults for compensations. */
  readonly compensate?: Partial<StepPolicy>;
}

export const defaultInvokePolicy: StepPolicy = {
  timeoutMs: 10_000,
  maxAttempts: 3,
  backoff: exponentialBackoff({ initialMs: 1_000, maxMs: 60_000, jitter: 'full' }),
};

/** Compensations get more patience: giving up means a person has to step in. */
export const defaultCompensatePolicy: StepPolicy = {
  timeoutMs: 10_000,
  maxAttempts: 5,
  backoff: exponentialBackoff({ initialMs: 1_000, maxMs: 60_000, jitter: 'full' }),
};

/** Step setting over engine setting over built-in default, field by field. */
export function resolvePolicy(
  builtIn: StepPolicy,
  engineDefaults: Partial<StepPolicy> | undefined,
  stepOverrides: Partial<StepPolicy> | undefined,
): StepPolicy {
  return { ...builtIn, ...withoutUndefined(engineDefaults), ...withoutUndefined(stepOverrides) };
}

function withoutUndefined<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
