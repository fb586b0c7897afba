// The optional state file: what a restart used to lose (topology, messages in flight, FIFO history, move tasks)
// comes back. A local-aws feature, so these tests start their own endpoints on a temporary file.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ListQueueTagsCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SQSClient,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { startLocalAws } from '../src';
import type { LocalAws } from '../src';
import { eventually } from './support/conformance-endpoint';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let directory: string;
let stateFile: string;
const running: LocalAws[] = [];
const clients: Array<SQSClient | SNSClient> = [];

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'local-aws-state-'));
  stateFile = join(directory, 'nested', 'state.json');
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const local of running.splice(0)) await local.close();
  await rm(directory, { recursive: true, force: true });
});

async function start(): Promise<{ local: LocalAws; sqs: SQSClient; sns: SNSClient }> {
  const local = await startLocalAws({ port: 0, stateFile });
  running.push(local);
  const sqs = new SQSClient({ endpoint: local.endpoint, region: 'us-east-1', credentials });
  const sns = new SNSClient({ endpoint: local.endpoint, region: 'us-east-1', credentials });
  clients.push(sqs, sns);
  return { local, sqs, sns };
}

async function stop(local: LocalAws): Promise<void> {
  running.splice(running.indexOf(local), 1);
  await local.close();
}

async function counts(sqs: SQSClient, QueueUrl: string): Promise<Record<string, string | undefined>> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return Attributes;
}

/** The queue URL on the endpoint now running (the port differs after a restart). */
const urlOn = (local: LocalAws, name: string) => `${local.endpoint}/000000000000/${name}`;

it('restores topics, subscriptions, queues, messages (in flight and delayed), tags and FIFO history', async () => {
  const first = await start();
  const { sqs, sns } = first;
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: 'orders', Attributes: { VisibilityTimeout: '45' }, tags: { team: 'shop' } }),
  );
  await sqs.send(
    new SendMessageCommand({
      QueueUrl,
      MessageBody: 'in flight',
      MessageAttributes: { blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) } },
    }),
  );
  const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 600 }));
  const inFlightHandle = Messages![0].ReceiptHandle!;
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'later', DelaySeconds: 600 }));
  const { QueueUrl: fifoUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: 'orders.fifo', Attributes: { FifoQueue: 'true' } }),
  );
  const firstSend = await sqs.send(
    new SendMessageCommand({ QueueUrl: fifoUrl, MessageBody: 'f', MessageGroupId: 'g', MessageDeduplicationId: 'd' }),
  );
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'order-events' }));
  await sns.send(
    new SubscribeCommand({
      TopicArn,
      Protocol: 'sqs',
      Endpoint: 'arn:aws:sqs:us-east-1:000000000000:orders',
      Attributes: { RawMessageDelivery: 'true', FilterPolicy: JSON.stringify({ eventType: ['OrderPlaced'] }) },
    }),
  );
  await stop(first.local);
  expect(JSON.parse(await readFile(stateFile, 'utf8'))).toMatchObject({ format: 'local-aws-state/1' });

  const second = await start();
  const ordersUrl = urlOn(second.local, 'orders');
  expect((await second.sqs.send(new ListQueuesCommand({}))).QueueUrls?.sort()).toEqual(
    [urlOn(second.local, 'orders'), urlOn(second.local, 'orders.fifo')].sort(),
  );
  expect((await second.sqs.send(new ListQueueTagsCommand({ QueueUrl: ordersUrl }))).Tags).toEqual({ team: 'shop' });
  expect(await counts(second.sqs, ordersUrl)).toEqual({
    ApproximateNumberOfMessages: '0',
    ApproximateNumberOfMessagesNotVisible: '1',
    ApproximateNumberOfMessagesDelayed: '1',
  });
  // The consumer that held the message before the restart can still delete it with its receipt handle.
  await second.sqs.send(new DeleteMessageCommand({ QueueUrl: ordersUrl, ReceiptHandle: inFlightHandle }));
  expect((await counts(second.sqs, ordersUrl)).ApproximateNumberOfMessagesNotVisible).toBe('0');
  // The FIFO deduplication window survived too.
  const again = await second.sqs.send(
    new SendMessageCommand({
      QueueUrl: urlOn(second.local, 'orders.fifo'),
      MessageBody: 'f',
      MessageGroupId: 'g',
      MessageDeduplicationId: 'd',
    }),
  );
  expect(again.MessageId).toBe(firstSend.MessageId);
  // And the subscription with its filter policy.
  for (const eventType of ['OrderPlaced', 'OrderShipped']) {
    await second.sns.send(
      new PublishCommand({
        TopicArn,
        Message: eventType,
        MessageAttributes: { eventType: { DataType: 'String', StringValue: eventType } },
      }),
    );
  }
  const delivered = await second.sqs.send(new ReceiveMessageCommand({ QueueUrl: ordersUrl, MaxNumberOfMessages: 10 }));
  expect(delivered.Messages?.map((m) => m.Body)).toEqual(['OrderPlaced']);
});

it('resumes a message move task that was running at shutdown', async () => {
  const first = await start();
  const { QueueUrl: dlqUrl } = await first.sqs.send(new CreateQueueCommand({ QueueName: 'work-dlq' }));
  const dlqArn = 'arn:aws:sqs:us-east-1:000000000000:work-dlq';
  await first.sqs.send(
    new CreateQueueCommand({
      QueueName: 'work',
      Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) },
    }),
  );
  for (let i = 0; i < 3; i++) await first.sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: `m${i}` }));
  await first.sqs.send(
    new StartMessageMoveTaskCommand({
      SourceArn: dlqArn,
      DestinationArn: 'arn:aws:sqs:us-east-1:000000000000:work',
      MaxNumberOfMessagesPerSecond: 5,
    }),
  );
  const { Results } = await first.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }));
  expect(Results?.[0]?.Status).toBe('RUNNING');
  await stop(first.local);

  const second = await start();
  const task = await eventually(async () => {
    const { Results } = await second.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }));
    return Results?.[0]?.Status === 'COMPLETED' ? Results[0] : undefined;
  });
  expect(task.ApproximateNumberOfMessagesToMove).toBe(3);
  expect((await counts(second.sqs, urlOn(second.local, 'work'))).ApproximateNumberOfMessages).toBe('3');
});

it('starts empty when the state file does not exist yet, and writes it on close', async () => {
  const { local, sqs } = await start();
  expect((await sqs.send(new ListQueuesCommand({}))).QueueUrls).toBeUndefined();
  await stop(local);
  expect(JSON.parse(await readFile(stateFile, 'utf8'))).toMatchObject({ sqs: { queues: [] } });
});

it('refuses to start on a state file it cannot read, naming the file', async () => {
  await start().then(({ local }) => stop(local)); // creates the directory
  await writeFile(stateFile, '{"format": "local-aws-state/1", "sqs": ');
  await expect(startLocalAws({ port: 0, stateFile })).rejects.toThrow(`state file ${stateFile} is not valid JSON`);
  await writeFile(stateFile, JSON.stringify({ format: 'something-else' }));
  await expect(startLocalAws({ port: 0, stateFile })).rejects.toThrow(/is not a local-aws-state\/1 snapshot/);
});
