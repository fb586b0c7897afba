/**
 * Runs one claimed saga instance: invoke the current step (or compensate), ask `nextTransition` what comes next,
 * persist that and report it, and repeat until the saga finishes, waits for a backoff, or is parked. Every attempt is persisted before it
 * starts and after it ends, so a process may die at any point and another resumes from the last committed row.
 */
import type { Clock } from '@shop/clock';
import { traceStep } from './saga-tracing';
import type { Database, Queryable } from '@shop/db';
import { retryAfterOf, TimeoutPolicy } from '@shop/resilience';
import type { AnyStep, CompensatableStep, SagaData, SagaDefinition, StepContext, StepOutput } from './define-saga';
import type { SagaEvents } from './saga-events';
import type { SagaLogger } from './saga-logger';
import { SagaState } from './saga-state';
import type { SagaRecord, SagaStore, StepAction, StepOutcome } from './saga-store';
import { nextTransition, type AttemptVerdict, type SagaTransition } from './saga-transition';
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

interface CallResult<T> {
  readonly result: AttemptResult;
  /** What the call returned, when it succeeded. */
  readonly value?: T;
}

/** Everything known once an attempt has returned or thrown: what `apply` needs to build the next record. */
interface FinishedAttempt {
  readonly definition: AnyDefinition;
  readonly step: AnyStep;
  readonly index: number;
  /** The record as the attempt started it (attempt counted, lease stretched). */
  readonly record: SagaRecord;
  readonly attempt: OpenAttempt;
  readonly policy: StepPolicy;
  readonly result: AttemptResult;
  /** What a successful invoke returned, to merge into the data. */
  readonly patch?: StepOutput;
}

/** One state change to persist and report: the record before and after, the attempt it closes, its hooks. */
interface Change {
  readonly from: SagaRecord;
  readonly to: SagaRecord;
  readonly attempt?: OpenAttempt;
  readonly result?: AttemptResult;
  /** Run inside the transaction that persists `to`; a HookFailedError rolls it back and parks the saga. */
  readonly hooks?: (tx: Queryable) => Promise<void>;
  /** Why the state changes, when the new record does not say it already. */
  readonly reason?: string;
  /** The next step's attempt, recorded as started in the same transaction (see completeStep). */
  readonly startsNext?: NextAttempt;
}

/** An invoke attempt to open together with the outcome of the step before it. */
interface NextAttempt {
  readonly step: string;
  readonly idempotencyKey: string;
}

interface Parking {
  readonly definition: AnyDefinition | undefined;
  readonly from: SagaRecord;
  readonly reason: string;
  readonly attempt?: OpenAttempt;
  readonly result?: AttemptResult;
}

function verdictOf(result: AttemptResult): AttemptVerdict {
  if (result.outcome === 'succeeded') return { outcome: 'succeeded' };
  const outcome = result.outcome === 'business-failure' ? 'business-failure' : 'transient-failure';
  return { outcome, message: messageOf(result.error) };
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
  /**
   * Attempts opened by the transaction that recorded the previous step's outcome, by saga id: the next invoke
   * starts from there instead of opening its own (one transaction per step boundary instead of two).
   */
  private readonly openedWithPrevious = new Map<string, { attempt: OpenAttempt; started: SagaRecord }>();

  constructor(private readonly deps: SagaRunnerDeps) {}

  /** Runs until the instance no longer holds our lease (finished, waiting for a retry, parked, or taken over). */
  async run(claimed: SagaRecord): Promise<void> {
    let record = claimed;
    try {
      while (record.leaseOwner === this.deps.owner) {
        record = await this.advance(record);
      }
    } finally {
      this.openedWithPrevious.delete(claimed.id);
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
      return this.park({ definition, from: record, reason: error.message });
    }
  }

  private async invokeStep(definition: AnyDefinition, record: SagaRecord): Promise<SagaRecord> {
    const index = record.currentStep;
    const step = definition.steps[index];
    if (!step)
      throw new DefinitionMismatchError(
        `saga is at step ${index}, "${definition.name}" has ${definition.steps.length}`,
      );
    const policy = this.invokePolicy(step);
    const key = invokeKey(record.id, step.name);
    const opened = this.openedWithPrevious.get(record.id);
    this.openedWithPrevious.delete(record.id);
    const { attempt, started } =
      opened?.attempt.step === step.name && opened.started === record
        ? opened
        : await this.beginAttempt(record, step.name, 'invoke', key, policy);
    const { result, value: patch } = await this.call(definition, () =>
      traceStep(record, step.name, 'invoke', attempt.attempt, this.deps.continuesTrace(record.id), () => {
        // Logged inside the step's span, so the line carries the same trace_id as the step in the trace viewer.
        this.deps.logger.info({ sagaId: record.id, step: step.name, attempt: attempt.attempt }, 'saga step invoking');
        return this.withTimeout(policy, (signal) =>
          step.invoke(record.data, this.context(record, step.name, key, attempt.attempt, signal)),
        );
      }),
    );
    const isLastStep = index === definition.steps.length - 1;
    const transition = nextTransition({
      action: 'invoke',
      step,
      isLastStep,
      attempt: attempt.attempt,
      maxAttempts: policy.maxAttempts,
      verdict: verdictOf(result),
    });
    return this.apply(transition, { definition, step, index, record: started, attempt, policy, result, patch });
  }

  private async compensateStep(definition: AnyDefinition, record: SagaRecord): Promise<SagaRecord> {
    const index = lastCompensatableAtOrBefore(definition.steps, record.currentStep);
    if (index < 0) return this.finishCompensation(definition, record);
    const step = definition.steps[index] as CompensatableStep<SagaData>;
    const policy = resolvePolicy(defaultCompensatePolicy, this.deps.policies.compensate, step.compensationPolicy);
    const doKey = invokeKey(record.id, step.name);
    // Its own key: a participant caching responses by key alone must not answer the undo with the do's response.
    const key = `${doKey}:compensate`;
    const { attempt, started } = await this.beginAttempt(record, step.name, 'compensate', key, policy);
    const { result } = await this.call(definition, () =>
      traceStep(record, step.name, 'compensate', attempt.attempt, this.deps.continuesTrace(record.id), () => {
        this.deps.logger.info(
          { sagaId: record.id, step: step.name, attempt: attempt.attempt },
          'saga step compensating',
        );
        return this.withTimeout(policy, (signal) =>
          step.compensate(record.data, {
            ...this.context(record, step.name, key, attempt.attempt, signal),
            invokeIdempotencyKey: doKey,
          }),
        );
      }),
    );
    const transition = nextTransition({
      action: 'compensate',
      step,
      isLastStep: false,
      attempt: attempt.attempt,
      maxAttempts: policy.maxAttempts,
      verdict: verdictOf(result),
    });
    return this.apply(transition, { definition, step, index, record: started, attempt, policy, result });
  }

  /** Turns the transition the rules chose into the record to persist, with the hooks that go with it. */
  private apply(transition: SagaTransition, finished: FinishedAttempt): Promise<SagaRecord> {
    const { definition, index, record, attempt, result } = finished;
    const now = this.deps.clock.now();
    switch (transition.type) {
      case 'advance':
      case 'complete':
        return this.completeStep(finished, transition.type === 'complete', now);
      case 'undo-previous': {
        const to: SagaRecord = { ...record, currentStep: index - 1, attempt: 0, nextAttemptAt: now, updatedAt: now };
        return this.commit({ definition, from: record, to, attempt, result });
      }
      case 'retry':
        return this.scheduleRetry(finished, now);
      case 'compensate-before':
        return this.beginCompensation(finished, index - 1, transition.reason, now);
      case 'compensate-including':
        return this.beginCompensation(finished, index, transition.reason, now);
      case 'park':
        return this.park({ definition, from: record, reason: transition.reason, attempt, result });
    }
  }

  /**
   * A step succeeded: record it, run its hooks and — unless it was the last — start the next step's first attempt,
   * all in one transaction. Nothing happens between the two that a crash could cut apart differently: the next
   * attempt is recorded before any call leaves the process, exactly as beginAttempt would record it a moment later.
   */
  private completeStep(finished: FinishedAttempt, isLast: boolean, now: number): Promise<SagaRecord> {
    const { definition, step, index, record, attempt, result, patch } = finished;
    const data = { ...record.data, ...(patch ?? {}) };
    const nextStep = definition.steps[index + 1];
    const startsNext =
      isLast || !nextStep ? undefined : { step: nextStep.name, idempotencyKey: invokeKey(record.id, nextStep.name) };
    const to: SagaRecord = startsNext
      ? {
          ...record,
          data,
          currentStep: index + 1,
          attempt: 1,
          nextAttemptAt: now,
          leaseUntil: now + this.invokePolicy(nextStep!).timeoutMs + this.deps.leaseMs,
          updatedAt: now,
        }
      : { ...finishedRecord(record, SagaState.COMPLETED, now), data, currentStep: index + 1, attempt: 0 };
    const { onCompleted } = definition.options;
    // Without a hook to run, the transition is a single statement and needs no transaction of its own.
    const hasHooks = step.onCompleted !== undefined || (isLast && onCompleted !== undefined);
    return this.commit({
      definition,
      from: record,
      to,
      attempt,
      result,
      ...(startsNext ? { startsNext } : {}),
      ...(hasHooks && {
        hooks: async (tx: Queryable) => {
          if (step.onCompleted) await runHook(`step "${step.name}" onCompleted`, () => step.onCompleted!(tx, data));
          if (isLast && onCompleted) await runHook('onCompleted', () => onCompleted(tx, data));
        },
      }),
    });
  }

  /** Nothing left to undo: COMPENSATED, with the definition's hook in the same transaction. */
  private finishCompensation(definition: AnyDefinition, record: SagaRecord): Promise<SagaRecord> {
    const to = finishedRecord(record, SagaState.COMPENSATED, this.deps.clock.now());
    const reason = record.failureReason ?? 'compensated';
    const { onCompensated } = definition.options;
    return this.commit({
      definition,
      from: record,
      to,
      hooks: async (tx) => {
        if (onCompensated) await runHook('onCompensated', () => onCompensated(tx, to.data, reason));
      },
    });
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
    const leaseUntil = now + policy.timeoutMs + this.deps.leaseMs;
    const started: SagaRecord = {
      ...record,
      attempt: record.attempt + 1,
      leaseUntil,
      updatedAt: now,
    };
    const entry = { stepName: step, action, attempt: started.attempt, idempotencyKey, leaseUntil };
    const logId = (await this.deps.store.saveTransition(this.deps.db, started, { started: entry }))!;
    const attempt: OpenAttempt = { logId, step, action, attempt: started.attempt, idempotencyKey, startedAt: now };
    this.deps.events.emit('stepStarted', this.stepEvent(record, attempt));
    return { attempt, started };
  }

  /** Makes the participant call and sorts its outcome into success, business failure or transient failure. */
  private async call<T>(definition: AnyDefinition, work: () => Promise<T>): Promise<CallResult<T>> {
    try {
      return { result: { outcome: 'succeeded' }, value: await work() };
    } catch (error) {
      const outcome = this.isBusinessFailure(definition, error) ? 'business-failure' : 'transient-failure';
      return { result: { outcome, error } };
    }
  }

  private beginCompensation(
    { definition, record, attempt, result }: FinishedAttempt,
    fromIndex: number,
    reason: string,
    now: number,
  ): Promise<SagaRecord> {
    const to: SagaRecord = {
      ...record,
      state: SagaState.COMPENSATING,
      currentStep: fromIndex,
      attempt: 0,
      nextAttemptAt: now,
      failureReason: reason,
      updatedAt: now,
    };
    return this.commit({ definition, from: record, to, attempt, result, reason });
  }

  /** Persists the backoff and lets go of the instance; whichever process is polling when it is due picks it up. */
  private scheduleRetry({ definition, record, policy, attempt, result }: FinishedAttempt, now: number) {
    const delayMs = retryAfterOf(result.error) ?? policy.backoff(attempt.attempt, 0, this.deps.random);
    const to: SagaRecord = {
      ...record,
      nextAttemptAt: now + Math.max(0, delayMs),
      leaseOwner: null,
      leaseUntil: null,
      updatedAt: now,
    };
    return this.commit({ definition, from: record, to, attempt, result });
  }

  /** NEEDS_ATTENTION: stops, remembering why and where to go back to on a manual retry. */
  private async park(parking: Parking): Promise<SagaRecord> {
    const { definition, from, reason, attempt, result } = parking;
    const to: SagaRecord = {
      ...finishedRecord(from, SagaState.NEEDS_ATTENTION, this.deps.clock.now()),
      attentionReason: reason,
      attentionFrom: from.state === SagaState.COMPENSATING ? SagaState.COMPENSATING : SagaState.RUNNING,
    };
    const onNeedsAttention = definition?.options.onNeedsAttention;
    // A failing onNeedsAttention hook is not caught here: the error reaches runDue, which logs it, and the instance
    // is tried again when its lease expires.
    await this.persist({
      from,
      to,
      attempt,
      result,
      hooks: async (tx) => {
        await onNeedsAttention?.(tx, to.data, reason);
      },
    });
    this.deps.logger.warn({ sagaId: from.id, saga: from.sagaName, reason }, 'saga needs attention');
    this.report({ from, to, attempt, result, reason });
    return to;
  }

  /**
   * Persists a transition with its hooks in one transaction, then reports it. A hook that throws rolls everything
   * back and parks the saga instead: the domain events it would have written must never be half there.
   */
  private async commit(change: Change & { readonly definition: AnyDefinition }): Promise<SagaRecord> {
    let nextLogId: number | undefined;
    try {
      nextLogId = await this.persist(change);
    } catch (error) {
      if (!(error instanceof HookFailedError)) throw error;
      const { definition, from, attempt } = change;
      return this.park({
        definition,
        from,
        reason: error.message,
        attempt,
        result: { outcome: 'error', error: error.cause },
      });
    }
    this.report(change);
    if (change.startsNext && nextLogId !== undefined) {
      const { step, idempotencyKey } = change.startsNext;
      const { to } = change;
      const opened: OpenAttempt = {
        logId: nextLogId,
        step,
        action: 'invoke',
        attempt: to.attempt,
        idempotencyKey,
        startedAt: to.updatedAt,
      };
      this.openedWithPrevious.set(to.id, { attempt: opened, started: to });
      this.deps.events.emit('stepStarted', this.stepEvent(to, opened));
    }
    return change.to;
  }

  /** Resolves with the step log id of the attempt `startsNext` opened, if any. */
  private persist({ to, attempt, result, hooks, startsNext }: Change): Promise<number | undefined> {
    const finished =
      attempt && result
        ? {
            logId: attempt.logId,
            outcome: result.outcome,
            error: result.error === undefined ? null : messageOf(result.error),
          }
        : undefined;
    const started = startsNext && {
      stepName: startsNext.step,
      action: 'invoke' as const,
      attempt: to.attempt,
      idempotencyKey: startsNext.idempotencyKey,
      leaseUntil: to.leaseUntil!,
    };
    const transition = { ...(finished ? { finished } : {}), ...(started ? { started } : {}) };
    if (!hooks) return this.deps.store.saveTransition(this.deps.db, to, transition);
    return this.deps.db.transaction(async (tx) => {
      // The fenced save goes first so a process that lost its lease never runs hooks.
      const startedLogId = await this.deps.store.saveTransition(tx, to, transition);
      await hooks(tx);
      return startedLogId;
    });
  }

  private report({ from, to, attempt, result, reason }: Change): void {
    const { events } = this.deps;
    if (attempt && result) {
      const base = { ...this.stepEvent(from, attempt), durationMs: to.updatedAt - attempt.startedAt };
      if (result.outcome === 'succeeded') events.emit('stepSucceeded', base);
      else {
        const retrying = to.state === from.state && to.leaseOwner === null && to.nextAttemptAt !== null;
        events.emit('stepFailed', {
          ...base,
          error: result.error,
          business: result.outcome === 'business-failure',
          ...(retrying ? { retryAt: new Date(to.nextAttemptAt!).toISOString() } : {}),
        });
      }
    }
    if (to.state !== from.state) {
      const changeReason =
        reason ?? to.attentionReason ?? (to.state === SagaState.COMPENSATED ? from.failureReason : null);
      events.emit('stateChanged', {
        sagaId: from.id,
        sagaName: from.sagaName,
        from: from.state,
        to: to.state,
        ...(changeReason ? { reason: changeReason } : {}),
      });
    }
  }

  private invokePolicy(step: AnyStep): StepPolicy {
    return resolvePolicy(defaultInvokePolicy, this.deps.policies.invoke, step.policy);
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

/** The key a step's invoke sends its participant: the same on every attempt, so a repeat applies nothing twice. */
const invokeKey = (sagaId: string, stepName: string): string => `${sagaId}:${stepName}`;

/** A terminal (or parked) record: no more work is due and the lease is released. */
function finishedRecord(record: SagaRecord, state: SagaState, now: number): SagaRecord {
  return { ...record, state, nextAttemptAt: null, leaseOwner: null, leaseUntil: null, updatedAt: now };
}

function lastCompensatableAtOrBefore(steps: readonly AnyStep[], from: number): number {
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
