/** Recognising database errors by SQLSTATE, identically on PGlite and node-postgres. */
import { isConnectionFailure } from '@shop/resilience';

/** https://www.postgresql.org/docs/current/errcodes-appendix.html */
export const SqlState = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
} as const;

export function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  return isViolationOf(SqlState.uniqueViolation, error, constraint);
}

/** A CHECK constraint refused a row (of `constraint`, when given): e.g. stock that would go below zero. */
export function isCheckViolation(error: unknown, constraint?: string): boolean {
  return isViolationOf(SqlState.checkViolation, error, constraint);
}

function isViolationOf(state: string, error: unknown, constraint: string | undefined): boolean {
  if (sqlStateOf(error) !== state) return false;
  return constraint === undefined || (error as { constraint?: string }).constraint === constraint;
}

/**
 * Who an error from the database points at, for errors nobody handled:
 * - `invalid-data`: SQLSTATE class 22 (data exception: a value the column cannot hold, text with NUL, a number out
 *   of range) — the request's data is wrong;
 * - `conflicting-data`: class 23 (integrity constraint violation: duplicate, missing reference, failed check) — the
 *   request conflicts with what is stored;
 * - `unavailable`: the database cannot be reached or is not serving (refused, dropped or timed-out connections, a
 *   server shutting down or out of connections, a closed PGlite) — the same request may work later;
 * - `undefined`: anything else, a bug to fix (bad SQL, a serialization failure the code should have retried).
 */
export type DatabaseFailure = 'invalid-data' | 'conflicting-data' | 'unavailable';

/**
 * SQLSTATEs by which the server itself says it is not serving: class 08 (connection exception), class 53
 * (insufficient resources: too many connections, out of memory, disk full), and the operator-intervention codes of
 * a server shutting down, crashed or starting up.
 */
const UNAVAILABLE_CLASSES = new Set(['08', '53']);
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03']);

/**
 * Connection trouble the drivers report without a code: node-postgres (pg and pg-pool) and PGlite. Matched by the
 * exact message, because that is all they give; a driver upgrade that rewords one makes it a 500 again, which the
 * tests would show.
 */
const UNAVAILABLE_MESSAGES = new Set([
  'Connection terminated unexpectedly',
  'Connection terminated',
  'Connection terminated due to connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end on the pool',
  'PGlite is closed',
]);

const SQLSTATE = /^[0-9A-Z]{5}$/;

export function classifyDatabaseError(error: unknown): DatabaseFailure | undefined {
  const code = sqlStateOf(error);
  if (code !== undefined && SQLSTATE.test(code)) {
    const sqlClass = code.slice(0, 2);
    if (sqlClass === '22') return 'invalid-data';
    if (sqlClass === '23') return 'conflicting-data';
    if (UNAVAILABLE_CLASSES.has(sqlClass) || UNAVAILABLE_STATES.has(code)) return 'unavailable';
  }
  if (isConnectionFailure(error)) return 'unavailable';
  return error instanceof Error && UNAVAILABLE_MESSAGES.has(error.message) ? 'unavailable' : undefined;
}
