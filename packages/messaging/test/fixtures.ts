// Shared test set-up: an SNS/SQS endpoint (in-process local-aws, or the run's LocalStack container with
// TEST_CONTAINERS=1), clients, a topology with unique names, databases with the schema.
import { randomBytes } from 'node:crypto';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import {
  createEvent,
  type EventData,
  type EventEnvelope,
  type EventOf,
  type EventType,
  type Topology,
} from '@shop/contracts';
import type { Engine } from '@shop/db';
import { createTestDatabase, startTestSnsSqs, type TestDatabase, type TestSnsSqs } from '@shop/testing';
import { createAwsClients, destroyAwsClients, installMessagingSchema, type AwsClients, type Logger } from '../src';

export interface AwsFixture extends AwsClients {
  readonly aws: TestSnsSqs;
  close(): Promise<void>;
}

export async function startAws(): Promise<AwsFixture> {
  const aws = await startTestSnsSqs();
  const clients = createAwsClients({ endpoint: aws.endpoint, region: 'us-east-1' });
  return {
    ...clients,
    aws,
    close: async () => {
      destroyAwsClients(clients);
      await aws.close();
    },
  };
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** One producer (order) and one consumer (user) with names no other test uses. */
export function testTopology(
  overrides: { maxReceiveCount?: number; visibilityTimeoutSeconds?: number } = {},
): Topology {
  return {
    producers: { order: { topic: uniqueName('order-events') } },
    consumers: {
      user: {
        queue: uniqueName('user-service'),
        subscribes: { order: ['OrderPlaced', 'OrderConfirmed', 'OrderCancelled'] },
        maxReceiveCount: overrides.maxReceiveCount ?? 3,
        visibilityTimeoutSeconds: overrides.visibilityTimeoutSeconds ?? 5,
      },
    },
  };
}

export async function databaseWithSchema(engine: Engine): Promise<TestDatabase> {
  const db = await createTestDatabase(engine);
  await installMessagingSchema(db);
  return db;
}

const metadata = { correlationId: 'corr-test' };

export function orderEvent<K extends 'OrderPlaced' | 'OrderConfirmed' | 'OrderCancelled'>(
  eventType: K,
  orderId: string,
  aggregateVersion: number,
  extra: Partial<EventData<K>> = {},
): EventOf<K> {
  const base = { orderId, customerId: 'customer-1' };
  const data = {
    OrderPlaced: {
      ...base,
      lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: { amountMinor: 999, currency: 'EUR' } }],
      total: { amountMinor: 999, currency: 'EUR' },
    },
    OrderConfirmed: base,
    OrderCancelled: { ...base, reason: 'changed my mind' },
  }[eventType];
  return createEvent({
    eventType,
    aggregateId: orderId,
    aggregateVersion,
    data: { ...data, ...extra } as EventData<K>,
    metadata,
  } as never) as EventOf<K>;
}

/** Publishes an envelope straight to SNS, as the relay would: for duplicates and out-of-order delivery. */
export async function publishDirectly(sns: SNSClient, topicArn: string, event: EventEnvelope | object): Promise<void> {
  const type = (event as { eventType?: string }).eventType ?? 'Unknown';
  await sns.send(
    new PublishCommand({
      TopicArn: topicArn,
      Message: JSON.stringify(event),
      MessageAttributes: { eventType: { DataType: 'String', StringValue: type } },
    }),
  );
}

export async function receiveAll(sqs: SQSClient, queueUrl: string): Promise<Message[]> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 0,
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    }),
  );
  return Messages;
}

/** Visible + in flight + delayed: zero once everything was deleted. */
export async function messagesInQueue(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return Object.values(Attributes).reduce((sum, value) => sum + Number(value), 0);
}

/** A logger that remembers what was logged, to assert on reasons. */
export function recordingLogger(): Logger & { lines: { level: string; message?: string; object: object }[] } {
  const lines: { level: string; message?: string; object: object }[] = [];
  const at =
    (level: string) =>
    (object: object, message?: string): void => {
      lines.push({ level, object, ...(message !== undefined ? { message } : {}) });
    };
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

/** Wraps a client so a test can count (or break) the commands it sends. */
export function spyOnClient<C extends { send: (...args: never[]) => Promise<unknown> }>(
  client: C,
  before: (command: object) => void,
): C {
  return {
    send: ((command: object, options?: object) => {
      before(command);
      return (client.send as (c: object, o?: object) => Promise<unknown>)(command, options);
    }) as C['send'],
  } as C;
}

export type { EventType };

export interface HeldClient<C> {
  readonly client: C;
  /** Resolves once a command is waiting at the gate: the call is "in flight". */
  arrived(): Promise<void>;
  /** Lets every held and later command through, or fails them all with `error` (as a broken connection would). */
  release(error?: Error): void;
}

/** Wraps a client so its commands wait until the test releases them: a call kept in flight as long as a test needs. */
export function holdCalls<C extends { send: (...args: never[]) => Promise<unknown> }>(client: C): HeldClient<C> {
  let arrive!: () => void;
  const arrival = new Promise<void>((resolve) => (arrive = resolve));
  let release!: (error?: Error) => void;
  const gate = new Promise<void>((resolve, reject) => (release = (error) => (error ? reject(error) : resolve())));
  gate.catch(() => undefined); // rejected before anyone waits: not an unhandled rejection
  return {
    client: {
      send: (async (command: object, options?: object) => {
        arrive();
        await gate;
        return (client.send as (c: object, o?: object) => Promise<unknown>)(command, options);
      }) as C['send'],
    } as C,
    arrived: () => arrival,
    release: (error) => release(error),
  };
}
