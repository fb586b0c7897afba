/**
 * local-aws with the system topology provisioned, the order service's outbox relay, and a reader of what the order
 * service published (through the user service's queue, which subscribes to every Order event).
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { systemTopology, type EventEnvelope } from '@shop/contracts';
import type { Database } from '@shop/db';
import { startLocalAws, type LocalAws } from '@shop/local-aws';
import {
  createAwsClients,
  createOutboxRelay,
  destroyAwsClients,
  provisionTopology,
  type AwsClients,
  type OutboxRelay,
  type ProvisionedTopology,
} from '@shop/messaging';

export interface Messaging {
  aws: LocalAws;
  clients: AwsClients;
  topology: ProvisionedTopology;
  close(): Promise<void>;
}

export async function startMessaging(): Promise<Messaging> {
  const aws = await startLocalAws({ port: 0 });
  const clients = createAwsClients({ endpoint: aws.endpoint, region: 'us-east-1' });
  const topology = await provisionTopology(clients, systemTopology);
  return {
    aws,
    clients,
    topology,
    async close() {
      destroyAwsClients(clients);
      await aws.close();
    },
  };
}

export function orderRelay(messaging: Messaging, db: Database): OutboxRelay {
  return createOutboxRelay({
    db,
    sns: messaging.clients.sns,
    topicArn: messaging.topology.topicArns.order!,
    pollIntervalMs: 50,
  });
}

/** Collects the order events the user service would receive, keyed by order id. */
export function publishedOrderEvents(messaging: Messaging) {
  const queueUrl = messaging.topology.queues.user!.url;
  const received: EventEnvelope[] = [];
  return {
    async typesFor(orderId: string): Promise<string[]> {
      for (;;) {
        const { Messages = [] } = await messaging.clients.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
        );
        if (Messages.length === 0) break;
        received.push(...Messages.map((message) => JSON.parse(message.Body!) as EventEnvelope));
        await messaging.clients.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: Messages.map((message, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle! })),
          }),
        );
      }
      return received
        .filter((event) => event.aggregateId === orderId)
        .sort((a, b) => a.aggregateVersion - b.aggregateVersion)
        .map((event) => event.eventType);
    },
    eventsFor: (orderId: string) => received.filter((event) => event.aggregateId === orderId),
  };
}
