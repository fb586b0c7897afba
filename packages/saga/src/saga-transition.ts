/**
 * The saga's rules in one pure function: given what the attempt just did, what happens next. No I/O and no clock —
 * the runner persists the transition this returns, makes the calls and reports. `test/saga-transition.test.ts` is
 * the README's failure table, row by row.
 */
import type { StepKind } from './define-saga';
import type { StepAction } from './saga-store';

/** How one attempt ended, as the rules see it: success, a definite "no", or anything else (transient). */
export type AttemptVerdict =
  | { readonly outcome: 'succeeded' }
  | { readonly outcome: 'business-failure' | 'transient-failure'; readonly message: string };

export interface AttemptFacts {
  readonly action: StepAction;
  readonly step: { readonly name: string; readonly kind: StepKind };
  /** True when the step invoked is the definition's last one. */
  readonly isLastStep: boolean;
  /** 1 for the first attempt at this step or compensation. */
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly verdict: AttemptVerdict;
}

export type SagaTransition =
  /** The step succeeded and another follows. */
  | { readonly type: 'advance' }
  /** The last step succeeded: COMPLETED. */
  | { readonly type: 'complete' }
  /** Try the same step (or compensation) again after a backoff. */
  | { readonly type: 'retry' }
  /** The participant refused, so this step did nothing: undo only the ones before it. */
  | { readonly type: 'compensate-before'; readonly reason: string }
  /** Out of attempts on a transient failure: the last attempt may have taken effect, so undo this step too. */
  | { readonly type: 'compensate-including'; readonly reason: string }
  /** A compensation succeeded: go on with the compensatable step before it (COMPENSATED when there is none). */
  | { readonly type: 'undo-previous' }
  /** NEEDS_ATTENTION: a person must decide. */
  | { readonly type: 'park'; readonly reason: string };

export type SagaTransitionType = SagaTransition['type'];

export function nextTransition(facts: AttemptFacts): SagaTransition {
  return facts.action === 'invoke' ? afterInvoke(facts) : afterCompensation(facts);
}

function afterInvoke({ step, isLastStep, attempt, maxAttempts, verdict }: AttemptFacts): SagaTransition {
  if (verdict.outcome === 'succeeded') return { type: isLastStep ? 'complete' : 'advance' };
  const failed = `step "${step.name}" failed`;
  if (verdict.outcome === 'business-failure') {
    // After the pivot there is no going back, and a definite "no" means the flow itself is wrong.
    if (step.kind === 'retriable')
      return { type: 'park', reason: `${failed}: ${verdict.message} (business failure after the pivot)` };
    return { type: 'compensate-before', reason: `${failed}: ${verdict.message}` };
  }
  // A pivot or retriable step has no budget: nothing undoes it, and only a definite answer says whether it happened.
  if (step.kind !== 'compensatable' || attempt < maxAttempts) return { type: 'retry' };
  // A timeout says nothing about the other side, so compensations must tolerate "nothing to undo".
  return { type: 'compensate-including', reason: `${failed} after ${attempt} attempts: ${verdict.message}` };
}

function afterCompensation({ step, attempt, maxAttempts, verdict }: AttemptFacts): SagaTransition {
  if (verdict.outcome === 'succeeded') return { type: 'undo-previous' };
  const compensation = `compensation of "${step.name}"`;
  if (verdict.outcome === 'business-failure')
    return { type: 'park', reason: `${compensation} was refused: ${verdict.message}` };
  if (attempt < maxAttempts) return { type: 'retry' };
  return { type: 'park', reason: `${compensation} failed after ${attempt} attempts: ${verdict.message}` };
}
