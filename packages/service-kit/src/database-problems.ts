/**
 * Database errors no handler caught, as the problem they really are. A value the database refused is the
 * request's fault (4xx), a database that cannot be reached is an outage the client should wait out (503 with
 * Retry-After) — neither is a 500, which would say "our bug" and, at the gateway, would be indistinguishable from one.
 * Which error is which is decided once, by `classifyDatabaseError` in @shop/db.
 */
import { classifyDatabaseError, sqlStateOf, type DatabaseFailure } from '@shop/db/errors';
import { HttpProblem } from './problem';

/** Long enough for a restarting database or a failover; short enough that a retrying client is not kept waiting. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

const PROBLEMS: Record<DatabaseFailure, () => HttpProblem> = {
  'invalid-data': () =>
    new HttpProblem(400, 'invalid-data', 'Invalid data', 'A value in the request cannot be stored as it is.'),
  'conflicting-data': () =>
    new HttpProblem(
      409,
      'conflicting-data',
      'Conflicts with stored data',
      'The request conflicts with data already stored (a duplicate, or a reference to something that does not exist).',
    ),
  unavailable: () =>
    new HttpProblem(
      503,
      'dependency-unavailable',
      'Service unavailable',
      'The service cannot reach its database right now; try again after Retry-After seconds.',
      {},
      { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) },
    ),
};

export interface DatabaseProblem {
  readonly failure: DatabaseFailure;
  /** The SQLSTATE, for the log: never the driver's message, whose `detail` may quote the stored values. */
  readonly sqlState: string | undefined;
  readonly problem: HttpProblem;
}

export function databaseProblemOf(error: unknown): DatabaseProblem | undefined {
  const failure = classifyDatabaseError(error);
  if (failure === undefined) return undefined;
  return { failure, sqlState: sqlStateOf(error), problem: PROBLEMS[failure]() };
}
