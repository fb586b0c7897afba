// Typed failures of a downstream call, so callers branch on business outcome (4xx) versus transient trouble.
import type { RetryAfterHint } from '@shop/resilience';

/** An RFC 9457 problem document as sent by our services (extra members allowed). */
export interface ProblemDetails {
  readonly type?: string;
  readonly title?: string;
  readonly status?: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly [member: string]: unknown;
}

/** Statuses that say "try again later" rather than "this request is wrong". */
const TRANSIENT_STATUSES = new Set([429, 502, 503, 504]);

/** The downstream service answered with an error status. */
export class ServiceError extends Error implements RetryAfterHint {
  override readonly name: string = 'ServiceError';
  /** The problem `type` URI, or `about:blank` when the body was not a problem document. */
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  /** 429, 502, 503, 504: the same request may succeed later. */
  readonly isTransient: boolean;

  constructor(
    readonly service: string,
    readonly status: number,
    /** The parsed problem document (or whatever JSON body came back). */
    readonly problem: ProblemDetails | undefined,
    /** From the Retry-After header, when present. */
    readonly retryAfterMs: number | undefined,
  ) {
    const title = problem?.title ?? `HTTP ${status}`;
    super(`${service} answered ${status} ${title}${problem?.detail ? `: ${problem.detail}` : ''}`);
    this.type = problem?.type ?? 'about:blank';
    this.title = title;
    this.detail = problem?.detail;
    this.isTransient = TRANSIENT_STATUSES.has(status);
  }
}

/** No HTTP answer at all: connection refused or reset, DNS failure. Always transient. */
export class ServiceNetworkError extends Error {
  override readonly name = 'ServiceNetworkError';
  readonly isTransient = true;

  constructor(
    readonly service: string,
    cause: unknown,
  ) {
    super(`${service} unreachable: ${describe(cause)}`, { cause });
  }
}

/** A 2xx answer whose body was not the JSON we asked for: a bug on one side, retrying will not help. */
export class ServiceResponseError extends Error {
  override readonly name = 'ServiceResponseError';

  constructor(
    readonly service: string,
    readonly status: number,
    cause: unknown,
  ) {
    super(`${service} sent an unreadable ${status} response: ${describe(cause)}`, { cause });
  }
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = cause.cause instanceof Error ? ` (${cause.cause.message})` : '';
    return `${cause.message}${inner}`;
  }
  return String(cause);
}
