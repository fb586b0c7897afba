/**
 * Who talks to whom, asynchronously. Each producing service owns one SNS topic; each consuming service owns one SQS
 * queue (plus its dead-letter queue), subscribed to the topics it needs with a filter on the `eventType` attribute.
 * `@shop/messaging` provisions exactly this (and infra/aws feeds it to CDK). To add a consumer, add an entry below.
 */
import type { EventTypeOf, Producer } from './catalog';

export interface ConsumerSpec {
  /** SQS queue name. Its dead-letter queue is `<queue>-dlq`. */
  readonly queue: string;
  /** Per producer, the event types this consumer wants (the subscription's FilterPolicy on `eventType`). */
  readonly subscribes: Readonly<Record<string, readonly string[]>>;
  /** Receives before a message moves to the dead-letter queue. Default 5. */
  readonly maxReceiveCount?: number;
  /** How long a received message stays hidden; the consumer's heartbeat extends it for slow handlers. Default 30. */
  readonly visibilityTimeoutSeconds?: number;
}

/** The generic shape `@shop/messaging` provisions; tests build small ones of their own. */
export interface Topology {
  readonly producers: Readonly<Record<string, { readonly topic: string }>>;
  readonly consumers: Readonly<Record<string, ConsumerSpec>>;
}

export const DEFAULT_MAX_RECEIVE_COUNT = 5;
export const DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 30;

export function deadLetterQueueName(queue: string): string {
  return `${queue}-dlq`;
}

/** The system's own topology, typed so a consumer can only subscribe to events its producer really publishes. */
interface SystemTopology extends Topology {
  readonly producers: Readonly<Record<Producer, { readonly topic: string }>>;
  readonly consumers: Readonly<
    Record<string, ConsumerSpec & { readonly subscribes: { readonly [P in Producer]?: readonly EventTypeOf<P>[] } }>
  >;
}

export const systemTopology = {
  producers: {
    user: { topic: 'user-events' },
    order: { topic: 'order-events' },
    inventory: { topic: 'inventory-events' },
    payment: { topic: 'payment-events' },
    shipping: { topic: 'shipping-events' },
  },
  consumers: {
    // Customer replica (validate customers without a sync call) and shipment progress appended to the Order.
    order: {
      queue: 'order-service',
      subscribes: {
        user: ['UserRegistered', 'UserUpdated'],
        shipping: ['ShipmentDispatched', 'ShipmentDelivered'],
      },
      // A shipment event can arrive before the saga has recorded the shipment (the order is not confirmed yet): when
      // the process running the saga dies right after shipping answered, another resumes it only once the attempt's
      // lease ran out (step timeout + lease, 40 s by default). Eight receives at 1, 2, 4 … 64 s apart wait 127 s for
      // it instead of the default five's 15 s, after which the order stayed CONFIRMED with its shipment in the DLQ.
      maxReceiveCount: 8,
    },
    // Per-customer order history.
    user: {
      queue: 'user-service',
      subscribes: {
        order: ['OrderPlaced', 'OrderConfirmed', 'OrderCancelled', 'OrderShipped', 'OrderDelivered'],
      },
    },
  },
} as const satisfies SystemTopology;

export type SystemConsumer = keyof typeof systemTopology.consumers;
