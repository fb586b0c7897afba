/**
 * An event probe for service tests: a local-aws endpoint with the producer's real topic, plus a probe queue
 * subscribed to it through the same topology code the system uses. A service's outbox relay publishes there; the
 * test reads back what arrived, schema-validated — the real SNS → SQS path, no mocks.
 */
import { ReceiveMessageCommand, DeleteMessageCommand } from '@aws-sdk/client-sqs';
import { eventCatalog, systemTopology, validateEvent, type AnyEvent, type Producer, type Topology } from '@shop/contracts';
import { startLocalAws } from '@shop/local-aws';
import { createAwsClients, destroyAwsClients, type AwsClients } from '../aws-clients';
import { provisionTopology } from '../provision-topology';

export interface EventProbe {
  /** SNS/SQS clients pointed at the probe's endpoint (give `aws.sns` to the service's outbox relay). */
  readonly aws: AwsClients;
  readonly endpoint: string;
  /** The producer's topic name, as in the system topology. */
  readonly topicName: string;
  /** Waits until `count` events have arrived (or the timeout passes) and returns them, each schema-validated. */
  receive(count: number, timeoutMs?: number): Promise<AnyEvent[]>;
  close(): Promise<void>;
}

export async function startEventProbe(producer: Producer): Promise<EventProbe> {
  const localAws = await startLocalAws({ port: 0 });
  const aws = createAwsClients({ endpoint: localAws.endpoint });
  const queue = `probe-${producer}`;
  const eventTypes = Object.entries(eventCatalog)
    .filter(([, definition]) => definition.producer === producer)
    .map(([eventType]) => eventType);
  const topology: Topology = {
    producers: { [producer]: systemTopology.producers[producer] },
    consumers: { probe: { queue, subscribes: { [producer]: eventTypes } } },
  };
  const provisioned = await provisionTopology(aws, topology);
  const queueUrl = provisioned.queues.probe!.url;
  const received: AnyEvent[] = [];

  return {
    aws,
    endpoint: localAws.endpoint,
    topicName: systemTopology.producers[producer].topic,
    async receive(count, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count && Date.now() < deadline) {
        const waitSeconds = Math.max(0, Math.min(1, Math.floor((deadline - Date.now()) / 1000)));
        const { Messages = [] } = await aws.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: waitSeconds }),
        );
        for (const message of Messages) {
          const result = validateEvent(JSON.parse(message.Body!));
          if (!result.ok) throw new Error(`probe received an invalid event: ${result.errors.join('; ')}`);
          received.push(result.event as AnyEvent);
          await aws.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle! }));
        }
      }
      return [...received];
    },
    async close() {
      destroyAwsClients(aws);
      await localAws.close();
    },
  };
}
