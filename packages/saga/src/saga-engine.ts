/**
 * The engine: starts saga instances, finds the ones that are due, claims each with a lease and runs it, and exposes
 * what the order service needs around that (inspection, manual retry, counts for metrics, events for tracing).
 */
import { systemClock, type Clock } from '@shop/clock';
import { currentTraceContext, StartedHere, traceIdOf } from './saga-tracing';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Database, Queryable } from '@shop/db';
import { PollingLoop, type Unsubscribe } from '@shop/resilience';
import type { SagaData, SagaDefinition } from './define-saga';
import { SagaNotFoundError, SagaNotRetryableError, UnknownSagaError } from './errors';
import { SagaEvents, type SagaEventName, type SagaListener } from './saga-events';
import { silentLogger, type SagaLogger } from './saga-logger';
import { SagaRunner } from './saga-runner';
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
  /** How often the worker looks for due sagas. Default 1 s. */
  readonly pollIntervalMs?: number;
  /** Due sagas fetched per pass. Default 50. */
  readonly batchSize?: number;
  /** Sagas run at once by one process. Default 4. */
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
  /** Runs passes now and every `pollIntervalMs` until `stop()` — the first pass resumes what a crash left behind. */
  startWorker(): void;
  /** Asks the worker for a pass now (no-op when it is not started). */
  wake(): void;
  /** Stops the worker and waits for the pass in progress. */
  stop(): Promise<void>;
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

  async function runOne(id: string): Promise<boolean> {
    const now = clock.now();
    const claimed = await store.claim(id, now, now + leaseMs);
    if (!claimed) return false; // another process got there first, or it is no longer due
    try {
      await runner.run(claimed);
    } catch (error) {
      if (error instanceof LeaseLostError) {
        // We stalled past our lease and another process took over; its writes win, ours were refused.
        logger.warn({ sagaId: id }, 'saga lease lost to another process; stopped running it here');
      } else {
        // Typically the database went away mid-run. Nothing to undo: the lease runs out and the saga resumes.
        logger.error({ err: error, sagaId: id }, 'saga run interrupted; it resumes when its lease expires');
      }
    }
    return true;
  }

  /**
   * Runs the sagas that are due, `concurrency` at a time. With `refillWhile`, a lane that finishes looks at the table
   * again for sagas that became due meanwhile (orders placed during the pass) instead of idling until the next
   * pass — without it a burst of new sagas waited for the slowest saga of the current batch.
   */
  async function runDue(refillWhile?: () => boolean): Promise<number> {
    const queue = await store.findDue(clock.now(), batchSize);
    const taken = new Set<string>(queue);
    let refilling: Promise<void> | undefined;
    let ran = 0;
    const next = async (): Promise<string | undefined> => {
      if (queue.length === 0 && refillWhile?.()) {
        refilling ??= store
          .findDue(clock.now(), batchSize)
          .then((ids) => {
            for (const id of ids) {
              if (taken.has(id)) continue;
              taken.add(id);
              queue.push(id);
            }
          })
          .finally(() => (refilling = undefined));
        await refilling;
      }
      return queue.shift();
    };
    const lanes = Array.from({ length: concurrency }, async () => {
      for (let id = await next(); id !== undefined; id = await next()) {
        // Each saga runs at most once per pass: one that failed and is due again at once (a short backoff, an open
        // circuit's retry-after of zero) waits for the next pass instead of spinning against the database.
        if (await runOne(id)) ran++;
      }
    });
    await Promise.all(lanes);
    return ran;
  }

  // Backoff lives in each saga's `next_attempt_at`, so the loop itself only polls: a failed pass (the database is
  // away) is logged and tried again at the next poll or wake.
  const worker: PollingLoop = new PollingLoop({
    clock,
    pollIntervalMs: options.pollIntervalMs ?? 1_000,
    runPass: async () => ((await runDue(() => worker.isRunning)) >= batchSize ? 'more' : 'idle'),
    onError: (error) => logger.error({ err: error }, 'saga worker pass failed; trying again next interval'),
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
        if (!startOptions?.tx) worker.wake();
      }
      return { created };
    },
    runDue: () => runDue(),
    startWorker: () => worker.start(),
    wake: () => worker.wake(),
    stop: () => worker.stop(),
    async get<TData extends SagaData>(sagaId: string) {
      const record = await store.get(sagaId);
      if (!record) return undefined;
      const log = await store.stepLog(sagaId);
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
      worker.wake();
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
