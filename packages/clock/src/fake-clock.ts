// A manual clock for tests: time only moves when the test calls advance(), so no test ever sleeps for real.
import type { Clock, TimerHandle } from './clock';

export interface PendingTimer {
  readonly id: number;
  readonly dueAt: number;
  readonly delayMs: number;
}

interface ScheduledTimer extends PendingTimer {
  readonly callback: () => void;
}

/** Lets queued promise callbacks run: setImmediate fires only after the microtask queue is empty. */
const flushMicrotasks = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class FakeClock implements Clock {
  private current: number;
  private nextId = 1;
  private readonly timers = new Map<number, ScheduledTimer>();
  private readonly scheduleWaiters = new Set<() => void>();

  constructor(startMs = 0) {
    this.current = startMs;
  }

  /** Fake time is both wall and monotonic: start it at an epoch value where stored timestamps matter. */
  now(): number {
    return this.current;
  }

  monotonic(): number {
    return this.current;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = this.nextId++;
    const delay = Math.max(0, delayMs);
    this.timers.set(id, { id, dueAt: this.current + delay, delayMs: delay, callback });
    for (const wake of this.scheduleWaiters) wake();
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as number);
  }

  /** Timers scheduled and not yet fired or cleared, earliest first. */
  pendingTimers(): PendingTimer[] {
    return [...this.timers.values()]
      .sort((a, b) => a.dueAt - b.dueAt || a.id - b.id)
      .map(({ id, dueAt, delayMs }) => ({ id, dueAt, delayMs }));
  }

  /**
   * Moves time forward by `ms`, firing due timers in order. Pending promise callbacks run before each timer and at
   * the end, so code that awaits and then schedules a timer behaves as it would with real time.
   */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      await flushMicrotasks();
      const next = this.earliestDueBy(target);
      if (!next) break;
      this.timers.delete(next.id);
      this.current = next.dueAt;
      next.callback();
    }
    this.current = target;
    await flushMicrotasks();
  }

  /** Resolves once a timer matching `predicate` is pending (already, or when it gets scheduled). */
  waitForTimer(predicate: (timer: PendingTimer) => boolean = () => true): Promise<PendingTimer> {
    return new Promise((resolve) => {
      const check = (): boolean => {
        const match = this.pendingTimers().find(predicate);
        if (!match) return false;
        this.scheduleWaiters.delete(wake);
        resolve(match);
        return true;
      };
      const wake = (): void => void check();
      if (!check()) this.scheduleWaiters.add(wake);
    });
  }

  private earliestDueBy(target: number): ScheduledTimer | undefined {
    let earliest: ScheduledTimer | undefined;
    for (const timer of this.timers.values()) {
      if (timer.dueAt > target) continue;
      if (!earliest || timer.dueAt < earliest.dueAt) earliest = timer;
    }
    return earliest;
  }
}
