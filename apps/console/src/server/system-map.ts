/**
 * Who talks to whom: the REST calls (each behind a breaker its caller owns) and, from the topology in
 * @shop/contracts, every SNS topic → SQS queue subscription. The service map draws this; the snapshot fills in state.
 */
import { systemTopology } from '@shop/contracts';
import type { ServiceName, SystemMap } from '../shared/console-api';

export const SERVICE_NAMES: readonly ServiceName[] = ['gateway', 'order', 'user', 'inventory', 'payment', 'shipping'];

export function systemMap(broker: string): SystemMap {
  const subscriptions = Object.entries(systemTopology.consumers).flatMap(([consumer, spec]) =>
    Object.entries(spec.subscribes).map(([producer, events]) => ({
      producer: producer as ServiceName,
      topic: systemTopology.producers[producer as keyof typeof systemTopology.producers].topic,
      consumer: consumer as ServiceName,
      queue: spec.queue,
      events: [...(events as readonly string[])],
    })),
  );
  return {
    services: SERVICE_NAMES.map((name) => ({ name, label: name === 'gateway' ? 'gateway' : `${name}-service` })),
    broker,
    calls: [
      // The gateway's upstreams (services/gateway/src/upstreams.ts)…
      { from: 'gateway', to: 'user', breaker: { owner: 'gateway', name: 'user-service' } },
      { from: 'gateway', to: 'order', breaker: { owner: 'gateway', name: 'order-service' } },
      { from: 'gateway', to: 'inventory', breaker: { owner: 'gateway', name: 'inventory-service' } },
      // …and the checkout saga's participants (services/order/src/saga/participants.ts).
      { from: 'order', to: 'inventory', breaker: { owner: 'order', name: 'inventory' } },
      { from: 'order', to: 'payment', breaker: { owner: 'order', name: 'payment' } },
      { from: 'order', to: 'shipping', breaker: { owner: 'order', name: 'shipping' } },
    ],
    subscriptions,
  };
}
