// Writing an event: stamp identity and time, then validate, so nothing invalid ever reaches the outbox.
import { eventCatalog, type EventData, type EventOf, type EventType } from './catalog';
import { EventEnvelopeSchema, type EventMetadata } from './envelope';
import { schemaErrors } from './schema-check';
import { uuidv7 } from '@shop/clock';

export interface CreateEventInput<K extends EventType> {
  readonly eventType: K;
  readonly aggregateId: string;
  readonly aggregateVersion: number;
  readonly data: EventData<K>;
  readonly metadata: EventMetadata;
}

export interface CreateEventOptions {
  /** The clock; inject it where behaviour or tests depend on time. Default: the system clock. */
  readonly now?: () => Date;
}

export class InvalidEventError extends Error {
  constructor(
    readonly eventType: string,
    readonly errors: readonly string[],
  ) {
    super(`Invalid ${eventType} event: ${errors.join('; ')}`);
    this.name = 'InvalidEventError';
  }
}

export function createEvent<K extends EventType>(
  input: CreateEventInput<K>,
  options: CreateEventOptions = {},
): EventOf<K> {
  const occurredAt = (options.now ?? (() => new Date()))();
  const definition = eventCatalog[input.eventType];
  const event: EventOf<K> = {
    eventId: uuidv7(occurredAt.getTime()),
    eventType: input.eventType,
    schemaVersion: definition.schemaVersion,
    aggregateId: input.aggregateId,
    aggregateVersion: input.aggregateVersion,
    occurredAt: occurredAt.toISOString(),
    data: input.data,
    metadata: input.metadata,
  };
  const errors = [...schemaErrors(EventEnvelopeSchema, event), ...schemaErrors(definition.schema, event.data, '/data')];
  if (errors.length > 0) throw new InvalidEventError(input.eventType, errors);
  return event;
}
