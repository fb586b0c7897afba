/**
 * Runs one claimed saga instance: invoke the current step (or compensate), persist the outcome, decide what comes
 * next, and repeat until the saga finishes, waits for a backoff, or is parked. Every attempt is persisted before it
 * starts and after it ends, so a process may die at any point and another resumes from the last committed row.
 */
import { traceStep } from './saga-tracing';
import type { Database, Queryable } from '@shop/db';
import { retryAfterOf, TimeoutPolicy, type Clock } from '@shop/resilience';
import type { CompensatableStep, SagaData, SagaDefinition, SagaStep, StepContext } from './define-saga';
import type { SagaEvents } from './saga-events';
import type { SagaLogger } from './saga-logger';
import { SagaState } from './saga-state';
import type { SagaRecord, SagaStore, StepAction, StepOutcome } from './saga-store';
import {
  defaultCompensatePolicy,
  defaultInvokePolicy,
  resolvePolicy,
  type SagaPolicies,
  type StepPolicy,
} from './step-policy';

type AnyDefinition = SagaDefinition<SagaData>;

export interface SagaRunnerDeps {
  readonly db: Database;
  readonly store: SagaStore;
  readonly definitions: ReadonlyMap<string, AnyDefinition>;
  readonly clock: Clock;
  readonly owner: string;
  readonly leaseMs: number;
  readonly logger: SagaLogger;
  readonly events: SagaEvents;
  readonly policies: SagaPolicies;
  readonly isBusinessFailure: (error: unknown) => boolean;
  readonly random: () => number;
  /** True for sagas this process started: their step spans continue the starting trace. */
  readonly continuesTrace: (sagaId: string) => boolean;
}

/** An attempt that has been recorded as started and whose outcome must be recorded. */
interface OpenAttempt {
  readonly logId: number;
  readonly step: string;
  readonly action: StepAction;
  readonly attempt: number;
  readonly idempotencyKey: string;
  readonly startedAt: number;
}

interface AttemptResult {
  readonly outcome: StepOutcome;
  readonly error?: unknown;
}

/** A hook (user code inside our transaction) failed: the change is rolled back and the saga parked. */
class HookFailedError extends Error {
  override readonly name = 'HookFailedError';
  constructor(
    hook: string,
    override readonly cause: unknown,
  ) {
    super(`${hook} hook failed: ${messageOf(cause)}`);
  }
}

/** The stored instance does not fit its definition (renamed saga, removed step): a person must decide. */
class DefinitionMismatchError extends Error {
  override readonly name = 'DefinitionMismatchError';
}

export class SagaRunner {
  constructor(private readonly deps: SagaRunnerDeps) {}

  /** Runs until the instance no longer holds our lease (finished, waiting for a retry, parked, or taken over). */
  async run(claimed: SagaRecord): Promise<void> {
    let record = claimed;
    while (record.leaseOwner === this.deps.owner) {
      record = await this.advance(record);
    }
  }

  private async advance(record: SagaRecord): Promise<SagaRecord> {
    const definition = this.deps.definitions.get(record.sagaName);
    try {
      if (!definition) throw new DefinitionMismatchError(`no saga definition named "${record.sagaName}"`);
      return record.state === SagaState.RUNNING
        ? await this.invokeStep(definition, record)
        : await this.compensateStep(definition, record);
    } catch (error) {
      if (!(error instanceof DefinitionMismatchError)) throw error;
      return this.park(definition, record, error.message);
    }
  }

  private async invokeStep(definition: AnyDefinition, record: SagaRecord): Promise<SagaRecord> {
    const index = record.currentStep;
    const step = definition.steps[index];
    if (!step)
      throw new DefinitionMismatchError(
        `saga is at step ${index}, "${definition.name}" has ${definition.steps.length}`,
      );
    const policy = resolvePolicy(defaultInvokePolicy, this.deps.policies.invoke, step.policy);
    const key = `${record.id}:${step.name}`;
    const { attempt, started } = await this.beginAttempt(record, step.name, 'invoke', key, policy);

    let patch: Partial<SagaData> | void = undefined;
    let failure: unknown;
    let failed = false;
    try {
      patch = await traceStep(record, step.name, 'invoke', attempt.attempt, this.deps.continuesTrace(record.id), () => {
        // Logged inside the step's span, so the line carries the same trace_id as the step in the trace viewer.
        this.deps.logger.info({ sagaId: record.id, step: step.name, attempt: attempt.attempt }, 'saga step invoking');
        return this.withTimeout(policy, (signal) =>
          step.invoke(record.data, this.context(record, step.name, key, attempt.attempt, signal)),
        );
      });
    } catch (error) {
      failed = true;
      failure = error;
    }
    const now = this.deps.clock.now();

    if (!failed) {
      const data = { ...record.data, ...(patch ?? {}) };
      const isLast = index === definition.steps.length - 1;
      const next: SagaRecord = isLast
        ? { ...finished(started, SagaState.COMPLETED, now), data, currentStep: index + 1, attempt: 0 }
        : { ...started, data, currentStep: index + 1, attempt: 0, nextAttemptAt: now, updatedAt: now };
      return this.commit(definition, started, next, attempt, { outcome: 'succeeded' }, async (tx) => {
        if (step.onCompleted)
          await runHook(`step "${step.name}" onCompleted`, () => step.onCompleted!(tx, data, patch));
        const { options } = definition;
        if (isLast && options.onCompleted) await runHook('onCompleted', () => options.onCompleted!(tx, data));
      });
    }

    const business = this.isBusinessFailure(definition, failure);
    const result: AttemptResult = { outcome: business ? 'business-failure' : 'transient-failure', error: failure };
    if (business) {
      const reason = `step "${step.name}" failed: ${messageOf(failure)}`;
      // After the pivot there is no going back, and a definite "no" means the flow itself is wrong.
      if (step.kind === 'retriable')
        return this.park(definition, started, `${reason} (business failure after the pivot)`, attempt, result);
      // The participant refused, so this step did nothing: undo only the ones before it.
      return this.beginCompensation(definition, started, index - 1, reason, attempt, result);
    }
    if (step.kind !== 'compensatable' || attempt.attempt < policy.maxAttempts) {
      return this.scheduleRetry(definition, started, policy, attempt, result);
    }
    // Out of attempts on a transient failure: the last attempt may have taken effect (a timeout says nothing about
    // the other side), so compensate this step too. Compensations must tolerate "nothing to undo".
    const reason = `step "${step.name}" failed after ${attempt.attempt} attempts: ${messageOf(failure)}`;
    return this.beginCompensation(definition, started, index, reason, attempt, result);
  }

  private async compensateStep(definition: AnyDefinition, record: SagaRecord): Promise<SagaRecord> {
    const index = lastCompensatableAtOrBefore(definition.steps, record.currentStep);
    const now = this.deps.clock.now();
    if (index < 0) {
      const next = finished(record, SagaState.COMPENSATED, now);
      const reason = record.failureReason ?? 'compensated';
      return this.commit(definition, record, next, undefined, undefined, async (tx) => {
        const { options } = definition;
        if (options.onCompensated) await runHook('onCompensated', () => options.onCompensated!(tx, next.data, reason));
      });
    }
    const step = definition.steps[index] as CompensatableStep<SagaData>;
    const policy = resolvePolicy(defaultCompensatePolicy, this.deps.policies.compensate, step.compensationPolicy);
    const invokeKey = `${record.id}:${step.name}`;
    // Its own key: a participant caching responses by key alone must not answer the undo with the do's response.
    const key = `${invokeKey}:compensate`;
    const { attempt, started } = await this.beginAttempt(record, step.name, 'compensate', key, policy);

    try {
      await traceStep(record, step.name, 'compensate', attempt.attempt, this.deps.continuesTrace(record.id), () => {
        this.deps.logger.info({ sagaId: record.id, step: step.name, attempt: attempt.attempt }, 'saga step compensating');
        return this.withTimeout(policy, (signal) =>
          step.compensate(record.data, {
            ...this.context(record, step.name, key, attempt.attempt, signal),
            invokeIdempotencyKey: invokeKey,
          }),
        );
      });
    } catch (error) {
      const business = this.isBusinessFailure(definition, error);
      const result: AttemptResult = { outcome: business ? 'business-failure' : 'transient-failure', error };
      if (business) {
        const reason = `compensation of "${step.name}" was refused: ${messageOf(error)}`;
        return this.park(definition, started, reason, attempt, result);
      }
      if (attempt.attempt < policy.maxAttempts) return this.scheduleRetry(definition, started, policy, attempt, result);
      const reason = `compensation of "${step.name}" failed after ${attempt.attempt} attempts: ${messageOf(error)}`;
      return this.park(definition, started, reason, attempt, result);
    }
    const done = this.deps.clock.now();
    const next: SagaRecord = { ...started, currentStep: index - 1, attempt: 0, nextAttemptAt: done, updatedAt: done };
    return this.commit(definition, started, next, attempt, { outcome: 'succeeded' });
  }

  /**
   * Records the attempt as started and stretches the lease over its whole timeout, in one transaction, before any
   * call leaves the process. If we die during the call, the lease runs out and another process repeats the attempt.
   */
  private async beginAttempt(
    record: SagaRecord,
    step: string,
    action: StepAction,
    idempotencyKey: string,
    policy: StepPolicy,
  ): Promise<{ attempt: OpenAttempt; started: SagaRecord }> {
    const now = this.deps.clock.now();
    const started: SagaRecord = {
      ...record,
      attempt: record.attempt + 1,
      leaseUntil: now + policy.timeoutMs + this.deps.leaseMs,
      updatedAt: now,
    };
    const entry = { sagaId: record.id, stepName: step, action, attempt: started.attempt, idempotencyKey };
    const logId = await this.deps.db.transaction(async (tx) => {
      await this.deps.store.save(tx, started);
      return this.deps.store.logAttemptStarted(tx, entry, now);
    });
    const attempt: OpenAttempt = { logId, step, action, attempt: started.attempt, idempotencyKey, startedAt: now };
    this.deps.events.emit('stepStarted', this.stepEvent(record, attempt));
    return { attempt, started };
  }

  private beginCompensation(
    definition: AnyDefinition,
    record: SagaRecord,
    fromIndex: number,
    reason: string,
    attempt: OpenAttempt,
    result: AttemptResult,
  ): Promise<SagaRecord> {
    const now = this.deps.clock.now();
    const next: SagaRecord = {
      ...record,
      state: SagaState.COMPENSATING,
      currentStep: fromIndex,
      attempt: 0,
      nextAttemptAt: now,
      failureReason: reason,
      updatedAt: now,
    };
    return this.commit(definition, record, next, attempt, result, undefined, reason);
  }

  /** Persists the backoff and lets go of the instance; whichever process is polling when it is due picks it up. */
  private scheduleRetry(
    definition: AnyDefinition,
    record: SagaRecord,
    policy: StepPolicy,
    attempt: OpenAttempt,
    result: AttemptResult,
  ): Promise<SagaRecord> {
    const now = this.deps.clock.now();
    const delayMs = retryAfterOf(result.error) ?? policy.backoff(attempt.attempt, 0, this.deps.random);
    const next: SagaRecord = {
      ...record,
      nextAttemptAt: now + Math.max(0, delayMs),
      leaseOwner: null,
      leaseUntil: null,
      updatedAt: now,
    };
    return this.commit(definition, record, next, attempt, result);
  }

  /** NEEDS_ATTENTION: stops, remembering why and where to go back to on a manual retry. */
  private async park(
    definition: AnyDefinition | undefined,
    record: SagaRecord,
    reason: string,
    attempt?: OpenAttempt,
    result?: AttemptResult,
  ): Promise<SagaRecord> {
    const now = this.deps.clock.now();
    const next: SagaRecord = {
      ...finished(record, SagaState.NEEDS_ATTENTION, now),
      attentionReason: reason,
      attentionFrom: record.state === SagaState.COMPENSATING ? SagaState.COMPENSATING : SagaState.RUNNING,
    };
    const options = definition?.options;
    // A failing onNeedsAttention hook is not caught here: the error reaches runDue, which logs it, and the instance
    // is tried again when its lease expires.
    await this.persist(next, attempt, result, async (tx) => {
      await options?.onNeedsAttention?.(tx, next.data, reason);
    });
    this.deps.logger.warn({ sagaId: record.id, saga: record.sagaName, reason }, 'saga needs attention');
    this.report(record, next, attempt, result, reason);
    return next;
  }

  /**
   * Persists a transition with its hooks in one transaction, then reports it. A hook that throws rolls everything
   * back and parks the saga instead: the domain events it would have written must never be half there.
   */
  private async commit(
    definition: AnyDefinition,
    record: SagaRecord,
    next: SagaRecord,
    attempt: OpenAttempt | undefined,
    result: AttemptResult | undefined,
    hooks?: (tx: Queryable) => Promise<void>,
    reason?: string,
  ): Promise<SagaRecord> {
    try {
      await this.persist(next, attempt, result, hooks);
    } catch (error) {
      if (!(error instanceof HookFailedError)) throw error;
      return this.park(definition, record, error.message, attempt, { outcome: 'error', error: error.cause });
    }
    this.report(record, next, attempt, result, reason);
    return next;
  }

  private persist(
    next: SagaRecord,
    attempt: OpenAttempt | undefined,
    result: AttemptResult | undefined,
    hooks?: (tx: Queryable) => Promise<void>,
  ): Promise<void> {
    return this.deps.db.transaction(async (tx) => {
      // The fenced save goes first so a process that lost its lease never runs hooks.
      await this.deps.store.save(tx, next);
      if (attempt && result) {
        const error = result.error === undefined ? null : messageOf(result.error);
        await this.deps.store.logAttemptFinished(tx, attempt.logId, result.outcome, error, next.updatedAt);
      }
      await hooks?.(tx);
    });
  }

  private report(
    record: SagaRecord,
    next: SagaRecord,
    attempt: OpenAttempt | undefined,
    result: AttemptResult | undefined,
    reason: string | undefined,
  ): void {
    const { events } = this.deps;
    if (attempt && result) {
      const base = { ...this.stepEvent(record, attempt), durationMs: next.updatedAt - attempt.startedAt };
      if (result.outcome === 'succeeded') events.emit('stepSucceeded', base);
      else {
        const retrying = next.state === record.state && next.leaseOwner === null && next.nextAttemptAt !== null;
        events.emit('stepFailed', {
          ...base,
          error: result.error,
          business: result.outcome === 'business-failure',
          ...(retrying ? { retryAt: new Date(next.nextAttemptAt!).toISOString() } : {}),
        });
      }
    }
    if (next.state !== record.state) {
      const changeReason =
        reason ?? next.attentionReason ?? (next.state === SagaState.COMPENSATED ? record.failureReason : null);
      events.emit('stateChanged', {
        sagaId: record.id,
        sagaName: record.sagaName,
        from: record.state,
        to: next.state,
        ...(changeReason ? { reason: changeReason } : {}),
      });
    }
  }

  private withTimeout<T>(policy: StepPolicy, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return new TimeoutPolicy(policy.timeoutMs, { clock: this.deps.clock }).execute(work);
  }

  private context(
    record: SagaRecord,
    stepName: string,
    idempotencyKey: string,
    attempt: number,
    signal: AbortSignal,
  ): StepContext {
    return { sagaId: record.id, stepName, idempotencyKey, attempt, signal, logger: this.deps.logger };
  }

  private isBusinessFailure(definition: AnyDefinition, error: unknown): boolean {
    const classify = definition.options.isBusinessFailure ?? this.deps.isBusinessFailure;
    try {
      return classify(error);
    } catch {
      return false; // a classifier bug must not turn a retry into a rollback
    }
  }

  private stepEvent(record: SagaRecord, attempt: OpenAttempt) {
    return {
      sagaId: record.id,
      sagaName: record.sagaName,
      step: attempt.step,
      action: attempt.action,
      attempt: attempt.attempt,
      idempotencyKey: attempt.idempotencyKey,
    };
  }
}

/** A terminal (or parked) record: no more work is due and the lease is released. */
function finished(record: SagaRecord, state: SagaState, now: number): SagaRecord {
  return { ...record, state, nextAttemptAt: null, leaseOwner: null, leaseUntil: null, updatedAt: now };
}

function lastCompensatableAtOrBefore(steps: readonly SagaStep<SagaData>[], from: number): number {
  for (let index = Math.min(from, steps.length - 1); index >= 0; index--) {
    if (steps[index]!.kind === 'compensatable') return index;
  }
  return -1;
}

async function runHook(name: string, hook: () => Promise<void>): Promise<void> {
  try {
    await hook();
  } catch (error) {
    throw new HookFailedError(name, error);
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
