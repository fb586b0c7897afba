/**
 * The relay's ordering rule, pure: round r publishes the r-th pending event of every aggregate, so each aggregate's
 * events reach SNS in version order while different aggregates share a PublishBatch; an aggregate whose event failed
 * publishes nothing more in the pass, or a later event would overtake it.
 */
import type { PendingEvent } from './outbox-store';

/** SNS PublishBatch takes at most 10 entries. */
export const SNS_BATCH_LIMIT = 10;

/** Groups claimed events (each aggregate's already in version order) into rounds: the r-th event of each aggregate. */
export function planPublishRounds(events: readonly PendingEvent[]): PendingEvent[][] {
  const byAggregate = new Map<string, PendingEvent[]>();
  for (const event of events)
    byAggregate.set(event.aggregateId, [...(byAggregate.get(event.aggregateId) ?? []), event]);
  const lists = [...byAggregate.values()];
  const longest = Math.max(0, ...lists.map((list) => list.length));
  return Array.from({ length: longest }, (_, round) =>
    lists.filter((list) => round < list.length).map((list) => list[round]!),
  );
}

/** A round as PublishBatch requests, leaving out the aggregates that already failed in this pass. */
export function batchesOfRound(round: readonly PendingEvent[], blocked: ReadonlySet<string>): PendingEvent[][] {
  const open = round.filter((event) => !blocked.has(event.aggregateId));
  return Array.from({ length: Math.ceil(open.length / SNS_BATCH_LIMIT) }, (_, i) =>
    open.slice(i * SNS_BATCH_LIMIT, (i + 1) * SNS_BATCH_LIMIT),
  );
}
