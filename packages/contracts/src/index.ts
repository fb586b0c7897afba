// @shop/contracts: the integration events every service agrees on, and the topology they travel through.
export { Money } from './money';
export { PostalAddress, ShippingAddress } from './address';
export { assertEachSkuOnce, RepeatedSkuError } from './order-lines';
export { ACCESS_TOKEN, type AccessTokenClaims, type AccessTokenRole } from './access-token';
export { EventMetadata, EventEnvelopeSchema, envelopeSchema, type EventEnvelope } from './envelope';
export { defineEvent, type EventDefinition, type Upcaster } from './event-definition';
export {
  eventCatalog,
  eventTypes,
  isEventType,
  type AnyEvent,
  type EventCatalog,
  type EventData,
  type EventOf,
  type EventType,
  type EventTypeOf,
  type Producer,
} from './catalog';
export { createEvent, InvalidEventError, type CreateEventInput, type CreateEventOptions } from './create-event';
export {
  validateEvent,
  createEventValidator,
  type CatalogEvent,
  type EventRejection,
  type EventRejectionReason,
  type EventValidation,
} from './validate-event';
export { canonicalJson, fingerprintOf } from './canonical-json';
export {
  systemTopology,
  deadLetterQueueName,
  DEFAULT_MAX_RECEIVE_COUNT,
  DEFAULT_VISIBILITY_TIMEOUT_SECONDS,
  type ConsumerSpec,
  type SystemConsumer,
  type Topology,
} from './topology';
export { systemServices, type ServiceSpec, type SystemService } from './service-topology';
