/**
 * A failed query must not carry the query's data into a log. Both drivers describe the failing row in the error:
 * PGlite attaches the statement's `params` (a password hash, an email…) to every error it throws, and Postgres puts
 * row values in `detail` ("Key (lower(email))=(ada@example.com) already exists", "Failing row contains (…)").
 * Whoever logs the error (`logger.error({ err })`) would write them out.
 *
 * So errors leave this package with `params` removed, and `detail` kept but non-enumerable: code that handles a
 * constraint violation can still read it, while log serialisers — which copy enumerable properties — do not see it.
 * The SQLSTATE `code`, `constraint`, `table` and `column` stay: they name the problem without the data.
 */
const DROPPED = ['params', 'queryOptions'] as const;
const HIDDEN = ['detail'] as const;

export function withoutQueryData(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return error;
  const target = error as Record<string, unknown>;
  for (const key of DROPPED) delete target[key];
  for (const key of HIDDEN) {
    if (Object.prototype.propertyIsEnumerable.call(target, key)) {
      Object.defineProperty(target, key, { value: target[key], enumerable: false, writable: true, configurable: true });
    }
  }
  return error;
}

/** `promise`, with any rejection stripped of the query's data (see above). */
export function sanitizeQueryErrors<T>(promise: Promise<T>): Promise<T> {
  return promise.catch((error: unknown) => {
    throw withoutQueryData(error);
  });
}
