/**
 * One internal service behind the gateway: a keep-alive connection pool, a per-call timeout and a circuit breaker.
 * A call that gets no connection, no answer in time, or a 502/503/504 counts against the upstream; once the breaker
 * opens, calls are answered 503 at once without touching the network, until a trial call finds the upstream healthy
 * again. Nothing a client sends can open it: 4xx and 500 answers are passed through and never counted.
 */
import { systemClock, type Clock } from '@shop/clock';
import { CircuitBreaker, TimeoutPolicy, pipeline, type Pipeline } from '@shop/resilience';
import { countsAgainstBreaker, isUnavailableStatus } from '@shop/service-client';
import { Pool } from 'undici';

export interface UpstreamOptions {
  /** Service name: in problems, logs and the breaker. */
  name: string;
  baseUrl: string;
  /** Limit for one call, the response body included. */
  timeoutMs: number;
  /** Failures in a row that open the circuit. */
  consecutiveFailures: number;
  /** How long the circuit stays open before a trial call. */
  openDurationMs: number;
  clock?: Clock;
}

export interface UpstreamCall {
  method: string;
  /** Path and query string on the upstream, e.g. `/orders?status=CONFIRMED`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** This call's own limit instead of the upstream's (a route whose work is slow by design, e.g. password hashing). */
  timeoutMs?: number;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export class Upstream {
  readonly name: string;
  readonly breaker: CircuitBreaker;
  private readonly pool: Pool;
  private readonly clock: Clock;
  /** Limit for one call unless the call names its own. */
  readonly timeoutMs: number;
  /** breaker → timeout, one per timeout in use; all share the one breaker. */
  private readonly policies = new Map<number, Pipeline>();

  constructor(options: UpstreamOptions) {
    this.name = options.name;
    const clock = options.clock ?? systemClock;
    this.clock = clock;
    this.timeoutMs = options.timeoutMs;
    this.pool = new Pool(options.baseUrl, { connections: 64, connectTimeout: options.timeoutMs });
    this.breaker = new CircuitBreaker({
      name: options.name,
      clock,
      // The rate trigger needs a full window; in front of users, a run of failures should open the circuit sooner.
      consecutiveFailures: options.consecutiveFailures,
      openDurationMs: options.openDurationMs,
      // The same predicate as every service client's: only signs that the upstream is unavailable to everyone. A 500
      // is not one — a single client's malformed request can provoke it, and five of them would otherwise open the
      // circuit for every user (the attack of issue #16).
      isFailure: countsAgainstBreaker,
      isResultFailure: (response) => isUnavailableStatus((response as UpstreamResponse).status),
    });
  }

  /** The timeout sits inside the breaker so a late answer counts as a failure. */
  private policyFor(timeoutMs: number): Pipeline {
    let policy = this.policies.get(timeoutMs);
    if (!policy) {
      policy = pipeline(this.breaker, new TimeoutPolicy(timeoutMs, { clock: this.clock }));
      this.policies.set(timeoutMs, policy);
    }
    return policy;
  }

  /** Resolves with whatever the upstream answered; rejects with BrokenCircuitError, TimeoutError or a network error. */
  call(call: UpstreamCall): Promise<UpstreamResponse> {
    return this.policyFor(call.timeoutMs ?? this.timeoutMs).execute(async (signal) => {
      const response = await this.pool.request({
        method: call.method as 'GET',
        path: call.path,
        headers: call.body === undefined ? call.headers : { ...call.headers, 'content-type': 'application/json' },
        body: call.body,
        signal,
      });
      // Read inside the timeout: a slow body is as bad as a slow answer.
      const body = Buffer.from(await response.body.arrayBuffer());
      return { status: response.statusCode, headers: response.headers, body };
    });
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
