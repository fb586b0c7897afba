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

/**
 * What a step's `invoke` hands back: fields merged into the saga data and persisted with the step's progress, or
 * nothing. Each later step sees them typed: `.step()` returns a definition whose data includes this step's output.
 */
export type StepOutput = object | void;

/** The saga data once a step's output is merged in. */
export type WithOutput<TData extends SagaData, TOut extends StepOutput> = TOut extends object ? TData & TOut : TData;

interface StepBase<TData extends SagaData, TOut extends StepOutput> {
  readonly name: string;
  invoke(data: Readonly<TData>, ctx: StepContext): Promise<TOut>;
  /**
   * Runs inside the transaction that records the step as done (with the merged data), e.g. to append a domain
   * event atomically with the saga's progress. Throwing rolls that back and parks the saga in NEEDS_ATTENTION.
   */
  onCompleted?(tx: Queryable, data: Readonly<WithOutput<TData, TOut>>): Promise<void>;
  /** This step's timeout, attempts and backoff; the engine's `policies` (from configuration) override them. */
  readonly policy?: Partial<StepPolicy>;
}

/** Before the pivot: can be undone, so a later failure before the pivot undoes it. */
export interface CompensatableStep<TData extends SagaData, TOut extends StepOutput = StepOutput> extends StepBase<
  TData,
  TOut
> {
  readonly kind: 'compensatable';
  /**
   * Undoes the step. Must be idempotent and must succeed when there is nothing to undo: after a step timed out the
   * engine cannot know whether it took effect, so it compensates it anyway — which is why its output is only
   * `Partial` here.
   */
  compensate(data: Readonly<WithOutput<TData, Partial<TOut>>>, ctx: CompensationContext): Promise<void>;
  readonly compensationPolicy?: Partial<StepPolicy>;
}

/** The go/no-go point: once it succeeds the saga only moves forward. */
export interface PivotStep<TData extends SagaData, TOut extends StepOutput = StepOutput> extends StepBase<TData, TOut> {
  readonly kind: 'pivot';
}

/** After the pivot: retried until it succeeds, never undone. */
export interface RetriableStep<TData extends SagaData, TOut extends StepOutput = StepOutput> extends StepBase<
  TData,
  TOut
> {
  readonly kind: 'retriable';
}

export type SagaStep<TData extends SagaData, TOut extends StepOutput = StepOutput> =
  CompensatableStep<TData, TOut> | PivotStep<TData, TOut> | RetriableStep<TData, TOut>;

/** A step as the engine holds it: data and output types are the definition's business, not the runner's. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyStep = SagaStep<any, any>;

/**
 * Hooks run inside the transaction that persists the matching state change.
 * (Functions here and on steps are declared as methods so a `SagaDefinition<PlaceOrderData>` can be handed to the
 * engine as a definition of plain `SagaData`.)
 */
export interface SagaHooks<TData extends SagaData> {
  onCompleted?(tx: Queryable, data: Readonly<TData>): Promise<void>;
  onCompensated?(tx: Queryable, data: Readonly<TData>, reason: string): Promise<void>;
  /** The saga was parked: no step will run until someone retries it. */
  onNeedsAttention?(tx: Queryable, data: Readonly<TData>, reason: string): Promise<void>;
  /** Someone retried a parked saga (`engine.retry`): it is due again. Undo what `onNeedsAttention` recorded. */
  onResumed?(tx: Queryable, data: Readonly<TData>): Promise<void>;
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

/**
 * `TInput` is what `engine.start` is given; `TData` grows with each step's output, so step n sees the outputs of
 * steps 1..n-1 as required fields. The saga-level hooks see `TInput` with every output optional: they run after a
 * compensation too, when later steps never ran.
 */
export class SagaDefinition<TInput extends SagaData, TData extends SagaData = TInput> {
  private constructor(
    readonly options: SagaOptions<TInput>,
    readonly steps: readonly AnyStep[],
  ) {}

  static create<TInput extends SagaData>(options: SagaOptions<TInput>): SagaDefinition<TInput> {
    if (!options.name) throw new Error('A saga needs a name');
    return new SagaDefinition(options, []);
  }

  get name(): string {
    return this.options.name;
  }

  /** Returns a new definition with `step` appended, whose data includes the step's output; definitions are immutable. */
  step<TOut extends StepOutput>(step: SagaStep<TData, TOut>): SagaDefinition<TInput, WithOutput<TData, TOut>> {
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
    return new SagaDefinition<TInput, WithOutput<TData, TOut>>(this.options, [...this.steps, step]);
  }
}

/** Starts a saga definition for data shaped like `TInput`; add steps in the order they run with `.step(...)`. */
export function defineSaga<TInput extends SagaData>(options: SagaOptions<TInput>): SagaDefinition<TInput> {
  return SagaDefinition.create(options);
}
