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

  it("types each step's data with the outputs of the steps before it", async () => {
    const seen: string[] = [];
    const saga = defineSaga<{ orderId: string }>({ name: 'typed' })
      .step({
        name: 'reserve',
        kind: 'compensatable',
        invoke: async () => ({ reservationId: 'r-1' }),
        // A compensation may run after a timed-out invoke: the step's own output is optional there.
        compensate: async (data) => {
          const id: string | undefined = data.reservationId;
          seen.push(`release ${id ?? 'nothing'}`);
        },
      })
      .step({
        name: 'pay',
        kind: 'pivot',
        invoke: async (data) => ({ paymentId: `p-for-${data.reservationId}` }),
        onCompleted: async (_tx, data) => {
          seen.push(`paid ${data.paymentId} for ${data.orderId}`);
        },
      })
      .step({
        name: 'ship',
        kind: 'retriable',
        invoke: async (data) => {
          // @ts-expect-error a later step's output does not exist yet
          seen.push(String(data.shipmentId));
        },
      });
    const [reserve, pay] = saga.steps;
    const reserved = await reserve!.invoke({ orderId: 'o-1' }, {} as never);
    const paid = await pay!.invoke({ orderId: 'o-1', ...reserved }, {} as never);
    await pay!.onCompleted!({} as never, { orderId: 'o-1', ...reserved, ...paid });
    expect(seen).toEqual(['paid p-for-r-1 for o-1']);
  });
});
