// Fallback: answers with a substitute value (cached data, a default, a degraded response) when the operation fails.
import { neverAbortedSignal, type CallContext, type Operation, type Policy } from './policy';

export interface FallbackOptions {
  /** Which errors to replace. Default: all. A caller's own abort is never replaced. */
  readonly shouldHandle?: (error: unknown) => boolean;
}

export class FallbackPolicy<F> implements Policy<F> {
  declare readonly __extra?: F;
  private readonly shouldHandle: (error: unknown) => boolean;

  constructor(
    private readonly handler: (error: unknown) => F | Promise<F>,
    options: FallbackOptions = {},
  ) {
    this.shouldHandle = options.shouldHandle ?? (() => true);
  }

  async execute<T>(fn: Operation<T>, signal?: AbortSignal, _context?: CallContext): Promise<T | F> {
    try {
      return await fn(signal ?? neverAbortedSignal);
    } catch (error) {
      if (signal?.aborted || !this.shouldHandle(error)) throw error;
      return this.handler(error);
    }
  }
}

export function fallback<F>(handler: (error: unknown) => F | Promise<F>, options?: FallbackOptions): FallbackPolicy<F> {
  return new FallbackPolicy(handler, options);
}
