// The README's failure table, row by row, against the pure rules: given how an attempt ended, which transition.
import type { StepKind } from '../src/define-saga';
import {
  nextTransition,
  type AttemptFacts,
  type AttemptVerdict,
  type SagaTransitionType,
} from '../src/saga-transition';

const MAX = 3;
const succeeded: AttemptVerdict = { outcome: 'succeeded' };
const business: AttemptVerdict = { outcome: 'business-failure', message: 'out of stock' };
const transient: AttemptVerdict = { outcome: 'transient-failure', message: 'timed out' };

function invoke(kind: StepKind, verdict: AttemptVerdict, attempt = 1, isLastStep = false): AttemptFacts {
  return { action: 'invoke', step: { name: 'reserve', kind }, isLastStep, attempt, maxAttempts: MAX, verdict };
}

function compensation(verdict: AttemptVerdict, attempt = 1): AttemptFacts {
  const step = { name: 'reserve', kind: 'compensatable' as const };
  return { action: 'compensate', step, isLastStep: false, attempt, maxAttempts: MAX, verdict };
}

describe('nextTransition: the failure table', () => {
  // failure of … | business | transient, within budget | transient, budget spent
  const table: [row: string, then: SagaTransitionType, facts: AttemptFacts][] = [
    ['compensatable step, business', 'compensate-before', invoke('compensatable', business)],
    ['compensatable step, transient within budget', 'retry', invoke('compensatable', transient, MAX - 1)],
    ['compensatable step, transient budget spent', 'compensate-including', invoke('compensatable', transient, MAX)],
    ['pivot, business', 'compensate-before', invoke('pivot', business)],
    ['pivot, transient within budget', 'retry', invoke('pivot', transient, MAX - 1)],
    ['pivot, transient past any budget', 'retry', invoke('pivot', transient, MAX + 10)],
    ['retriable step, business', 'park', invoke('retriable', business)],
    ['retriable step, transient within budget', 'retry', invoke('retriable', transient, MAX - 1)],
    ['retriable step, transient past any budget', 'retry', invoke('retriable', transient, MAX + 10)],
    ['compensation, business', 'park', compensation(business)],
    ['compensation, transient within budget', 'retry', compensation(transient, MAX - 1)],
    ['compensation, transient budget spent', 'park', compensation(transient, MAX)],
  ];

  it.each(table)('%s → %s', (_row, then, facts) => {
    expect(nextTransition(facts).type).toBe(then);
  });
});

describe('nextTransition: success', () => {
  it.each<StepKind>(['compensatable', 'pivot', 'retriable'])('a %s step that is not the last advances', (kind) => {
    expect(nextTransition(invoke(kind, succeeded))).toEqual({ type: 'advance' });
  });

  it('the last step completes the saga', () => {
    expect(nextTransition(invoke('retriable', succeeded, 1, true))).toEqual({ type: 'complete' });
  });

  it('a compensation that succeeded moves on to the step before it', () => {
    expect(nextTransition(compensation(succeeded))).toEqual({ type: 'undo-previous' });
  });
});

describe('nextTransition: reasons', () => {
  it('names the step and the error, and says when the budget ran out', () => {
    expect(nextTransition(invoke('compensatable', business))).toEqual({
      type: 'compensate-before',
      reason: 'step "reserve" failed: out of stock',
    });
    expect(nextTransition(invoke('compensatable', transient, MAX))).toEqual({
      type: 'compensate-including',
      reason: 'step "reserve" failed after 3 attempts: timed out',
    });
    expect(nextTransition(invoke('retriable', business))).toEqual({
      type: 'park',
      reason: 'step "reserve" failed: out of stock (business failure after the pivot)',
    });
    expect(nextTransition(compensation(business))).toEqual({
      type: 'park',
      reason: 'compensation of "reserve" was refused: out of stock',
    });
    expect(nextTransition(compensation(transient, MAX))).toEqual({
      type: 'park',
      reason: 'compensation of "reserve" failed after 3 attempts: timed out',
    });
  });
});
