// An in-memory saga participant: records every call with its idempotency key, applies each key's effect once
// (like a real idempotent service), and fails on demand with a business or transient error.

export class BusinessFailure extends Error {
  override readonly name = 'BusinessFailure';
}
export class TransientFailure extends Error {
  override readonly name = 'TransientFailure';
}
export const isBusinessFailure = (error: unknown): boolean => error instanceof BusinessFailure;

/** What the next call does: fail one way or another, or never answer (until its signal aborts or it is released). */
type Behaviour = 'business' | 'transient' | 'hang';

export interface Call {
  readonly key: string;
  readonly attempt: number;
}

export class FakeParticipant {
  readonly calls: Call[] = [];
  /** Effects actually applied, by idempotency key: a repeated key returns the stored result and applies nothing. */
  readonly applied = new Map<string, string>();
  private readonly script: Behaviour[] = [];
  private always: Behaviour | undefined;
  private responsesToHold = 0;
  private readonly heldResponses: Array<() => void> = [];

  constructor(readonly name: string) {}

  /** The next calls behave like this, in order; afterwards calls succeed again. */
  failNext(...behaviours: Behaviour[]): this {
    this.script.push(...behaviours);
    return this;
  }

  /** Every call behaves like this until `recover()`. */
  failAlways(behaviour: Behaviour): this {
    this.always = behaviour;
    return this;
  }

  recover(): void {
    this.always = undefined;
    this.script.length = 0;
  }

  /** The next call applies its effect but does not answer until `release()` — a response lost in flight. */
  holdNextResponse(): this {
    this.responsesToHold++;
    return this;
  }

  /** Lets held responses through. */
  release(): void {
    for (const resolve of this.heldResponses.splice(0)) resolve();
  }

  private readonly callWaiters: Array<{ count: number; resolve: () => void }> = [];

  /** Resolves once the participant has received `count` calls — to act while a call is in flight. */
  whenCalled(count = 1): Promise<void> {
    if (this.calls.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.callWaiters.push({ count, resolve }));
  }

  keys(): string[] {
    return this.calls.map((call) => call.key);
  }

  async call(ctx: { idempotencyKey: string; attempt: number; signal: AbortSignal }): Promise<string> {
    this.calls.push({ key: ctx.idempotencyKey, attempt: ctx.attempt });
    for (const waiter of this.callWaiters.filter((w) => this.calls.length >= w.count)) {
      this.callWaiters.splice(this.callWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    const behaviour = this.script.shift() ?? this.always;
    if (behaviour === 'business') throw new BusinessFailure(`${this.name} refused`);
    if (behaviour === 'transient') throw new TransientFailure(`${this.name} unavailable`);
    if (behaviour === 'hang') return hangUntilAborted(ctx.signal);
    const result = this.applied.get(ctx.idempotencyKey) ?? `${this.name}#${this.applied.size + 1}`;
    this.applied.set(ctx.idempotencyKey, result);
    if (this.responsesToHold > 0) {
      this.responsesToHold--;
      await new Promise<void>((resolve) => this.heldResponses.push(resolve));
    }
    return result;
  }
}

function hangUntilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
