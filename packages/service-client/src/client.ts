// createServiceClient: JSON over fetch to one downstream service, through timeout → retry → circuit breaker.
import { systemClock, type Clock } from '@shop/clock';
import {
  CircuitBreaker,
  RetryPolicy,
  TimeoutPolicy,
  exponentialBackoff,
  pipeline,
  type CircuitBreakerOptions,
  type Policy,
  type RetryEvent,
  type RetryOptions,
  type Unsubscribe,
} from '@shop/resilience';
import { ServiceError, ServiceNetworkError, ServiceResponseError, type ProblemDetails } from './errors';
import { countsAgainstBreaker, isRetryable } from './failure-classes';
import { parseRetryAfter } from './retry-after';

export type QueryValue = string | number | boolean | undefined;

export interface RequestOptions {
  readonly method: string;
  /** Path relative to `baseUrl`, e.g. `/reservations/42`. */
  readonly path: string;
  /** Sent as JSON. */
  readonly body?: unknown;
  readonly query?: Readonly<Record<string, QueryValue>>;
  /** Sent as `Idempotency-Key`; also makes a POST/PATCH safe to retry. */
  readonly idempotencyKey?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Aborting it stops the call at once, including any wait between retries. */
  readonly signal?: AbortSignal;
  /** Override whether the call may be repeated. Default: GET/HEAD/PUT/DELETE/OPTIONS yes, others only with a key. */
  readonly idempotent?: boolean;
}

export type CallOptions = Omit<RequestOptions, 'method' | 'path' | 'body'>;

export interface ServiceClientOptions {
  /** The downstream service's name: used for the breaker and in errors. */
  readonly name: string;
  readonly baseUrl: string;
  /** Limit for each attempt (connect, answer and body). Default 5 s. */
  readonly timeoutMs?: number;
  /** Optional limit for the whole call, retries and waits included. */
  readonly totalTimeoutMs?: number;
  /** Retry settings (merged over the defaults: 3 attempts, exponential backoff with full jitter), or false. */
  readonly retry?: Partial<RetryOptions> | false;
  /** Breaker settings (merged over the defaults), or a breaker to share. */
  readonly breaker?: Partial<CircuitBreakerOptions> | CircuitBreaker;
  readonly clock?: Clock;
  /** Defaults to the global fetch (undici in Node 20). */
  readonly fetch?: typeof fetch;
  /** Called for every request: the place to add trace context or an auth token. */
  readonly headers?: () => Readonly<Record<string, string>>;
}

export interface ServiceClient {
  readonly name: string;
  /** This downstream's breaker: read `state` or `metrics()`, subscribe with `onStateChange`. */
  readonly breaker: CircuitBreaker;
  /** Called before each retried attempt (for metrics and logs); returns an unsubscribe function. */
  onRetry(listener: (event: RetryEvent) => void): Unsubscribe;
  request<T = unknown>(options: RequestOptions): Promise<T>;
  get<T = unknown>(path: string, options?: CallOptions): Promise<T>;
  post<T = unknown>(path: string, body?: unknown, options?: CallOptions): Promise<T>;
  put<T = unknown>(path: string, body?: unknown, options?: CallOptions): Promise<T>;
  delete<T = unknown>(path: string, options?: CallOptions): Promise<T>;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

export function createServiceClient(options: ServiceClientOptions): ServiceClient {
  const { name } = options;
  const clock = options.clock ?? systemClock;
  const doFetch = options.fetch ?? fetch;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');

  const breaker =
    options.breaker instanceof CircuitBreaker
      ? options.breaker
      : new CircuitBreaker({ name, clock, isFailure: countsAgainstBreaker, ...options.breaker });

  // Outermost first: [total timeout] → retry → breaker → attempt timeout. Retry sits outside the breaker so each
  // attempt is recorded once and an open circuit ends the retries; the attempt timeout sits inside the breaker so a
  // timed-out attempt counts as a failure.
  const policies: Policy<unknown>[] = [];
  if (options.totalTimeoutMs !== undefined) policies.push(new TimeoutPolicy(options.totalTimeoutMs, { clock }));
  let retryPolicy: RetryPolicy | undefined;
  if (options.retry !== false) {
    policies.push(
      (retryPolicy = new RetryPolicy({
        maxAttempts: 3,
        backoff: exponentialBackoff({ initialMs: 100, maxMs: 2_000 }),
        clock,
        shouldRetryError: isRetryable,
        ...options.retry,
        // Only calls marked idempotent are repeated; `request` marks each call.
        idempotent: false,
      })),
    );
  }
  policies.push(breaker, new TimeoutPolicy(options.timeoutMs ?? 5_000, { clock }));
  const policy = pipeline(...policies);

  async function attempt<T>(request: RequestOptions, signal: AbortSignal): Promise<T> {
    const url = buildUrl(baseUrl, request.path, request.query);
    const headers: Record<string, string> = {
      accept: 'application/json, application/problem+json',
      ...options.headers?.(),
      ...request.headers,
    };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    if (request.idempotencyKey !== undefined) headers['idempotency-key'] = request.idempotencyKey;
    let response: Response;
    let text: string;
    try {
      response = await doFetch(url, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal,
      });
      // The body is read inside the attempt, so the attempt timeout covers a slow body too.
      text = await response.text();
    } catch (error) {
      // An abort (timeout or caller) rejects with the signal's reason; anything else is the connection failing.
      if (signal.aborted) throw signal.reason;
      throw new ServiceNetworkError(name, error);
    }
    if (!response.ok) {
      throw new ServiceError(
        name,
        response.status,
        parseProblem(text),
        parseRetryAfter(response.headers.get('retry-after')),
      );
    }
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new ServiceResponseError(name, response.status, error);
    }
  }

  function request<T>(request: RequestOptions): Promise<T> {
    const method = request.method.toUpperCase();
    const idempotent = request.idempotent ?? (IDEMPOTENT_METHODS.has(method) || request.idempotencyKey !== undefined);
    return policy.execute((signal) => attempt<T>({ ...request, method }, signal), request.signal, { idempotent });
  }

  return {
    name,
    breaker,
    onRetry: (listener) => retryPolicy?.onRetry(listener) ?? (() => undefined),
    request,
    get: (path, callOptions) => request({ ...callOptions, method: 'GET', path }),
    post: (path, body, callOptions) => request({ ...callOptions, method: 'POST', path, body }),
    put: (path, body, callOptions) => request({ ...callOptions, method: 'PUT', path, body }),
    delete: (path, callOptions) => request({ ...callOptions, method: 'DELETE', path }),
  };
}

function buildUrl(baseUrl: string, path: string, query: RequestOptions['query']): string {
  const url = new URL(baseUrl + (path.startsWith('/') ? path : `/${path}`));
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.append(key, String(value));
  }
  return url.toString();
}

/** Any JSON object body is kept as the problem; a non-JSON error body (a proxy's HTML page) becomes its detail. */
function parseProblem(text: string): ProblemDetails | undefined {
  if (text === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as ProblemDetails) : undefined;
  } catch {
    return { detail: text.slice(0, 200) };
  }
}
