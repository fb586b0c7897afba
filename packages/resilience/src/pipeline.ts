// Composes policies: pipeline(a, b, c).execute(fn) runs a(b(c(fn))) — the first policy is the outermost.
import { neverAbortedSignal, type CallContext, type ExtraOf, type Operation, type Policy } from './policy';

export class Pipeline<Extra = never> implements Policy<Extra> {
  declare readonly __extra?: Extra;
  constructor(private readonly policies: readonly Policy<unknown>[]) {}

  execute<T>(fn: Operation<T>, signal?: AbortSignal, context?: CallContext): Promise<T | Extra> {
    return this.runFrom(0, fn, signal, context) as Promise<T | Extra>;
  }

  /** Each policy receives the signal the policy outside it produced (a timeout's, or the caller's). */
  private runFrom<T>(
    index: number,
    fn: Operation<T>,
    signal: AbortSignal | undefined,
    context: CallContext | undefined,
  ): Promise<unknown> {
    const policy = this.policies[index];
    if (policy === undefined) return fn(signal ?? neverAbortedSignal);
    // The innermost policy runs the operation itself: one wrapper fewer on every call.
    const inner: Operation<unknown> =
      index === this.policies.length - 1 ? fn : (innerSignal) => this.runFrom(index + 1, fn, innerSignal, context);
    return policy.execute(inner, signal, context);
  }
}

/**
 * Recommended order for a remote call: `pipeline(fallback?, totalTimeout?, retry, breaker, attemptTimeout, bulkhead?)`.
 * - retry outside the breaker: every attempt passes through the breaker and is recorded once, and an open circuit
 *   stops the retries at once (BrokenCircuitError is not retried by default);
 * - the attempt timeout inside the breaker: a timed-out attempt counts as a failure;
 * - a total timeout outside retry caps the whole call, waits included.
 */
export function pipeline<P extends readonly Policy<unknown>[]>(...policies: P): Pipeline<ExtraOf<P[number]>> {
  return new Pipeline(policies);
}
