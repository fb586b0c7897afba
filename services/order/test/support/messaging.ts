/**
 * local-aws with the system topology provisioned, the order service's outbox relay, and a reader of what the order
 * service published: an event probe on the order topic, so every published event is also schema-validated.
 */
import { systemTopology, type AnyEvent } from '@shop/contracts';
import type { Database } from '@shop/db';
import {
  createOutboxRelay,
  provisionTopology,
  type AwsClients,
  type OutboxRelay,
  type ProvisionedTopology,
} from '@shop/messaging';
import { startEventProbe, type EventProbe } from '@shop/messaging/testing';

export interface Messaging {
  endpoint: string;
  clients: AwsClients;
  topology: ProvisionedTopology;
  /** Receives everything published to the order topic. */
  probe: EventProbe;
  close(): Promise<void>;
}

export async function startMessaging(): Promise<Messaging> {
  const probe = await startEventProbe('order');
  // The rest of the system's topics and queues on the same endpoint, for the order service's own consumer.
  const topology = await provisionTopology(probe.aws, systemTopology);
  return { endpoint: probe.endpoint, clients: probe.aws, topology, probe, close: () => probe.close() };
}

export function orderRelay(messaging: Messaging, db: Database): OutboxRelay {
  return createOutboxRelay({
    db,
    sns: messaging.clients.sns,
    topicArn: messaging.topology.topicArns.order!,
    pollIntervalMs: 50,
  });
}

/** The order events published so far for one order, oldest first (takes in what has arrived, without waiting). */
export async function publishedOrderEvents(messaging: Messaging, orderId: string): Promise<AnyEvent[]> {
  return (await messaging.probe.receive(0))
    .filter((event) => event.aggregateId === orderId)
    .sort((a, b) => a.aggregateVersion - b.aggregateVersion);
}

export async function publishedOrderEventTypes(messaging: Messaging, orderId: string): Promise<string[]> {
  return (await publishedOrderEvents(messaging, orderId)).map((event) => event.eventType);
}
