/**
 * Request ids: a caller's `x-request-id` is kept, so one id follows a request through the gateway and the services
 * behind it — but only when it is a short, plain token. Anything else (too long, spaces, quotes, control characters,
 * a JSON fragment) is replaced by a fresh UUID: the id is written into every log line and echoed in responses, so an
 * adopted value would let any client inject text into logs or bloat every line it touches.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';
export const MAX_REQUEST_ID_LENGTH = 128;
const SAFE_REQUEST_ID = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,${MAX_REQUEST_ID_LENGTH - 1}}$`);

/** True for an id a caller sent that may be adopted as is (`x-request-id`, `x-correlation-id`). */
export function isAdoptableId(value: unknown): value is string {
  return typeof value === 'string' && SAFE_REQUEST_ID.test(value);
}

/** Fastify's `genReqId`: the caller's id when it is safe to adopt, otherwise a new one. */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER];
  return isAdoptableId(given) ? given : randomUUID();
}
