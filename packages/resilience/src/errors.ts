// Typed errors the policies throw, so callers can branch with `instanceof` instead of parsing messages.

/** Implemented by errors that know when the call may be tried again (HTTP Retry-After, an open circuit). */
export interface RetryAfterHint {
  readonly retryAfterMs?: number;
}

/** Reads a server- or policy-provided delay from any thrown value, if it carries one. */
export function retryAfterOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const value = (error as RetryAfterHint).retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * Builds an error without capturing a stack trace. Fast-fail rejections happen on the hot path of an outage and
 * their stack always points at the policy itself, so capturing it would only add cost.
 */
function withoutStack<E extends Error>(create: () => E): E {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return create();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Thrown when a circuit breaker rejects a call without running it. */
export class BrokenCircuitError extends Error implements RetryAfterHint {
  override readonly name: string = 'BrokenCircuitError';

  constructor(
    readonly breakerName: string,
    /** How long until the breaker will admit a trial call; undefined when only a manual reset closes it. */
    readonly retryAfterMs: number | undefined,
    message = `Circuit "${breakerName}" is open`,
  ) {
    super(message);
  }

  static create(breakerName: string, retryAfterMs: number | undefined): BrokenCircuitError {
    return withoutStack(() => new BrokenCircuitError(breakerName, retryAfterMs));
  }
}

/** Thrown while a breaker is isolated by hand (`isolate()`); only `reset()` closes it again. */
export class IsolatedCircuitError extends BrokenCircuitError {
  override readonly name: string = 'IsolatedCircuitError';

  constructor(breakerName: string) {
    super(breakerName, undefined, `Circuit "${breakerName}" is isolated`);
  }

  static override create(breakerName: string): IsolatedCircuitError {
    return withoutStack(() => new IsolatedCircuitError(breakerName));
  }
}

/** Thrown when an operation did not finish within its time limit. Its signal was aborted with this error. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';

  constructor(readonly timeoutMs: number) {
    super(`Operation timed out after ${timeoutMs} ms`);
  }
}

/** Thrown when a bulkhead has no free slot and its queue is full. */
export class BulkheadRejectedError extends Error {
  override readonly name = 'BulkheadRejectedError';

  constructor(
    readonly maxConcurrent: number,
    readonly maxQueue: number,
  ) {
    super(`Bulkhead full (${maxConcurrent} running, ${maxQueue} queued)`);
  }

  static create(maxConcurrent: number, maxQueue: number): BulkheadRejectedError {
    return withoutStack(() => new BulkheadRejectedError(maxConcurrent, maxQueue));
  }
}
