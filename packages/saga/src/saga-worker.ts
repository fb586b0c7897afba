/**
 * The background loop: a pass at start-up (resuming whatever a crash left behind), then one every poll interval.
 * Timers come from the injected clock, and only ever trigger a database query: the schedule of the sagas themselves
 * lives in `next_attempt_at`, so nothing is lost when the process stops.
 */
import type { Clock, TimerHandle } from '@shop/resilience';
import type { SagaLogger } from './saga-logger';

export interface SagaWorkerOptions {
  readonly clock: Clock;
  readonly pollIntervalMs: number;
  readonly batchSize: number;
  readonly logger: SagaLogger;
  /** One pass; resolves with how many sagas it ran. */
  readonly runPass: () => Promise<number>;
}

export class SagaWorker {
  private running = false;
  private timer: TimerHandle | undefined;
  private pass: Promise<void> | undefined;
  private wokenDuringPass = false;

  constructor(private readonly options: SagaWorkerOptions) {}

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.runNow();
  }

  wake(): void {
    if (!this.running) return;
    if (this.pass) this.wokenDuringPass = true;
    else this.runNow();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.clearTimer();
    await this.pass;
  }

  private runNow(): void {
    this.clearTimer();
    this.pass = this.drain().finally(() => {
      this.pass = undefined;
      if (!this.running) return;
      if (this.wokenDuringPass) {
        this.wokenDuringPass = false;
        this.runNow();
      } else {
        this.timer = this.options.clock.setTimeout(() => this.runNow(), this.options.pollIntervalMs);
      }
    });
  }

  /** Passes back to back while they come back full, so a backlog does not wait a poll interval per batch. */
  private async drain(): Promise<void> {
    try {
      while (this.running && (await this.options.runPass()) >= this.options.batchSize) {
        // keep going
      }
    } catch (error) {
      this.options.logger.error({ err: error }, 'saga worker pass failed; trying again next interval');
    }
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
