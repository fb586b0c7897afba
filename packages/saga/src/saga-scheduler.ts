/**
 * The worker's scheduler: a fixed number of slots for the life of the worker, each running one saga at a time.
 *
 * A free slot is filled at once — when the worker starts (resuming whatever a crash left behind), when `wake()` says
 * a saga was started or retried, and when a slot frees while more may be waiting — by claiming as many due sagas as
 * there are free slots in one query. The poll timer ticks steadily, independent of wakes, and is only for the work
 * nobody announces: a retry whose backoff ran out, an expired lease of a dead process, a saga started by another
 * process.
 *
 * A claim that found fewer due sagas than it asked for has drained the queue: until a wake or a tick announces more,
 * a slot that frees has nothing to claim, so it does not ask (at one customer that was every other claim).
 *
 * Why slots instead of passes: a pass that starts N lanes and ends when the queue is momentarily empty loses its lanes
 * one by one under trickling load, and the survivor then drains the backlog alone (measured: 0.8–0.9 sagas running
 * on average with 4–7 waiting). A slot never exits; it only waits for work.
 */
import type { Clock, TimerHandle } from '@shop/clock';
import type { SagaRecord } from './saga-store';

export interface SagaSchedulerOptions {
  readonly clock: Clock;
  /** Sagas run at once. */
  readonly slots: number;
  /** The tick that picks up retries, expired leases and other processes' sagas. */
  readonly pollIntervalMs: number;
  /** Leases up to `limit` due sagas, none of `excluding`. */
  readonly claim: (limit: number, excluding: readonly string[]) => Promise<SagaRecord[]>;
  /** Runs a claimed saga until it releases its lease. Must not reject. */
  readonly run: (record: SagaRecord) => Promise<void>;
  /** A claim failed (the database is away): the next tick or wake tries again. */
  readonly onClaimError: (error: unknown) => void;
}

export class SagaScheduler {
  private running = false;
  private tickTimer: TimerHandle | undefined;
  private readonly inFlight = new Map<string, Promise<void>>();
  /**
   * Sagas released since the last tick. A saga due again the moment it is released (a zero backoff, a circuit's
   * retry-after of zero) waits for the next tick instead of spinning through its slot against the database.
   */
  private readonly resting = new Set<string>();
  private filling: Promise<void> | undefined;
  private fillAgain = false;
  /** The last claim found fewer due sagas than free slots; a wake or a tick clears it. */
  private drained = false;

  constructor(private readonly options: SagaSchedulerOptions) {}

  /** Sagas holding a slot right now. */
  get sagasInFlight(): number {
    return this.inFlight.size;
  }

  /** Fills the slots now and starts the tick. A no-op when running. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.tick();
  }

  /** Fills free slots now (after the claim in progress, if any). A no-op when stopped. */
  wake(): void {
    this.drained = false;
    this.fill();
  }

  /** No slot is filled after this; resolves once the claim and the sagas in progress have finished. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.tickTimer !== undefined) this.options.clock.clearTimeout(this.tickTimer);
    this.tickTimer = undefined;
    await this.filling;
    await Promise.all(this.inFlight.values());
  }

  private tick(): void {
    this.resting.clear();
    this.drained = false;
    this.fill();
    this.tickTimer = this.options.clock.setTimeout(() => this.tick(), this.options.pollIntervalMs);
  }

  /** One claim at a time: a wake during a claim asks for another right after it. */
  private fill(): void {
    if (!this.running) return;
    if (this.filling) {
      this.fillAgain = true;
      return;
    }
    this.filling = this.claimIntoFreeSlots().finally(() => {
      this.filling = undefined;
      if (this.fillAgain) this.fill();
    });
  }

  private async claimIntoFreeSlots(): Promise<void> {
    do {
      this.fillAgain = false;
      const free = this.options.slots - this.inFlight.size;
      if (!this.running || free <= 0) return;
      let claimed: SagaRecord[];
      try {
        claimed = await this.options.claim(free, [...this.resting]);
      } catch (error) {
        this.drained = false;
        this.options.onClaimError(error);
        return;
      }
      this.drained = claimed.length < free;
      for (const record of claimed) this.launch(record);
    } while (this.fillAgain);
  }

  private launch(record: SagaRecord): void {
    const finished = this.options.run(record).finally(() => {
      this.inFlight.delete(record.id);
      this.resting.add(record.id);
      if (!this.drained) this.fill();
    });
    this.inFlight.set(record.id, finished);
  }
}
