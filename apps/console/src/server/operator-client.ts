/**
 * How the console calls the services in its own name: JSON over HTTP with a service token, signed by
 * service-kit's `signServiceToken` (the same claims every service's token carries), and a short timeout so one
 * hanging service cannot stall the live views. `read` turns any failure into a `Reading` the page can show.
 */
import { HttpProblem } from '@shop/service-kit';
import type { Reading, ServiceName } from '../shared/console-api';

export class OperatorCallError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

export interface OperatorClientOptions {
  urls: Record<ServiceName, string>;
  /** A fresh `Bearer …` value for a service token. */
  authorization: () => string;
  timeoutMs?: number;
}

export class OperatorClient {
  private readonly timeoutMs: number;
  constructor(private readonly options: OperatorClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  async call<T>(service: ServiceName, method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.options.urls[service]}${path}`, {
      method,
      headers: {
        authorization: this.options.authorization(),
        accept: 'application/json, application/problem+json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await response.text();
    const parsed: unknown = text ? safeJson(text) : undefined;
    if (!response.ok) {
      const detail = (parsed as { detail?: string; title?: string } | undefined)?.detail ?? response.statusText;
      throw new OperatorCallError(response.status, `${service} answered ${response.status}: ${detail}`, parsed);
    }
    return parsed as T;
  }

  get<T>(service: ServiceName, path: string): Promise<T> {
    return this.call<T>(service, 'GET', path);
  }

  /** Never rejects: a service that is down or refuses becomes `{ ok: false, error }`. */
  async read<T>(service: ServiceName, path: string): Promise<Reading<T>> {
    try {
      return { ok: true, value: await this.get<T>(service, path) };
    } catch (error) {
      return { ok: false, error: describeFailure(service, error) };
    }
  }
}

export function describeFailure(service: string, error: unknown): string {
  if (error instanceof OperatorCallError) return error.message;
  const name = (error as Error | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `${service} did not answer in time`;
  return `${service} could not be reached`;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * What the page is told when a call on its behalf fails: the service's own 4xx problem (e.g. 409 "saga not
 * retryable") passes through; a service that is down or broken becomes 502, naming it.
 */
export function problemFromFailure(service: string, error: unknown): HttpProblem {
  if (error instanceof OperatorCallError && error.status >= 400 && error.status < 500) {
    const body = (error.body ?? {}) as { title?: string; detail?: string; type?: string };
    const slug = body.type?.split('/').pop() ?? 'upstream-refused';
    return new HttpProblem(error.status, slug, body.title ?? 'Refused', body.detail ?? error.message);
  }
  return new HttpProblem(502, 'upstream-unavailable', 'Service unavailable', describeFailure(service, error));
}
