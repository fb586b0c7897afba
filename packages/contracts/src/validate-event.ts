// Reading an event from the outside world: envelope first, then the data against its type's schema (upcast if old).
import type { Static } from '@sinclair/typebox';
import { eventCatalog } from './catalog';
import { EventEnvelopeSchema, type EventEnvelope } from './envelope';
import type { EventDefinition } from './event-definition';
import { schemaErrors } from './schema-check';

export type EventRejectionReason =
  | 'invalid-envelope'
  | 'unknown-event-type'
  /** Written with a newer schema version than this reader knows: deploy consumers before producers. */
  | 'unsupported-schema-version'
  | 'invalid-data';

export interface EventRejection {
  readonly ok: false;
  readonly reason: EventRejectionReason;
  readonly errors: readonly string[];
  /** Present when the envelope got far enough to tell, for logs. */
  readonly eventType?: string;
  readonly eventId?: string;
}

export type EventValidation<E> = { readonly ok: true; readonly event: E } | EventRejection;

export type CatalogEvent<C extends Record<string, EventDefinition>> = {
  [K in keyof C & string]: EventEnvelope<K, Static<C[K]['schema']>>;
}[keyof C & string];

export function createEventValidator<C extends Record<string, EventDefinition>>(catalog: C) {
  return function validate(input: unknown): EventValidation<CatalogEvent<C>> {
    const envelopeErrors = schemaErrors(EventEnvelopeSchema, input);
    if (envelopeErrors.length > 0) return reject('invalid-envelope', envelopeErrors, input);
    const envelope = input as EventEnvelope;

    const definition = Object.prototype.hasOwnProperty.call(catalog, envelope.eventType)
      ? catalog[envelope.eventType]
      : undefined;
    if (!definition) return reject('unknown-event-type', [`unknown eventType "${envelope.eventType}"`], envelope);
    if (envelope.schemaVersion > definition.schemaVersion) {
      return reject(
        'unsupported-schema-version',
        [`schemaVersion ${envelope.schemaVersion} is newer than the known ${definition.schemaVersion}`],
        envelope,
      );
    }

    const data =
      envelope.schemaVersion < definition.schemaVersion && definition.upcast
        ? definition.upcast(envelope.data, envelope.schemaVersion)
        : envelope.data;
    const dataErrors = schemaErrors(definition.schema, data, '/data');
    if (dataErrors.length > 0) return reject('invalid-data', dataErrors, envelope);

    const event = { ...envelope, schemaVersion: definition.schemaVersion, data } as CatalogEvent<C>;
    return { ok: true, event };
  };
}

/** Validates (and upcasts) anything claiming to be one of the system's events. */
export const validateEvent = createEventValidator(eventCatalog);

function reject(reason: EventRejectionReason, errors: string[], input: unknown): EventRejection {
  const fields = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  return {
    ok: false,
    reason,
    errors,
    ...(typeof fields.eventType === 'string' ? { eventType: fields.eventType } : {}),
    ...(typeof fields.eventId === 'string' ? { eventId: fields.eventId } : {}),
  };
}
