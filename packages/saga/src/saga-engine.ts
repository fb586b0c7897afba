/**
 * The engine: starts saga instances, finds the ones that are due, claims each with a lease and runs it, and exposes
 * what the order service needs around that (inspection, manual retry, counts for metrics, events for tracing).
 */
import { systemClock, type Clock } from '@shop/clock';
import { currentTraceContext, StartedHere, traceIdOf } from './saga-tracing';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Database, Queryable } from '@shop/db';
import type { Unsubscribe } from '@shop/resilience';
import type { SagaData, SagaDefinition } from './define-saga';
import { SagaNotFoundError, SagaNotRetryableError, UnknownSagaError } from './errors';
import { SagaEvents, type SagaEventName, type SagaListener } from './saga-events';
import { silentLogger, type SagaLogger } from './saga-logger';
import { SagaRunner } from './saga-runner';
import { SagaScheduler } from './saga-scheduler';
import { allSagaStates, SagaState, type ActiveSagaState } from './saga-state';
import { LeaseLostError, SagaStore, type SagaRecord, type StepAction, type StepOutcome } from './saga-store';
import type { SagaPolicies } from './step-policy';

export interface SagaEngineOptions {
  readonly db: Database;
  readonly definitions: readonly SagaDefinition<SagaData>[];
  /** Must read wall-clock epoch ms (times are persisted). Default: Date.now and real timers. */
  readonly clock?: Clock;
  /** Names this process in `lease_owner`. Default: `hostname:pid:random`. */
  readonly owner?: string;
  /** How long a claim lasts beyond the running attempt's timeout; a dead process's sagas resume after it. Default 30 s. */
  readonly leaseMs?: number;
  /** How often the worker looks for sagas nobody announced (retries, expired leases, other processes'). Default 1 s. */
  readonly pollIntervalMs?: number;
  /** Most sagas one `runDue()` pass runs. Default 50. */
  readonly batchSize?: number;
  /** Sagas run at once by one process: the worker's slots. Default 4. */
  readonly concurrency?: number;
  readonly logger?: SagaLogger;
  readonly policies?: SagaPolicies;
  /** Used for definitions without their own classifier. Default: nothing is a business failure. */
  readonly isBusinessFailure?: (error: unknown) => boolean;
  /** Randomness for backoff jitter. Default Math.random. */
  readonly random?: () => number;
}

export interface StepLogEntry {
  readonly step: string;
  readonly action: StepAction;
  readonly attempt: number;
  readonly idempotencyKey: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  /** Missing while the attempt runs, or when its process died before recording it. */
  readonly outcome?: StepOutcome;
  readonly error?: string;
}

/** A saga instance as the API shows it. Times are ISO 8601. */
export interface SagaInstance<TData extends SagaData = SagaData> {
  readonly id: string;
  readonly sagaName: string;
  readonly state: SagaState;
  /** The step being invoked (RUNNING) or next to compensate (COMPENSATING); absent when there is none. */
  readonly currentStep?: string;
  readonly data: TData;
  /** Attempts made at the current step or compensation. */
  readonly attempt: number;
  readonly nextAttemptAt?: string;
  /** Why the saga compensated. */
  readonly failureReason?: string;
  /** Set in NEEDS_ATTENTION: why, and the state `retry()` returns to. */
  readonly attention?: { readonly reason: string; readonly resumesAs: ActiveSagaState };
  readonly lease?: { readonly owner: string; readonly until: string };
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The trace of the request that started the saga (its step spans join it), when it was traced. */
  readonly traceId?: string;
}

export interface SagaInstanceWithLog<TData extends SagaData = SagaData> extends SagaInstance<TData> {
  readonly steps: readonly StepLogEntry[];
}

export interface SagaEngine {
  /**
   * Persists a new instance, due at once. Pass `tx` to create it in the caller's transaction (the order and its
   * saga appear together or not at all); the worker picks it up after commit — call `wake()` then to skip the wait.
   * Starting an id that exists is a no-op (`created: false`), so a retried request cannot start a second saga.
   */
  start<TData extends SagaData>(
    sagaName: string,
    sagaId: string,
    data: TData,
    options?: { tx?: Queryable },
  ): Promise<{ created: boolean }>;
  /** One pass: claims and runs every due instance (up to `batchSize`). Resolves with how many it ran. */
  runDue(): Promise<number>;
  /**
   * Starts the background worker: `concurrency` slots, filled now (resuming what a crash left behind), on `wake()`
   * and whenever a slot frees, plus a tick every `pollIntervalMs` for retries and expired leases. See saga-scheduler.ts.
   */
  startWorker(): void;
  /** Fills the worker's free slots now (no-op when it is not started). */
  wake(): void;
  /** Stops the worker and waits for the sagas it is running. */
  stop(): Promise<void>;
  /** Sagas the worker is running right now (a gauge). */
  sagasInFlight(): number;
  get<TData extends SagaData = SagaData>(sagaId: string): Promise<SagaInstanceWithLog<TData> | undefined>;
  /** NEEDS_ATTENTION → back to RUNNING or COMPENSATING with a fresh attempt budget, due now. */
  retry(sagaId: string): Promise<SagaInstance>;
  /** Oldest first by default; `newestFirst` for "what happened lately" views. */
  list(filter?: { state?: SagaState; limit?: number; newestFirst?: boolean }): Promise<SagaInstance[]>;
  /** Instances per state, every state present (zero included) — for a gauge. */
  countByState(): Promise<Record<SagaState, number>>;
  on<E extends SagaEventName>(event: E, listener: SagaListener<E>): Unsubscribe;
}

export function createSagaEngine(options: SagaEngineOptions): SagaEngine {
  const clock = options.clock ?? systemClock;
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? 30_000;
  const batchSize = options.batchSize ?? 50;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const logger = options.logger ?? silentLogger;
  const { db } = options;

  const definitions = new Map<string, SagaDefinition<SagaData>>();
  for (const definition of options.definitions) {
    if (definitions.has(definition.name)) throw new Error(`Two saga definitions are named "${definition.name}"`);
    definitions.set(definition.name, definition);
  }
  const store = new SagaStore(db, owner);
  const events = new SagaEvents(logger);
  const startedHere = new StartedHere();
  const runner = new SagaRunner({
    db,
    store,
    definitions,
    clock,
    owner,
    leaseMs,
    logger,
    events,
    policies: options.policies ?? {},
    isBusinessFailure: options.isBusinessFailure ?? (() => false),
    random: options.random ?? Math.random,
    continuesTrace: (sagaId) => startedHere.has(sagaId),
  });

  /** Runs a claimed saga until it lets go of its lease; never rejects (the lease is what recovers a failed run). */
  async function runClaimed(claimed: SagaRecord): Promise<void> {
    const claimedAt = clock.now();
    try {
      await runner.run(claimed);
    } catch (error) {
      if (error instanceof LeaseLostError) {
        // We stalled past our lease and another process took over; its writes win, ours were refused.
        logger.warn({ sagaId: claimed.id }, 'saga lease lost to another process; stopped running it here');
      } else {
        // Typically the database went away mid-run. Nothing to undo: the lease runs out and the saga resumes.
        logger.error({ err: error, sagaId: claimed.id }, 'saga run interrupted; it resumes when its lease expires');
      }
    } finally {
      events.emit('released', { sagaId: claimed.id, sagaName: claimed.sagaName, ranForMs: clock.now() - claimedAt });
    }
  }

  const claimDue = (limit: number, excluding: readonly string[]): Promise<SagaRecord[]> => {
    const now = clock.now();
    return store.claimDue(now, now + leaseMs, limit, excluding);
  };

  /**
   * One pass for callers that drive the engine themselves (tests, scripts): `concurrency` lanes each claim and run
   * one due saga at a time until none is left or `batchSize` ran. Each saga runs at most once per pass, so one that is
   * due again at once (a zero backoff) waits for the next pass.
   */
  async function runDue(): Promise<number> {
    const ran = new Set<string>();
    const lane = async (): Promise<void> => {
      while (ran.size < batchSize) {
        const [claimed] = await claimDue(1, [...ran]);
        if (!claimed) return;
        ran.add(claimed.id);
        await runClaimed(claimed);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
    return ran.size;
  }

  const scheduler = new SagaScheduler({
    clock,
    slots: concurrency,
    pollIntervalMs: options.pollIntervalMs ?? 1_000,
    claim: claimDue,
    run: runClaimed,
    onClaimError: (error) => logger.error({ err: error }, 'saga worker could not claim due sagas; trying again'),
  });

  return {
    async start(sagaName, sagaId, data, startOptions) {
      if (!definitions.has(sagaName)) throw new UnknownSagaError(sagaName);
      const created = await store.insert(
        startOptions?.tx ?? db,
        sagaId,
        sagaName,
        data,
        clock.now(),
        currentTraceContext(),
      );
      if (created) {
        startedHere.add(sagaId);
        events.emit('stateChanged', { sagaId, sagaName, from: undefined, to: SagaState.RUNNING });
        // Inside a caller's transaction the row is invisible to the worker until commit; the caller wakes it then.
        if (!startOptions?.tx) scheduler.wake();
      }
      return { created };
    },
    runDue,
    startWorker: () => scheduler.start(),
    wake: () => scheduler.wake(),
    stop: () => scheduler.stop(),
    sagasInFlight: () => scheduler.sagasInFlight,
    async get<TData extends SagaData>(sagaId: string) {
      const found = await store.getWithLog(sagaId);
      if (!found) return undefined;
      const { record, log } = found;
      return {
        ...toInstance(record, definitions.get(record.sagaName)),
        data: record.data as TData,
        steps: log.map((entry) => ({
          step: entry.stepName,
          action: entry.action,
          attempt: entry.attempt,
          idempotencyKey: entry.idempotencyKey,
          startedAt: iso(entry.startedAt),
          ...(entry.finishedAt !== null ? { finishedAt: iso(entry.finishedAt) } : {}),
          ...(entry.outcome !== null ? { outcome: entry.outcome } : {}),
          ...(entry.error !== null ? { error: entry.error } : {}),
        })),
      };
    },
    async retry(sagaId) {
      // Back to due and the definition's onResumed hook in one transaction, as every other state change.
      const requeued = await db.transaction(async (tx) => {
        const record = await store.requeueFromAttention(tx, sagaId, clock.now());
        if (record) await definitions.get(record.sagaName)?.options.onResumed?.(tx, record.data);
        return record;
      });
      if (!requeued) {
        const existing = await store.get(sagaId);
        if (!existing) throw new SagaNotFoundError(sagaId);
        throw new SagaNotRetryableError(sagaId, existing.state);
      }
      logger.info({ sagaId, resumesAs: requeued.state }, 'saga retried by hand');
      events.emit('stateChanged', {
        sagaId,
        sagaName: requeued.sagaName,
        from: SagaState.NEEDS_ATTENTION,
        to: requeued.state,
        reason: 'manual retry',
      });
      scheduler.wake();
      return toInstance(requeued, definitions.get(requeued.sagaName));
    },
    async list(filter = {}) {
      const records = await store.list(filter.state, filter.limit ?? 100, filter.newestFirst ?? false);
      return records.map((record) => toInstance(record, definitions.get(record.sagaName)));
    },
    async countByState() {
      const counts = await store.countByState();
      return Object.fromEntries(allSagaStates.map((state) => [state, counts.get(state) ?? 0])) as Record<
        SagaState,
        number
      >;
    },
    on: (event, listener) => events.on(event, listener),
  };
}

function toInstance(record: SagaRecord, definition: SagaDefinition<SagaData> | undefined): SagaInstance {
  const step = definition?.steps[record.currentStep]?.name;
  const showsStep = record.state !== SagaState.COMPLETED && record.state !== SagaState.COMPENSATED;
  return {
    id: record.id,
    sagaName: record.sagaName,
    state: record.state,
    ...(showsStep && step ? { currentStep: step } : {}),
    data: record.data,
    attempt: record.attempt,
    ...(record.nextAttemptAt !== null ? { nextAttemptAt: iso(record.nextAttemptAt) } : {}),
    ...(record.failureReason ? { failureReason: record.failureReason } : {}),
    ...(record.attentionReason && record.attentionFrom
      ? { attention: { reason: record.attentionReason, resumesAs: record.attentionFrom } }
      : {}),
    ...(record.leaseOwner && record.leaseUntil !== null
      ? { lease: { owner: record.leaseOwner, until: iso(record.leaseUntil) } }
      : {}),
    createdAt: iso(record.createdAt),
    updatedAt: iso(record.updatedAt),
    ...traceIdOf(record.traceContext),
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();
