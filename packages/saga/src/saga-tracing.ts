/**
 * Spans for saga steps. A step run by the process that started the saga is a child of the request that started it
 * (POST /orders → reserveInventory → the HTTP call to inventory, one trace). A step run after a crash, by whichever
 * process resumed the saga, is the root of a new trace *linked* to the original: it follows from that request but
 * happened long after it ended, which is what links are for.
 */
import { injectTraceContext, startActiveSpan } from '@shop/telemetry';
import type { SagaRecord, StepAction } from './saga-store';

/** The active trace context to store with a new saga. */
export function currentTraceContext(): string | null {
  return injectTraceContext()?.traceparent ?? null;
}

/**
 * The trace id in a stored traceparent (`00-<trace id>-<span id>-<flags>`), read as text: it must not depend on an
 * OpenTelemetry SDK being registered in the process that reads it.
 */
export function traceIdOf(traceparent: string | null): { traceId?: string } {
  const traceId = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/.exec(traceparent ?? '')?.[1];
  return traceId ? { traceId } : {};
}

/** Ids of sagas this process started (bounded): their steps continue the starting trace rather than link to it. */
export class StartedHere {
  private readonly ids = new Set<string>();
  constructor(private readonly limit = 10_000) {}

  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.limit) this.ids.delete(this.ids.values().next().value!);
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }
}

export function traceStep<T>(
  record: SagaRecord,
  step: string,
  action: StepAction,
  attempt: number,
  continuesTrace: boolean,
  run: () => Promise<T>,
): Promise<T> {
  const carrier = record.traceContext ? { traceparent: record.traceContext } : undefined;
  return startActiveSpan(
    `saga ${record.sagaName} ${step} ${action}`,
    {
      attributes: {
        'saga.id': record.id,
        'saga.step': step,
        'saga.action': action,
        'saga.attempt': attempt,
        'saga.resumed': !continuesTrace,
      },
      ...(continuesTrace ? { parent: carrier } : { root: true, links: [carrier] }),
    },
    run,
  );
}
