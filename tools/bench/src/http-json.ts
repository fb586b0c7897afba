/** JSON over HTTP with a deadline: the only client the benchmarks use (Node's fetch keeps connections alive). */

export interface JsonResponse<T> {
  status: number;
  body: T;
  /** Lower-case names. */
  headers: Record<string, string>;
}

export async function requestJson<T = unknown>(
  method: string,
  url: string,
  options: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : undefined) as T,
    headers: Object.fromEntries(response.headers),
  };
}
