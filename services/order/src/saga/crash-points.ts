/**
 * Test-only: kills the process (SIGKILL — no shutdown hooks, nothing flushed) at one step boundary, so the crash test
 * can prove a saga resumes correctly from whatever was committed. `SAGA_CRASH_AT=<when>:<step>` with `when` one of
 * before-invoke, after-invoke, before-compensate, after-compensate; honoured only with FAULT_INJECTION=on.
 *
 * "before" is after the attempt is recorded as started and before the participant is called; "after" is after the
 * participant answered and before the outcome is recorded — the two windows where a crash can lose track of a call.
 */
import { defineSaga, type AnyStep, type SagaData, type SagaDefinition } from '@shop/saga';

const BOUNDARIES = ['before-invoke', 'after-invoke', 'before-compensate', 'after-compensate'] as const;
export type CrashBoundary = (typeof BOUNDARIES)[number];

export function parseCrashPoint(value: string): { boundary: CrashBoundary; step: string } {
  const [boundary, step] = value.split(':');
  if (!BOUNDARIES.includes(boundary as CrashBoundary) || !step) {
    throw new Error(`SAGA_CRASH_AT="${value}": expected <${BOUNDARIES.join('|')}>:<step name>`);
  }
  return { boundary: boundary as CrashBoundary, step };
}

const killNow = (): void => {
  process.kill(process.pid, 'SIGKILL');
};

/** The same definition with a crash at one boundary of one step (its steps' types are unchanged). */
export function withCrashPoint<TDefinition extends SagaDefinition<SagaData, SagaData>>(
  definition: TDefinition,
  crashAt: string,
  crash: () => void = killNow,
): TDefinition {
  const { boundary, step: target } = parseCrashPoint(crashAt);
  if (!definition.steps.some((step) => step.name === target)) {
    throw new Error(`SAGA_CRASH_AT names no step of "${definition.name}": ${target}`);
  }
  const around =
    <A extends unknown[], R>(before: CrashBoundary, after: CrashBoundary, work: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (boundary === before) crash();
      const result = await work(...args);
      if (boundary === after) crash();
      return result;
    };
  let wrapped = defineSaga<SagaData>(definition.options);
  for (const step of definition.steps) {
    if (step.name !== target) {
      wrapped = wrapped.step(step);
      continue;
    }
    const invoke = around('before-invoke', 'after-invoke', step.invoke.bind(step));
    wrapped = wrapped.step(
      step.kind === 'compensatable'
        ? { ...step, invoke, compensate: around('before-compensate', 'after-compensate', step.compensate.bind(step)) }
        : ({ ...step, invoke } as AnyStep),
    );
  }
  return wrapped as TDefinition;
}
