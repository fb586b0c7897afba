/** JSON over HTTP to one internal service, as another service would call it (service token, bounded wait). */
export class ServiceApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ServiceApi {
  /** The parsed body, or `undefined` for a 404. Any other non-2xx throws. */
  get<T>(path: string): Promise<T | undefined>;
}

export function serviceApi(baseUrl: string, authorization: () => string): ServiceApi {
  return {
    async get<T>(path: string): Promise<T | undefined> {
      const response = await fetch(`${baseUrl}${path}`, {
        headers: { authorization: authorization() },
        signal: AbortSignal.timeout(10_000),
      });
      if (response.status === 404) return undefined;
      const text = await response.text();
      if (!response.ok)
        throw new ServiceApiError(
          response.status,
          `GET ${baseUrl}${path} answered ${response.status}: ${text.slice(0, 200)}`,
        );
      return JSON.parse(text) as T;
    },
  };
}
