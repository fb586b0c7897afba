/**
 * The demo's only way in: JSON over HTTP to the gateway, each call narrated with its status and latency. Every call
 * starts its own W3C trace (a `traceparent` header), so the demo can later fetch and draw that request's trace.
 */
import { randomBytes } from 'node:crypto';
import type { Narrator } from './narrator';

/** JSON read off the wire: scenarios pick out and check only the fields they narrate. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type WireJson = any;

export interface GatewayResponse<T = WireJson> {
  status: number;
  body: T;
  headers: Headers;
  ms: number;
  traceId?: string;
}

export interface RequestOptions {
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
  /** Shown after the status; may use the response. */
  note?: (response: GatewayResponse) => string;
  quiet?: boolean;
}

export class GatewayClient {
  constructor(
    readonly baseUrl: string,
    private readonly out: Narrator,
  ) {}

  async request<T = WireJson>(method: string, path: string, options: RequestOptions = {}): Promise<GatewayResponse<T>> {
    const startedAt = performance.now();
    const traceId = randomBytes(16).toString('hex');
    const headers: Record<string, string> = {
      traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
      ...options.headers,
    };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      if (!options.quiet)
        this.out.request(method, path, 'ERR', performance.now() - startedAt, (error as Error).message);
      throw error;
    }
    const text = await response.text();
    const ms = performance.now() - startedAt;
    const body = text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    const result: GatewayResponse<T> = { status: response.status, body, headers: response.headers, ms, traceId };
    if (!options.quiet)
      this.out.request(method, path, response.status, ms, options.note?.(result) ?? problemDetail(result));
    return result;
  }

  get<T = WireJson>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, options);
  }

  post<T = WireJson>(path: string, body: unknown, options?: RequestOptions) {
    return this.request<T>('POST', path, { ...options, body });
  }
}

function problemDetail(response: GatewayResponse): string {
  const body = response.body as { title?: string; detail?: string } | undefined;
  return response.status >= 400 && body && typeof body === 'object' ? (body.detail ?? body.title ?? '') : '';
}
