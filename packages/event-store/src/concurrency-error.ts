/** The one error an append raises when the stream moved on since the writer read it. */
import type { ExpectedVersion } from './events';

/**
 * Another writer appended to the stream first. Safe to retry by re-reading the stream and deciding again (that is
 * what `handleCommand(..., { retryOnConflict })` does); over HTTP it is a 409 Conflict.
 */
export class ConcurrencyError extends Error {
  override readonly name = 'ConcurrencyError';
  /** The HTTP status an API answers with (problem type `…/concurrency-conflict`). */
  readonly statusCode = 409;

  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    /** The stream's version as last seen by the store; `undefined` when the loser only learned of the conflict from the unique index. */
    readonly actual: number | undefined,
  ) {
    super(
      `Stream ${streamId}: expected version ${String(expected)}, ` +
        (actual === undefined ? 'but another writer appended concurrently' : `but it is at version ${actual}`),
    );
  }
}

export function isConcurrencyError(error: unknown): error is ConcurrencyError {
  return error instanceof ConcurrencyError;
}
