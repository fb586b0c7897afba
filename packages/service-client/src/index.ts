export {
  createServiceClient,
  type CallOptions,
  type QueryValue,
  type RequestOptions,
  type ServiceClient,
  type ServiceClientOptions,
} from './client';
export { ServiceError, ServiceNetworkError, ServiceResponseError, type ProblemDetails } from './errors';
export { countsAgainstBreaker, isRetryable, isTransientFailure, isUnavailableStatus } from './failure-classes';
export { parseRetryAfter } from './retry-after';
// Re-exported so callers can branch on every failure this client throws without importing @shop/resilience.
export { BrokenCircuitError, IsolatedCircuitError, TimeoutError, CircuitState } from '@shop/resilience';
export { reportClientMetrics } from './client-metrics';
