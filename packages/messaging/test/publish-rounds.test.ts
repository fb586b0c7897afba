// The relay's ordering rule as a specification: which events go out together, and in which order.
import { batchesOfRound, planPublishRounds, SNS_BATCH_LIMIT } from '../src/outbox/publish-rounds';
import type { PendingEvent } from '../src/outbox/outbox-store';

const event = (aggregateId: string, version: number): PendingEvent => ({
  id: `${aggregateId}@${version}`,
  aggregateId,
  eventType: 'OrderPlaced',
  envelope: {},
  traceparent: null,
});
const ids = (rounds: readonly (readonly PendingEvent[])[]) => rounds.map((round) => round.map((e) => e.id));

describe('planPublishRounds', () => {
  it('puts the r-th event of every aggregate in round r, keeping each aggregate in version order', () => {
    const claimed = [event('a', 1), event('a', 2), event('a', 3), event('b', 1), event('c', 1), event('c', 2)];
    expect(ids(planPublishRounds(claimed))).toEqual([['a@1', 'b@1', 'c@1'], ['a@2', 'c@2'], ['a@3']]);
  });

  it('has no rounds for no events', () => {
    expect(planPublishRounds([])).toEqual([]);
  });
});

describe('batchesOfRound', () => {
  it('splits a round into PublishBatch-sized requests', () => {
    const round = Array.from({ length: 23 }, (_, i) => event(`agg-${i}`, 1));
    expect(batchesOfRound(round, new Set()).map((batch) => batch.length)).toEqual([
      SNS_BATCH_LIMIT,
      SNS_BATCH_LIMIT,
      3,
    ]);
  });

  it('leaves out the aggregates that failed earlier in the pass, so no later event overtakes a failed one', () => {
    const round = [event('a', 2), event('b', 2), event('c', 2)];
    expect(ids(batchesOfRound(round, new Set(['b'])))).toEqual([['a@2', 'c@2']]);
    expect(batchesOfRound(round, new Set(['a', 'b', 'c']))).toEqual([]);
  });
});
