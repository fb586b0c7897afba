// Where the conformance suite runs: an in-process local-aws by default, or AWS_ENDPOINT_URL (LocalStack, real AWS).
// Tests only use the AWS SDK, so the same assertions show the emulator behaves like the real thing.
import { randomBytes } from 'node:crypto';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import type { Message } from '@aws-sdk/client-sqs';
import { startLocalAws } from '../../src';
import type { LocalAws } from '../../src';

export interface ConformanceEndpoint {
  sqs: SQSClient;
  sns: SNSClient;
  endpoint: string;
  /** A name no other test (or earlier run against a shared endpoint) uses. */
  uniqueName(prefix: string): string;
  close(): Promise<void>;
}

export async function openConformanceEndpoint(): Promise<ConformanceEndpoint> {
  const external = process.env.AWS_ENDPOINT_URL;
  let local: LocalAws | undefined;
  if (!external) local = await startLocalAws({ port: 0 });
  const endpoint = external ?? local!.endpoint;
  const region = process.env.AWS_REGION ?? 'us-east-1';
  const credentials = external ? undefined : { accessKeyId: 'test', secretAccessKey: 'test' };
  const sqs = new SQSClient({ endpoint, region, credentials });
  const sns = new SNSClient({ endpoint, region, credentials });
  return {
    sqs,
    sns,
    endpoint,
    uniqueName: (prefix) => `${prefix}-${randomBytes(4).toString('hex')}`,
    async close() {
      sqs.destroy();
      sns.destroy();
      await local?.close();
    },
  };
}

/** Polls `check` until it returns a value (not undefined) or the deadline passes — instead of a blind sleep. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 5000,
  intervalMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The error an SDK call rejects with, so tests can assert on `name` and `message`. */
export async function errorOf(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

/** Receives until the queue answers empty: immediate locally (delivery is synchronous), short waits elsewhere. */
export async function drainQueue(aws: ConformanceEndpoint, queueUrl: string): Promise<Message[]> {
  const waitSeconds = process.env.AWS_ENDPOINT_URL ? 2 : 0;
  const all: Message[] = [];
  for (;;) {
    const { Messages } = await aws.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: waitSeconds,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (!Messages) return all;
    all.push(...Messages);
    await aws.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  }
}

/** A queue subscribed to a topic, with the queue policy real AWS needs to accept deliveries from SNS. */
export async function subscribedQueue(
  aws: ConformanceEndpoint,
  topicArn: string,
  attributes: Record<string, string> = {},
  queueName = aws.uniqueName('subscriber'),
): Promise<{ queueUrl: string; queueArn: string; subscriptionArn: string }> {
  const { QueueUrl } = await aws.sqs.send(
    new CreateQueueCommand({
      QueueName: queueName,
      Attributes: queueName.endsWith('.fifo') ? { FifoQueue: 'true' } : undefined,
    }),
  );
  const { Attributes } = await aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  const queueArn = Attributes!.QueueArn!;
  await aws.sqs.send(
    new SetQueueAttributesCommand({
      QueueUrl,
      Attributes: {
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'sns.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: queueArn,
              Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
            },
          ],
        }),
      },
    }),
  );
  const { SubscriptionArn } = await aws.sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: queueArn,
      Attributes: attributes,
      ReturnSubscriptionArn: true,
    }),
  );
  return { queueUrl: QueueUrl!, queueArn, subscriptionArn: SubscriptionArn! };
}

/** Creates a queue (by exact name) through the SDK and returns its URL. */
export async function newQueue(
  aws: ConformanceEndpoint,
  name: string,
  attributes?: Record<string, string>,
): Promise<string> {
  const { QueueUrl } = await aws.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  return QueueUrl!;
}
