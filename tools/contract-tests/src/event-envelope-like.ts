/**
 * The consumer's side of a message pact: an event envelope (see @shop/contracts) matched by shape, not by value.
 * Identity and time are whatever the producer stamps (a UUID, an ISO timestamp); `eventType` and `schemaVersion`
 * are exact, since a consumer filters on the first and refuses a newer second. `data` carries the consumer's own
 * matchers for the fields it reads.
 */
import { MatchersV3 } from '@pact-foundation/pact';
import { eventCatalog, type EventType } from '@shop/contracts';

const { integer, like, regex, uuid } = MatchersV3;

const ISO_TIMESTAMP = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$';

export interface EnvelopeExample {
  aggregateId: string;
  aggregateVersion: number;
  /** The data, with matchers where the consumer does not care about the exact value. */
  data: unknown;
}

export function eventEnvelopeLike(eventType: EventType, example: EnvelopeExample) {
  return {
    eventId: uuid('0190a0a0-0000-7000-8000-000000000001'),
    eventType,
    schemaVersion: eventCatalog[eventType].schemaVersion,
    aggregateId: like(example.aggregateId),
    aggregateVersion: integer(example.aggregateVersion),
    occurredAt: regex(ISO_TIMESTAMP, '2030-01-01T00:00:00.000Z'),
    data: example.data,
    metadata: { correlationId: like('correlation-1') },
  };
}
