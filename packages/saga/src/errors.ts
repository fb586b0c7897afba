/** Errors the engine's API throws, so the order service can map them to 404 / 409 without parsing messages. */

export class SagaNotFoundError extends Error {
  override readonly name = 'SagaNotFoundError';
  constructor(readonly sagaId: string) {
    super(`No saga with id "${sagaId}"`);
  }
}

/** `retry()` on a saga that is not in NEEDS_ATTENTION. */
export class SagaNotRetryableError extends Error {
  override readonly name = 'SagaNotRetryableError';
  constructor(
    readonly sagaId: string,
    readonly state: string,
  ) {
    super(`Saga "${sagaId}" is ${state}; only a saga in NEEDS_ATTENTION can be retried`);
  }
}

/** `start()` with a saga name no definition was registered for. */
export class UnknownSagaError extends Error {
  override readonly name = 'UnknownSagaError';
  constructor(readonly sagaName: string) {
    super(`No saga definition named "${sagaName}" was given to the engine`);
  }
}
