/** The states a saga instance moves through; the README has the diagram. */
export const SagaState = {
  /** Invoking steps forward. */
  RUNNING: 'RUNNING',
  /** Undoing completed steps in reverse after a failure before the pivot. */
  COMPENSATING: 'COMPENSATING',
  /** Every step succeeded. */
  COMPLETED: 'COMPLETED',
  /** Failed before the pivot and every completed step was undone ("failed and rolled back"). */
  COMPENSATED: 'COMPENSATED',
  /** Stopped until a person looks: a compensation ran out of attempts, or something unexpected happened. */
  NEEDS_ATTENTION: 'NEEDS_ATTENTION',
} as const;

export type SagaState = (typeof SagaState)[keyof typeof SagaState];

/** States the engine still has work to do in. */
export type ActiveSagaState = typeof SagaState.RUNNING | typeof SagaState.COMPENSATING;

export const allSagaStates: readonly SagaState[] = Object.values(SagaState);
