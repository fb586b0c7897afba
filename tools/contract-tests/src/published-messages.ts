/**
 * What a provider really puts on the wire. The provider's own code writes its events to its outbox (through its API
 * or its commands); the real outbox relay then publishes them to an in-memory stand-in for SNS, which keeps each
 * message exactly as SNS would receive it: the body (the stored envelope, serialized by the relay) and the message
 * attributes consumers' subscriptions filter on. Message pacts are verified against these, never hand-built objects.
 */
import type { Database } from '@shop/db';
import { createOutboxRelay, type OutboxRelayOptions } from '@shop/messaging';

export interface PublishedMessage {
  /** The SNS message body, parsed: the event envelope. */
  readonly body: Record<string, unknown>;
  /** The SNS message attributes by name (their string values): eventType, aggregateId, traceparent. */
  readonly attributes: Readonly<Record<string, string>>;
}

interface PublishBatchInput {
  PublishBatchRequestEntries: {
    Id: string;
    Message: string;
    MessageAttributes?: Record<string, { StringValue?: string }>;
  }[];
}

/** Runs the outbox relay once over `db` and returns everything it published, in publishing order. */
export async function publishOutbox(db: Database): Promise<PublishedMessage[]> {
  const published: PublishedMessage[] = [];
  const sns: OutboxRelayOptions['sns'] = {
    send: (async (command: { input: PublishBatchInput }) => {
      for (const entry of command.input.PublishBatchRequestEntries) {
        const attributes = Object.fromEntries(
          Object.entries(entry.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue ?? '']),
        );
        published.push({ body: JSON.parse(entry.Message) as Record<string, unknown>, attributes });
      }
      return { Successful: command.input.PublishBatchRequestEntries.map(({ Id }) => ({ Id })), Failed: [] };
    }) as unknown as OutboxRelayOptions['sns']['send'],
  };
  const relay = createOutboxRelay({ db, sns, topicArn: 'arn:aws:sns:us-east-1:000000000000:contract-tests' });
  for (;;) {
    const report = await relay.publishPending();
    if (report.failed > 0) throw new Error(`the outbox relay failed to publish ${report.failed} event(s)`);
    if (!report.more) break;
  }
  await relay.stop();
  return published;
}

/** The last published message of `eventType`; throws when the provider published none (the contract is broken). */
export async function publishedEvent(db: Database, eventType: string): Promise<PublishedMessage> {
  const messages = (await publishOutbox(db)).filter((message) => message.attributes.eventType === eventType);
  const message = messages.at(-1);
  if (!message) throw new Error(`the provider published no ${eventType}`);
  return message;
}

/**
 * The shape a Pact message provider function returns: the content, plus metadata the consumer may rely on
 * (the `eventType` attribute is what the consumer's subscription filters on).
 */
export function asPactMessage(message: PublishedMessage) {
  return {
    __pactMessageMetadata: { contentType: 'application/json', eventType: message.attributes.eventType ?? '' },
    message: message.body,
  };
}
