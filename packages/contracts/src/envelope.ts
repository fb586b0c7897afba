// The envelope every integration event travels in: identity, ordering within its aggregate, tracing, then the data.
import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** W3C trace context header value: version-traceid-parentid-flags. */
const TRACEPARENT = '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$';
const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
/** RFC 3339 UTC timestamp as produced by `Date.prototype.toISOString()`. */
const ISO_TIMESTAMP = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$';

export const EventMetadata = Type.Object({
  /** Shared by everything one user action caused, across services. */
  correlationId: Type.String({ minLength: 1 }),
  /** The eventId (or request id) that directly caused this event; absent for the first link of a chain. */
  causationId: Type.Optional(Type.String({ minLength: 1 })),
  /** Set by the caller from its active span; the relay copies it to the `traceparent` message attribute. */
  traceparent: Type.Optional(Type.String({ pattern: TRACEPARENT })),
});
export type EventMetadata = Static<typeof EventMetadata>;

/** The envelope schema around a given data schema. */
export function envelopeSchema<D extends TSchema>(data: D) {
  return Type.Object({
    /** UUIDv7: unique and time-ordered. Consumers deduplicate on it. */
    eventId: Type.String({ pattern: UUID }),
    eventType: Type.String({ minLength: 1 }),
    /** The version of `data`'s schema this event was written with (see the README on evolving events). */
    schemaVersion: Type.Integer({ minimum: 1 }),
    aggregateId: Type.String({ minLength: 1 }),
    /** 1, 2, 3… per aggregate: lets a consumer ignore an event older than what it has already applied. */
    aggregateVersion: Type.Integer({ minimum: 1 }),
    occurredAt: Type.String({ pattern: ISO_TIMESTAMP }),
    data,
    metadata: EventMetadata,
  });
}

/** Any envelope, data not yet checked: the first validation step for anything read off a queue. */
export const EventEnvelopeSchema = envelopeSchema(Type.Unknown());

export interface EventEnvelope<T extends string = string, D = unknown> {
  readonly eventId: string;
  readonly eventType: T;
  readonly schemaVersion: number;
  readonly aggregateId: string;
  readonly aggregateVersion: number;
  readonly occurredAt: string;
  readonly data: D;
  readonly metadata: EventMetadata;
}
