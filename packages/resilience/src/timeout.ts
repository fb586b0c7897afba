// Timeout: gives an operation a deadline. The operation gets a signal that aborts at the deadline (cooperative
// cancellation: fetch, streams and timers stop their work), and the caller is released at the deadline either way.
import { systemClock, type Clock, type TimerHandle } from './clock';
import { TimeoutError } from './errors';
import type { CallContext, Operation, Policy } from './policy';

export interface TimeoutOptions {
  /**
   * Deadlines are rounded up to a multiple of this, so calls starting within the same slice share one deadline
   * (one AbortController, no timer of their own). A call may run up to this much longer than `timeoutMs`,
   * never shorter. Default 1 ms.
   */
  readonly precisionMs?: number;
  readonly clock?: Clock;
}

/** One call in flight: told when its deadline group expires. */
interface Member {
  expire(error: TimeoutError): void;
}

/** Calls sharing one deadline. The controller is created only if a call without its own signal joins. */
class DeadlineGroup {
  readonly members = new Set<Member>();
  private controller: AbortController | undefined;

  constructor(readonly deadline: number) {}

  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    return this.controller.signal;
  }

  expire(error: TimeoutError): void {
    this.controller?.abort(error);
    for (const member of [...this.members]) member.expire(error);
  }
}

/**
 * Creating an AbortSignal and a timer per call costs microseconds on Node 20, more than the rest of a pipeline, so
 * calls are grouped by deadline slice and one sweeper timer per policy expires the groups in order. The sweeper is
 * ref'd only while calls are in flight: it never keeps an idle process alive, and it stops once no group is left.
 */
export class TimeoutPolicy implements Policy {
  private readonly clock: Clock;
  private readonly precisionMs: number;
  /** Deadline → group, in ascending deadline order (time only moves forward, so insertion order is sorted). */
  private readonly groups = new Map<number, DeadlineGroup>();
  private latest: DeadlineGroup | undefined;
  private sweeper: TimerHandle | undefined;
  private inFlight = 0;

  constructor(
    readonly timeoutMs: number,
    options: TimeoutOptions = {},
  ) {
    if (!(timeoutMs > 0)) throw new RangeError('timeoutMs must be positive');
    this.clock = options.clock ?? systemClock;
    this.precisionMs = Math.max(Number.MIN_VALUE, options.precisionMs ?? 1);
  }

  execute<T>(fn: Operation<T>, signal?: AbortSignal, _context?: CallContext): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const group = this.joinGroup();
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      // A caller signal needs its own controller so that aborting one call does not abort the others in the group.
      const own = signal ? new AbortController() : undefined;
      // Every exit goes through here: membership, the in-flight count and the caller listener never outlive the call.
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        this.leaveGroup(group, member);
        signal?.removeEventListener('abort', onCallerAbort);
        return true;
      };
      const member: Member = {
        expire: (error) => {
          if (!settle()) return;
          own?.abort(error);
          reject(error);
        },
      };
      const onCallerAbort = (): void => {
        if (!settle()) return;
        own?.abort(signal?.reason);
        reject(signal?.reason);
      };
      group.members.add(member);
      signal?.addEventListener('abort', onCallerAbort, { once: true });
      let running: Promise<T>;
      try {
        running = fn(own ? own.signal : group.signal);
      } catch (error) {
        if (settle()) reject(error);
        return;
      }
      running.then(
        (result) => {
          if (settle()) resolve(result);
        },
        (error: unknown) => {
          if (settle()) reject(error);
        },
      );
    });
  }

  private joinGroup(): DeadlineGroup {
    const now = this.clock.now();
    const deadline = Math.ceil(now / this.precisionMs) * this.precisionMs + this.timeoutMs;
    let group = this.latest;
    if (group === undefined || group.deadline !== deadline) {
      group = new DeadlineGroup(deadline);
      this.groups.set(deadline, group);
      this.latest = group;
    }
    if (this.inFlight++ === 0) this.setSweeperHoldsProcess(true);
    if (this.sweeper === undefined) this.armSweeper(deadline - now);
    return group;
  }

  private leaveGroup(group: DeadlineGroup, member: Member): void {
    group.members.delete(member);
    // An emptied group can go now, except the latest, which later calls in the same slice may still join.
    if (group.members.size === 0 && group !== this.latest) this.groups.delete(group.deadline);
    if (--this.inFlight === 0) this.setSweeperHoldsProcess(false);
  }

  private readonly sweep = (): void => {
    this.sweeper = undefined;
    const now = this.clock.now();
    for (const group of this.groups.values()) {
      if (group.deadline > now) {
        this.armSweeper(group.deadline - now);
        return;
      }
      this.groups.delete(group.deadline);
      if (group === this.latest) this.latest = undefined;
      if (group.members.size > 0) group.expire(new TimeoutError(this.timeoutMs));
    }
  };

  private armSweeper(delayMs: number): void {
    this.sweeper = this.clock.setTimeout(this.sweep, delayMs);
    if (this.inFlight === 0) this.setSweeperHoldsProcess(false);
  }

  /** Node timers can be unref'd; other clocks' handles (e.g. FakeClock's numbers) are left alone. */
  private setSweeperHoldsProcess(hold: boolean): void {
    const timer = this.sweeper as { ref?: () => void; unref?: () => void } | undefined;
    if (hold) timer?.ref?.();
    else timer?.unref?.();
  }
}

export function timeout(timeoutMs: number, options?: TimeoutOptions): TimeoutPolicy {
  return new TimeoutPolicy(timeoutMs, options);
}
