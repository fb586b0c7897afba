// The one shape every resilience policy shares, so policies compose in a pipeline.

/** Per-call facts a policy may need beyond the signal. */
export interface CallContext {
  /**
   * Whether repeating this call is safe. Retry never repeats a call marked `false`;
   * leaving it undefined falls back to the retry policy's own `idempotent` setting.
   */
  readonly idempotent?: boolean;
}

/** The work a policy runs: it receives a signal and must stop when it aborts. */
export type Operation<T> = (signal: AbortSignal) => Promise<T>;

/**
 * A resilience policy. `Extra` is what the policy may return instead of the operation's result
 * (only a fallback changes it), so `execute` of a pipeline is typed `Promise<T | Extra>`.
 */
export interface Policy<Extra = never> {
  /**
   * Type-only marker, never set at runtime: TypeScript cannot read `Extra` back out of a generic `execute`,
   * so pipelines read it from here to type their result.
   */
  readonly __extra?: Extra;
  execute<T>(fn: Operation<T>, signal?: AbortSignal, context?: CallContext): Promise<T | Extra>;
}

/** A signal that never aborts, handed to operations when the caller gave none. */
export const neverAbortedSignal: AbortSignal = new AbortController().signal;

/** The `Extra` a policy declared, or never. */
export type ExtraOf<P> = P extends { readonly __extra?: infer E } ? (unknown extends E ? never : E) : never;
