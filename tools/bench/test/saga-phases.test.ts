import { sagaPhases } from '../src/saga-phases';

const at = (ms: number) => new Date(Date.UTC(2030, 0, 1) + ms).toISOString();

/** An order created at `created` whose two steps ran over the given [start, finish] ms after it. */
const order = (created: number, reserve: [number, number], pay: [number, number]) => ({
  status: 'CONFIRMED',
  createdAt: at(created),
  saga: {
    steps: [
      { step: 'reserve', action: 'invoke', startedAt: at(created + reserve[0]), finishedAt: at(created + reserve[1]) },
      { step: 'pay', action: 'invoke', startedAt: at(created + pay[0]), finishedAt: at(created + pay[1]) },
    ],
  },
});

it('splits each saga into the wait for the worker, each step, and the engine between steps, averaged', () => {
  const orders = [order(0, [5, 25], [29, 59]), order(1_000, [5, 45], [49, 79])];
  expect(sagaPhases(orders)).toEqual({
    'created → first step': 5,
    reserve: 30,
    'between steps': 4,
    pay: 30,
    'created → last step done': 69,
  });
});

it('skips orders without a step log', () => {
  expect(sagaPhases([{ status: 'CONFIRMED', saga: null }])).toEqual({});
});
