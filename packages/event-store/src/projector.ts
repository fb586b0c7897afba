/**
 * Runs an asynchronous projection: reads the log after its checkpoint, applies a batch and moves the checkpoint in
 * one transaction, on the shared PollingLoop: batches back to back while they come back full, then a wait until woken
 * (an append through the store) or until the poll interval passes (appends from other processes, or through a
 * transaction the store did not open).
 */
import { systemClock, type Clock } from '@shop/clock';
import { PollingLoop } from '@shop/resilience';
import { lockCheckpoint, saveCheckpoint } from './checkpoints';
import type { EventStore } from './event-store';
import { positionOf } from './events';
import type { Projection } from './projection';

export interface ProjectorOptions {
  /** Events per transaction. Default 500. */
  batchSize?: number;
  /** Upper bound on the lag when no in-process wake-up arrives. Default 1000 ms. */
  pollIntervalMs?: number;
  /** Timers for the poll; a FakeClock in tests. Default: the system clock. */
  clock?: Clock;
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
  let unsubscribe: (() => void) | undefined;

  async function processBatch(): Promise<number> {
    const count = await store.db.transaction(async (tx) => {
      const checkpoint = await lockCheckpoint(tx, projection.name);
      const events = await store.readAll({ after: checkpoint, limit: batchSize, tx });
      for (const event of events) await projection.handle(tx, event);
      if (events.length > 0) await saveCheckpoint(tx, projection.name, positionOf(events.at(-1)!));
      return events.length;
    });
    if (count > 0) options.onBatch?.(count);
    return count;
  }

  async function catchUp(): Promise<number> {
    let total = 0;
    for (;;) {
      const count = await processBatch();
      total += count;
      if (count < batchSize) return total;
    }
  }

  // The checkpoint is the loop's state: a failed batch rolled back with it, so the next pass simply reads again.
  const loop = new PollingLoop({
    clock: options.clock ?? systemClock,
    pollIntervalMs,
    runPass: async () => ((await processBatch()) === batchSize ? 'more' : 'idle'),
    onError: (error) => options.onError?.(error),
  });
  const wake = (): void => loop.wake();

  return {
    processBatch,
    catchUp,
    wake,
    start() {
      if (loop.isRunning) return;
      unsubscribe = store.onCommitted(wake);
      loop.start();
    },
    async stop() {
      unsubscribe?.();
      unsubscribe = undefined;
      await loop.stop();
    },
  };
}
