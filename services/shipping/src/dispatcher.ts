/**
 * The background loop around `runDispatchPass`, on the shared PollingLoop: a pass at start (catching up on whatever
 * fell due while the process was down), passes back to back while they come back full, then one every poll interval. Its timers only ever trigger a database query — the schedule itself lives
 * in `next_transition_at` — so a restart, a crash or a second replica loses nothing and moves nothing twice.
 */
import type { Clock } from '@shop/clock';
import { PollingLoop } from '@shop/resilience';
import { runDispatchPass, type DispatchPassOptions } from './dispatch-pass';

export interface DispatcherLogger {
  info(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

export interface DispatcherOptions extends DispatchPassOptions {
  /** Must read wall-clock epoch ms: times are persisted and compared after restarts. */
  readonly clock: Clock;
  readonly pollIntervalMs: number;
  readonly logger?: DispatcherLogger;
  /** Called after a pass that wrote events commits (the outbox relay's `wake`). */
  readonly onEventsCommitted?: () => void;
}

export class Dispatcher {
  private readonly loop: PollingLoop;

  constructor(private readonly options: DispatcherOptions) {
    this.loop = new PollingLoop({
      clock: options.clock,
      pollIntervalMs: options.pollIntervalMs,
      runPass: async () => ((await this.runPass()) >= options.batchSize ? 'more' : 'idle'),
      onError: (error) => options.logger?.error({ err: error }, 'dispatcher pass failed; trying again next interval'),
    });
  }

  start(): void {
    this.loop.start();
  }

  /** Stops polling and waits for a pass in progress, so its transaction is committed or rolled back. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** `stop()` under the name `runService` closes resources by. */
  close(): Promise<void> {
    return this.stop();
  }

  /** Moves everything due now, batch after batch; resolves with how many shipments moved. */
  async runDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const moved = await this.runPass();
      total += moved;
      if (moved < this.options.batchSize) return total;
    }
  }

  private async runPass(): Promise<number> {
    const moved = await runDispatchPass(this.options, this.options.clock.now());
    if (moved > 0) {
      this.options.onEventsCommitted?.();
      this.options.logger?.info({ moved }, 'dispatcher: shipments moved on');
    }
    return moved;
  }
}
