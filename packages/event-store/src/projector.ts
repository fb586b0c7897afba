/**
 * Runs an asynchronous projection: reads the log after its checkpoint, applies a batch and moves the checkpoint in
 * one transaction, then sleeps until woken (an append through the store) or until the poll interval passes
 * (appends from other processes, or through a transaction the store did not open).
 */
import { lockCheckpoint, saveCheckpoint } from './checkpoints';
import type { EventStore } from './event-store';
import { positionOf } from './events';
import type { Projection } from './projection';

/** Injected so tests control time; defaults to the global timers. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ProjectorOptions {
  /** Events per transaction. Default 500. */
  batchSize?: number;
  /** Upper bound on the lag when no in-process wake-up arrives. Default 1000 ms. */
  pollIntervalMs?: number;
  timers?: Timers;
  /** A failing batch rolls back (checkpoint included) and is retried on the next wake-up or poll. */
  onError?: (error: unknown) => void;
  /** After each committed, non-empty batch (metrics, tests). */
  onBatch?: (count: number) => void;
}

export interface Projector {
  /** Applies one batch; returns how many events it applied. */
  processBatch(): Promise<number>;
  /** Applies batches until the projection has seen everything readable now; returns the total. */
  catchUp(): Promise<number>;
  start(): void;
  /** Stops the loop and waits for the batch in progress to finish. */
  stop(): Promise<void>;
  wake(): void;
}

export function createProjector(store: EventStore, projection: Projection, options: ProjectorOptions = {}): Projector {
  const batchSize = options.batchSize ?? 500;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const timers: Timers = options.timers ?? {
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  };
  let running: Promise<void> | undefined;
  let stopping = false;
  let wakeRequested = false;
  let wakeUp: (() => void) | undefined;
  let unsubscribe: (() => void) | undefined;

  function processBatch(): Promise<number> {
    return store.db.transaction(async (tx) => {
      const checkpoint = await lockCheckpoint(tx, projection.name);
      const events = await store.readAll({ after: checkpoint, limit: batchSize, tx });
      for (const event of events) await projection.handle(tx, event);
      if (events.length > 0) await saveCheckpoint(tx, projection.name, positionOf(events.at(-1)!));
      return events.length;
    });
  }

  async function catchUp(): Promise<number> {
    let total = 0;
    for (;;) {
      const count = await processBatch();
      total += count;
      if (count > 0) options.onBatch?.(count);
      if (count < batchSize) return total;
    }
  }

  function sleep(): Promise<void> {
    if (wakeRequested || stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = timers.setTimeout(() => wake(), pollIntervalMs);
      wakeUp = () => {
        timers.clearTimeout(timer);
        resolve();
      };
    });
  }

  function wake(): void {
    wakeRequested = true;
    const resolve = wakeUp;
    wakeUp = undefined;
    resolve?.();
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      wakeRequested = false;
      try {
        await catchUp();
      } catch (error) {
        options.onError?.(error);
      }
      await sleep();
    }
  }

  return {
    processBatch,
    catchUp,
    wake,
    start() {
      if (running) return;
      stopping = false;
      unsubscribe = store.onCommitted(wake);
      running = loop();
    },
    async stop() {
      stopping = true;
      unsubscribe?.();
      wake();
      await running;
      running = undefined;
    },
  };
}
