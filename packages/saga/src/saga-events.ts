// What the engine reports while it works, so metrics and tracing can hook in without the engine knowing about them.
import type { Unsubscribe } from '@shop/resilience';
import type { SagaLogger } from './saga-logger';
import type { SagaState } from './saga-state';
import type { StepAction } from './saga-store';

interface StepEventBase {
  readonly sagaId: string;
  readonly sagaName: string;
  readonly step: string;
  readonly action: StepAction;
  readonly attempt: number;
  readonly idempotencyKey: string;
}

export interface SagaEventMap {
  stepStarted: StepEventBase;
  stepSucceeded: StepEventBase & { readonly durationMs: number };
  stepFailed: StepEventBase & {
    readonly durationMs: number;
    readonly error: unknown;
    readonly business: boolean;
    /** When the next attempt is due, if one is scheduled (ISO 8601). */
    readonly retryAt?: string;
  };
  stateChanged: {
    readonly sagaId: string;
    readonly sagaName: string;
    /** Undefined when the saga was just started. */
    readonly from: SagaState | undefined;
    readonly to: SagaState;
    readonly reason?: string;
  };
  /** The worker finished running a saga and freed its slot (finished, waiting for a retry, parked or lost). */
  released: { readonly sagaId: string; readonly sagaName: string; readonly ranForMs: number };
}

export type SagaEventName = keyof SagaEventMap;
export type SagaListener<E extends SagaEventName> = (event: SagaEventMap[E]) => void;

export class SagaEvents {
  private readonly listeners: { [E in SagaEventName]: Set<SagaListener<E>> } = {
    stepStarted: new Set(),
    stepSucceeded: new Set(),
    stepFailed: new Set(),
    stateChanged: new Set(),
    released: new Set(),
  };

  constructor(private readonly logger: SagaLogger) {}

  on<E extends SagaEventName>(name: E, listener: SagaListener<E>): Unsubscribe {
    const set = this.listeners[name] as Set<SagaListener<E>>;
    set.add(listener);
    return () => void set.delete(listener);
  }

  emit<E extends SagaEventName>(name: E, event: SagaEventMap[E]): void {
    for (const listener of this.listeners[name] as Set<SagaListener<E>>) {
      // A broken metrics hook must never stop a saga.
      try {
        listener(event);
      } catch (error) {
        this.logger.error({ err: error, event: name }, 'saga event listener threw');
      }
    }
  }
}
