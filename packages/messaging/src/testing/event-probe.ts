/**
 * An event probe for service tests: a local-aws endpoint with the producer's real topic, plus a probe queue
 * subscribed to it through the same topology code the system uses. A service's outbox relay publishes there; the
 * test reads back what arrived, schema-validated — the real SNS → SQS path, no mocks.
 */
import { ReceiveMessageCommand, DeleteMessageCommand, type MessageAttributeValue } from '@aws-sdk/client-sqs';
import {
  eventCatalog,
  systemTopology,
  validateEvent,
  type AnyEvent,
  type Producer,
  type Topology,
} from '@shop/contracts';
import { startLocalAws } from '@shop/local-aws';
import { createAwsClients, destroyAwsClients, type AwsClients } from '../aws-clients';
import { provisionTopology } from '../provision-topology';

/** One event as the probe queue received it. */
export interface ProbedMessage {
  readonly event: AnyEvent;
  /** The SQS message attributes it carried (raw delivery passes the SNS ones through), e.g. `eventType`. */
  readonly attributes: Readonly<Record<string, MessageAttributeValue>>;
}

export interface EventProbe {
  /** SNS/SQS clients pointed at the probe's endpoint (give `aws.sns` to the service's outbox relay). */
  readonly aws: AwsClients;
  readonly endpoint: string;
  /** The producer's topic name, as in the system topology. */
  readonly topicName: string;
  /**
   * Polls the queue at least once, then until `count` events have arrived in all or the timeout passes, and returns
   * every event received so far, each schema-validated (`receive(0)` just takes in what is there now).
   */
  receive(count: number, timeoutMs?: number): Promise<AnyEvent[]>;
  /** `receive`, with the message attributes each event arrived with. */
  receiveMessages(count: number, timeoutMs?: number): Promise<ProbedMessage[]>;
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
  const received: ProbedMessage[] = [];

  async function receiveMessages(count: number, timeoutMs = 5_000): Promise<ProbedMessage[]> {
    const deadline = Date.now() + timeoutMs;
    do {
      // Already enough: one short poll takes in whatever else is there, without waiting for more.
      const waitSeconds =
        received.length >= count ? 0 : Math.max(0, Math.min(1, Math.floor((deadline - Date.now()) / 1000)));
      const { Messages = [] } = await aws.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: waitSeconds,
          MessageAttributeNames: ['All'],
        }),
      );
      for (const message of Messages) {
        const result = validateEvent(JSON.parse(message.Body!));
        if (!result.ok)
          throw new Error(`probe received an invalid event: ${result.reason} ${result.errors.join('; ')}`);
        received.push({ event: result.event as AnyEvent, attributes: message.MessageAttributes ?? {} });
        await aws.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle! }));
      }
    } while (received.length < count && Date.now() < deadline);
    return [...received];
  }

  return {
    aws,
    endpoint: localAws.endpoint,
    topicName: systemTopology.producers[producer].topic,
    receiveMessages,
    async receive(count, timeoutMs) {
      return (await receiveMessages(count, timeoutMs)).map((message) => message.event);
    },
    async close() {
      destroyAwsClients(aws);
      await localAws.close();
    },
  };
}
