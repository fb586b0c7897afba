/**
 * A saga definition: the steps in order, each with how to do it and (before the pivot) how to undo it.
 * Built with `defineSaga(...).step(...).step(...)` so a definition reads top-down like the checkout script it is.
 */
import type { Queryable } from '@shop/db';
import type { SagaLogger } from './saga-logger';
import type { StepPolicy } from './step-policy';

/** Saga data is persisted as JSON: plain objects, arrays, strings, numbers, booleans and null only. */
export type SagaData = object;

export type StepKind = 'compensatable' | 'pivot' | 'retriable';

export interface StepContext {
  readonly sagaId: string;
  readonly stepName: string;
  /**
   * `sagaId:stepName` — the same on every attempt, including after a crash and restart. Send it to the participant
   * as the Idempotency-Key so a repeated call returns the first call's result instead of doing the work twice.
   */
  readonly idempotencyKey: string;
  /** 1 for the first attempt; keeps counting across restarts. Reset by a manual retry. */
  readonly attempt: number;
  /** Aborts at the attempt's timeout. Pass it to fetch / the service client. */
  readonly signal: AbortSignal;
  readonly logger: SagaLogger;
}

export interface CompensationContext extends StepContext {
  /** The key the step's invoke used, for participants that undo "whatever that request did, if anything". */
  readonly invokeIdempotencyKey: string;
}

/** What `invoke` returns: fields merged into the saga data (and persisted), or nothing. */
export type DataPatch<TData> = Partial<TData> | void;

interface StepBase<TData extends SagaData> {
  readonly name: string;
  invoke(data: Readonly<TData>, ctx: StepContext): Promise<DataPatch<TData>>;
  /**
   * Runs inside the transaction that records the step as done (with the merged data), e.g. to append a domain
   * event atomically with the saga's progress. Throwing rolls that back and parks the saga in NEEDS_ATTENTION.
   */
  onCompleted?(tx: Queryable, data: Readonly<TData>, patch: DataPatch<TData>): Promise<void>;
  readonly policy?: Partial<StepPolicy>;
}

/** Before the pivot: can be undone, so a later failure before the pivot undoes it. */
export interface CompensatableStep<TData extends SagaData> extends StepBase<TData> {
  readonly kind: 'compensatable';
  /**
   * Undoes the step. Must be idempotent and must succeed when there is nothing to undo: after a step timed out the
   * engine cannot know whether it took effect, so it compensates it anyway.
   */
  compensate(data: Readonly<TData>, ctx: CompensationContext): Promise<void>;
  readonly compensationPolicy?: Partial<StepPolicy>;
}

/** The go/no-go point: once it succeeds the saga only moves forward. */
export interface PivotStep<TData extends SagaData> extends StepBase<TData> {
  readonly kind: 'pivot';
}

/** After the pivot: retried until it succeeds, never undone. */
export interface RetriableStep<TData extends SagaData> extends StepBase<TData> {
  readonly kind: 'retriable';
}

export type SagaStep<TData extends SagaData> = CompensatableStep<TData> | PivotStep<TData> | RetriableStep<TData>;

/**
 * Hooks run inside the transaction that persists the matching state change.
 * (Functions here and on steps are declared as methods so a `SagaDefinition<PlaceOrderData>` can be handed to the
 * engine as a definition of plain `SagaData`.)
 */
export interface SagaHooks<TData extends SagaData> {
  onCompleted?(tx: Queryable, data: Readonly<TData>): Promise<void>;
  onCompensated?(tx: Queryable, data: Readonly<TData>, reason: string): Promise<void>;
  onNeedsAttention?(tx: Queryable, data: Readonly<TData>, reason: string): Promise<void>;
}

export interface SagaOptions<TData extends SagaData> extends SagaHooks<TData> {
  readonly name: string;
  /**
   * True when the error is a definite "no" from the participant (out of stock, card declined): retrying cannot help.
   * Anything else counts as transient. Falls back to the engine's classifier, then to "never".
   */
  readonly isBusinessFailure?: (error: unknown) => boolean;
}

const kindOrder: Record<StepKind, number> = { compensatable: 0, pivot: 1, retriable: 2 };

export class SagaDefinition<TData extends SagaData> {
  private constructor(
    readonly options: SagaOptions<TData>,
    readonly steps: readonly SagaStep<TData>[],
  ) {}

  static create<TData extends SagaData>(options: SagaOptions<TData>): SagaDefinition<TData> {
    if (!options.name) throw new Error('A saga needs a name');
    return new SagaDefinition(options, []);
  }

  get name(): string {
    return this.options.name;
  }

  /** Returns a new definition with `step` appended; definitions are immutable. */
  step(step: SagaStep<TData>): SagaDefinition<TData> {
    const where = `saga "${this.name}", step "${step.name}"`;
    if (!step.name) throw new Error(`saga "${this.name}": every step needs a name`);
    if (this.steps.some((existing) => existing.name === step.name)) {
      throw new Error(`${where}: step names must be unique (they are part of the idempotency key)`);
    }
    const last = this.steps.at(-1);
    // compensatable* pivot? retriable*: anything else has no consistent meaning for "undo what was done".
    if (last && kindOrder[step.kind] < kindOrder[last.kind]) {
      throw new Error(`${where}: a ${step.kind} step cannot follow a ${last.kind} step`);
    }
    if (step.kind === 'pivot' && last?.kind === 'pivot') throw new Error(`${where}: a saga has at most one pivot`);
    if (step.kind === 'compensatable' && typeof step.compensate !== 'function') {
      throw new Error(`${where}: a compensatable step needs a compensate function`);
    }
    return new SagaDefinition(this.options, [...this.steps, step]);
  }
}

/** Starts a saga definition; add steps in the order they run with `.step(...)`. */
export function defineSaga<TData extends SagaData>(options: SagaOptions<TData>): SagaDefinition<TData> {
  return SagaDefinition.create(options);
}
