/**
 * A client for service-kit's fault injection (`PUT`/`DELETE /admin/faults`, served with FAULT_INJECTION=on): the one
 * way the demo, the chaos suite, the benchmarks and the tests make a running service slow, failing or down.
 */

/** One rule, as `PUT /admin/faults` takes it (the schema is service-kit's `FaultRule`; see its fault-injection.ts). */
export interface FaultRule {
  /** Path pattern; `*` matches any characters, e.g. `/payments*`. */
  route: string;
  /** Only this HTTP method (default: all). */
  method?: string;
  latencyMs?: number;
  /** Adds 0..jitterMs at random. */
  jitterMs?: number;
  /** Share of requests that fail, 0..1. */
  errorRate?: number;
  errorStatus?: number;
  /** `reset`: the connection is dropped without an answer; `503`: every request is refused. */
  down?: 'reset' | '503';
}

export interface FaultsCallOptions {
  /** `/admin/faults` is a service-only route: the caller's headers with a service token (`bearer(...)`). */
  headers?: Record<string, string>;
  /** Give up on the call after this long (default 5 s): a hung service must not hang the caller. */
  timeoutMs?: number;
}

/** Replaces the service's fault rules; an empty list clears them. Throws when the service refuses. */
export async function setFaults(
  serviceUrl: string,
  rules: readonly FaultRule[],
  { headers = {}, timeoutMs = 5_000 }: FaultsCallOptions = {},
): Promise<void> {
  const response = await fetch(`${serviceUrl}/admin/faults`, {
    method: rules.length ? 'PUT' : 'DELETE',
    headers: rules.length ? { 'content-type': 'application/json', ...headers } : headers,
    body: rules.length ? JSON.stringify({ rules }) : undefined,
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new Error(`${serviceUrl}/admin/faults answered ${response.status}: ${await response.text()}`);
}

/** Removes every fault rule of the service. */
export const clearFaults = (serviceUrl: string, options?: FaultsCallOptions): Promise<void> =>
  setFaults(serviceUrl, [], options);
