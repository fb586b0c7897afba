/**
 * `Prefer: wait=<seconds>` (RFC 7240 §4.3): a client that would rather wait for a change than poll for it. Parsed
 * once here for the service that honours it and for the gateway, whose timeout for that call must grow by the wait.
 */
import { Type } from '@sinclair/typebox';

/** Longest wait a client may ask for: a held request ties up a connection. */
export const MAX_WAIT_SECONDS = 30;

/** The request header, for a route's schema (validation and OpenAPI). */
export const PreferWaitHeaders = Type.Object({
  prefer: Type.Optional(
    Type.String({ maxLength: 200, description: `wait=<seconds> (RFC 7240, at most ${MAX_WAIT_SECONDS})` }),
  ),
});

/**
 * The `wait` preference in seconds, capped at MAX_WAIT_SECONDS; undefined when absent or not a non-negative integer
 * (an unknown or malformed preference is ignored, as the RFC asks).
 */
export function preferredWaitSeconds(prefer: string | string[] | undefined): number | undefined {
  const values = Array.isArray(prefer) ? prefer : prefer ? [prefer] : [];
  for (const value of values) {
    for (const preference of value.split(',')) {
      const match = /^\s*wait\s*=\s*"?(\d{1,6})"?\s*(?:;.*)?$/i.exec(preference);
      if (match) return Math.min(Number(match[1]), MAX_WAIT_SECONDS);
    }
  }
  return undefined;
}
