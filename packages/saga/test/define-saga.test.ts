import { defineSaga } from '../src';

const noop = async () => undefined;

describe('defineSaga', () => {
  it('keeps the steps in the order they were added, without changing the earlier definition', () => {
    const base = defineSaga<{ id: string }>({ name: 'demo' }).step({
      name: 'a',
      kind: 'compensatable',
      invoke: noop,
      compensate: noop,
    });
    const longer = base
      .step({ name: 'b', kind: 'pivot', invoke: noop })
      .step({ name: 'c', kind: 'retriable', invoke: noop });
    expect(longer.steps.map((step) => `${step.name}:${step.kind}`)).toEqual([
      'a:compensatable',
      'b:pivot',
      'c:retriable',
    ]);
    expect(base.steps).toHaveLength(1);
  });

  it('rejects a compensatable step after the pivot', () => {
    const saga = defineSaga({ name: 'demo' }).step({ name: 'pay', kind: 'pivot', invoke: noop });
    expect(() => saga.step({ name: 'reserve', kind: 'compensatable', invoke: noop, compensate: noop })).toThrow(
      'a compensatable step cannot follow a pivot step',
    );
  });

  it('rejects a second pivot and a retriable step followed by a pivot', () => {
    const pivot = defineSaga({ name: 'demo' }).step({ name: 'pay', kind: 'pivot', invoke: noop });
    expect(() => pivot.step({ name: 'pay2', kind: 'pivot', invoke: noop })).toThrow('at most one pivot');
    const retriable = defineSaga({ name: 'demo' }).step({ name: 'ship', kind: 'retriable', invoke: noop });
    expect(() => retriable.step({ name: 'pay', kind: 'pivot', invoke: noop })).toThrow('cannot follow a retriable');
  });

  it('rejects duplicate step names, since they are part of the idempotency key', () => {
    const saga = defineSaga({ name: 'demo' }).step({ name: 'ship', kind: 'retriable', invoke: noop });
    expect(() => saga.step({ name: 'ship', kind: 'retriable', invoke: noop })).toThrow('unique');
  });
});
