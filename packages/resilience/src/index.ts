export {
  BrokenCircuitError,
  BulkheadRejectedError,
  IsolatedCircuitError,
  TimeoutError,
  retryAfterOf,
  type RetryAfterHint,
} from './errors';
export { isConnectionFailure } from './connection-failure';
export { type Unsubscribe } from './listeners';
export { neverAbortedSignal, type CallContext, type ExtraOf, type Operation, type Policy } from './policy';
export { type SlidingWindowOptions, type WindowCounts } from './sliding-window';
export {
  CircuitBreaker,
  CircuitState,
  type CallOutcome,
  type CircuitBreakerOptions,
  type CircuitMetrics,
  type StateChange,
} from './circuit-breaker';
export { constantBackoff, exponentialBackoff, type Backoff, type ExponentialBackoffOptions } from './backoff';
export { RetryPolicy, retry, type GiveUpEvent, type GiveUpReason, type RetryEvent, type RetryOptions } from './retry';
export { TimeoutPolicy, timeout, type TimeoutOptions } from './timeout';
export { Bulkhead, bulkhead, type BulkheadOptions } from './bulkhead';
export { FallbackPolicy, fallback, type FallbackOptions } from './fallback';
export { Pipeline, pipeline } from './pipeline';
export { PollingLoop, type PassResult, type PollingLoopOptions } from './polling-loop';
