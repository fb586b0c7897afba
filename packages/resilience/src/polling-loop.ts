/**
 * The background loop behind the engines (shipping dispatcher, outbox relay, projector): a pass at
 * start — which resumes whatever a crash left behind —, passes back to back while there is more, then a wait for
 * `wake()` or the poll interval. The work itself lives in a table (due sagas, pending outbox rows, the projection's
 * checkpoint), so the loop's timers only ever trigger a query and stopping the process loses nothing.
 */
import type { Clock, TimerHandle } from '@shop/clock';
import type { Backoff } from './backoff';

/** What a pass found: a full batch (`more`: run again at once), nothing left (`idle`), or a failure. */
export type PassResult = 'more' | 'idle' | 'failed';

export interface PollingLoopOptions {
  readonly clock: Clock;
  /** The wait between passes when nobody calls `wake()`: the upper bound on the lag for work from elsewhere. */
  readonly pollIntervalMs: number;
  /** One pass. Throwing counts as `failed`, after `onError` has seen the error. */
  readonly runPass: () => Promise<PassResult>;
  /**
   * Delay before the next pass after n failed passes in a row. With a backoff, a failing loop is retried only by its
   * timer (a `wake()` does not cut the wait short, so callers cannot hammer a dependency that is down); without one,
   * a failure waits for the next poll or wake, like an empty pass.
   */
  readonly backoff?: Backoff;
  /** The least the next try after a failure must wait (an open circuit's retry-after), on top of the backoff. */
  readonly minRetryDelayMs?: () => number | undefined;
  readonly onError?: (error: unknown) => void;
  /** Randomness for the backoff's jitter. Default Math.random. */
  readonly random?: () => number;
}

export class PollingLoop {
  private running = false;
  private timer: TimerHandle | undefined;
  private pass: Promise<void> | undefined;
  private wokenDuringPass = false;
  private failures = 0;
  private lastDelayMs = 0;

  constructor(private readonly options: PollingLoopOptions) {}

  get isRunning(): boolean {
    return this.running;
  }

  /** Starts with a pass now. A no-op when running. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.runNow();
  }

  /** Asks for a pass now (after the one in progress, if any). A no-op when stopped or backing off. */
  wake(): void {
    if (!this.running) return;
    if (this.pass) this.wokenDuringPass = true;
    else if (this.failures === 0 || !this.options.backoff) this.runNow();
  }

  /** Stops: no further pass starts, and this resolves once the pass in progress has finished. */
  async stop(): Promise<void> {
    this.running = false;
    this.clearTimer();
    await this.pass;
  }

  private runNow(): void {
    this.clearTimer();
    this.pass = this.drain().then((failed) => {
      this.pass = undefined;
      if (!this.running) return;
      const rerun = this.wokenDuringPass && !(failed && this.options.backoff);
      this.wokenDuringPass = false;
      if (rerun) return this.runNow();
      this.timer = this.options.clock.setTimeout(() => {
        this.timer = undefined;
        this.runNow();
      }, this.nextDelayMs(failed));
    });
  }

  /** Passes back to back while they find more (or were woken meanwhile); resolves with whether the last one failed. */
  private async drain(): Promise<boolean> {
    for (;;) {
      this.wokenDuringPass = false;
      let result: PassResult;
      try {
        result = await this.options.runPass();
      } catch (error) {
        this.options.onError?.(error);
        result = 'failed';
      }
      if (result === 'failed') return true;
      this.failures = 0;
      this.lastDelayMs = 0;
      if (!this.running || (result === 'idle' && !this.wokenDuringPass)) return false;
    }
  }

  private nextDelayMs(failed: boolean): number {
    const { backoff, pollIntervalMs } = this.options;
    if (!failed || !backoff) return pollIntervalMs;
    this.failures++;
    this.lastDelayMs = backoff(this.failures, this.lastDelayMs, this.options.random ?? Math.random);
    return Math.max(this.lastDelayMs, this.options.minRetryDelayMs?.() ?? 0);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
