// Timeout: gives an operation a deadline. The operation gets a signal that aborts at the deadline (cooperative
// cancellation: fetch, streams and timers stop their work), and the caller is released at the deadline either way.
import { systemClock, type Clock, type TimerHandle } from '@shop/clock';
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

/**
 * Creating an AbortSignal and a timer per call costs microseconds on Node 20 — more than the rest of a pipeline — so
 * calls are grouped by deadline slice and one sweeper timer per policy expires the groups in order. The sweeper runs
 * only while calls are in flight: it is cleared as soon as the policy goes idle, so no timer outlives the calls.
 *
 * Note: the signal of a call without its own caller signal is shared with calls that started in the same slice, so it
 * may abort after the call has settled, once the deadline passes with another of those calls still running. Consume
 * a response body inside the operation, not after it.
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
      // The call's value passes through untouched, so the bookkeeping object need not be generic.
      const call = new TimedCall(this, group, resolve as (value: unknown) => void, reject, signal);
      let running: Promise<T>;
      try {
        running = fn(call.operationSignal);
      } catch (error) {
        call.fail(error);
        return;
      }
      running.then(call.succeed, call.fail);
    });
  }

  /** Called exactly once per call, by whichever exit comes first. */
  leave(call: TimedCall): void {
    const group = call.group;
    group.remove(call);
    // An emptied group can go now, except the latest, which later calls in the same slice may still join.
    if (group.isEmpty && group !== this.latest) this.groups.delete(group.deadline);
    if (--this.inFlight === 0) this.stopSweeper();
  }

  /**
   * Idle: nothing can time out any more, so no timer may linger (a policy made per call, or a process checking its
   * handles, must see none). The next call starts a new sweeper.
   */
  private stopSweeper(): void {
    if (this.sweeper !== undefined) this.clock.clearTimeout(this.sweeper);
    this.sweeper = undefined;
    this.groups.clear();
    this.latest = undefined;
  }

  private joinGroup(): DeadlineGroup {
    const now = this.clock.monotonic();
    const deadline = Math.ceil(now / this.precisionMs) * this.precisionMs + this.timeoutMs;
    let group = this.latest;
    if (group === undefined || group.deadline !== deadline) {
      // The previous slice is over: if its calls have all finished, nothing needs its deadline any more.
      if (group?.isEmpty) this.groups.delete(group.deadline);
      group = new DeadlineGroup(deadline);
      this.groups.set(deadline, group);
      this.latest = group;
    }
    if (this.sweeper === undefined) this.sweeper = this.clock.setTimeout(this.sweep, deadline - now);
    if (this.inFlight++ === 0) this.setSweeperHoldsProcess(true);
    return group;
  }

  private readonly sweep = (): void => {
    this.sweeper = undefined;
    const now = this.clock.monotonic();
    for (const group of this.groups.values()) {
      if (group.deadline > now) {
        this.sweeper = this.clock.setTimeout(this.sweep, group.deadline - now);
        this.setSweeperHoldsProcess(this.inFlight > 0);
        return;
      }
      this.groups.delete(group.deadline);
      if (group === this.latest) this.latest = undefined;
      if (!group.isEmpty) group.expire(new TimeoutError(this.timeoutMs));
    }
  };

  /** Node timers can be unref'd; other clocks' handles (e.g. FakeClock's numbers) are left alone. */
  private setSweeperHoldsProcess(hold: boolean): void {
    const timer = this.sweeper as { ref?: () => void; unref?: () => void } | undefined;
    if (hold) timer?.ref?.();
    else timer?.unref?.();
  }
}

/**
 * Calls sharing one deadline, kept in an intrusive linked list (cheaper than a Set on every call's path).
 * The shared controller is created only if a call without its own signal joins.
 */
class DeadlineGroup {
  private first: TimedCall | undefined;
  private controller: AbortController | undefined;

  constructor(readonly deadline: number) {}

  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    return this.controller.signal;
  }

  get isEmpty(): boolean {
    return this.first === undefined;
  }

  add(call: TimedCall): void {
    call.next = this.first;
    if (this.first) this.first.previous = call;
    this.first = call;
  }

  remove(call: TimedCall): void {
    if (call.previous) call.previous.next = call.next;
    else this.first = call.next;
    if (call.next) call.next.previous = call.previous;
    call.previous = call.next = undefined;
  }

  expire(error: TimeoutError): void {
    this.controller?.abort(error);
    while (this.first) this.first.expire(error); // expire() removes the call from this list
  }
}

/**
 * One call's bookkeeping as a single object rather than a handful of closures. Every exit — result, error,
 * deadline, caller abort — goes through `settle`, so the group membership, the in-flight count and the
 * caller-signal listener never outlive the call.
 */
class TimedCall {
  previous: TimedCall | undefined;
  next: TimedCall | undefined;
  private settled = false;
  /** A caller signal needs its own controller, so aborting one call does not abort the rest of its group. */
  private readonly own: AbortController | undefined;
  private readonly onCallerAbort: (() => void) | undefined;

  constructor(
    private readonly policy: TimeoutPolicy,
    readonly group: DeadlineGroup,
    private readonly resolve: (value: unknown) => void,
    private readonly reject: (error: unknown) => void,
    private readonly callerSignal: AbortSignal | undefined,
  ) {
    group.add(this);
    if (callerSignal) {
      const own = new AbortController();
      this.own = own;
      this.onCallerAbort = () => {
        if (!this.settle()) return;
        own.abort(callerSignal.reason);
        this.reject(callerSignal.reason);
      };
      callerSignal.addEventListener('abort', this.onCallerAbort, { once: true });
    }
  }

  get operationSignal(): AbortSignal {
    return this.own ? this.own.signal : this.group.signal;
  }

  readonly succeed = (value: unknown): void => {
    if (this.settle()) this.resolve(value);
  };

  readonly fail = (error: unknown): void => {
    if (this.settle()) this.reject(error);
  };

  expire(error: TimeoutError): void {
    if (!this.settle()) return;
    this.own?.abort(error);
    this.reject(error);
  }

  private settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.policy.leave(this);
    if (this.onCallerAbort) this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
    return true;
  }
}

export function timeout(timeoutMs: number, options?: TimeoutOptions): TimeoutPolicy {
  return new TimeoutPolicy(timeoutMs, options);
}
