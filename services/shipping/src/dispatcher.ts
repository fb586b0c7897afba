/**
 * The background loop around `runDispatchPass`: a pass at start (catching up on whatever fell due while the process
 * was down), then one every poll interval. Its timers only ever trigger a database query — the schedule itself lives
 * in `next_transition_at` — so a restart, a crash or a second replica loses nothing and moves nothing twice.
 */
import type { Clock, TimerHandle } from '@shop/resilience';
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
  private running = false;
  /** Set by stop(): a pass in progress finishes its batch but starts no more. */
  private stopping = false;
  private timer: TimerHandle | undefined;
  private pass: Promise<void> | undefined;

  constructor(private readonly options: DispatcherOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    this.runNow();
  }

  /** Stops polling and waits for a pass in progress, so its transaction is committed or rolled back. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.pass;
  }

  /** `stop()` under the name `runService` closes resources by. */
  close(): Promise<void> {
    return this.stop();
  }

  /** Moves everything due now, batch after batch; resolves with how many shipments moved. */
  async runDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const moved = await runDispatchPass(this.options, this.options.clock.now());
      total += moved;
      if (moved > 0) this.options.onEventsCommitted?.();
      if (moved < this.options.batchSize || this.stopping) return total;
    }
  }

  private runNow(): void {
    this.timer = undefined;
    this.pass = this.runDue()
      .then((moved) => {
        if (moved > 0) this.options.logger?.info({ moved }, 'dispatcher: shipments moved on');
      })
      .catch((error: unknown) => {
        this.options.logger?.error({ err: error }, 'dispatcher pass failed; trying again next interval');
      })
      .finally(() => {
        this.pass = undefined;
        if (this.running) this.timer = this.options.clock.setTimeout(() => this.runNow(), this.options.pollIntervalMs);
      });
  }
}
