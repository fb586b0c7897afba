// local-aws's own HTTP API beside the AWS protocols: health (also at LocalStack's path), state and reset, and the
// rule that state and reset answer loopback callers only. Not AWS APIs, so these tests start their own endpoint.
import { networkInterfaces } from 'node:os';
import { CreateTopicCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  SQSClient,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { startLocalAws } from '../src';
import type { LocalAws, LocalAwsOptions } from '../src';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const opened: Array<{ close(): Promise<void> | void }> = [];
afterEach(async () => {
  for (const resource of opened.splice(0).reverse()) await resource.close();
});

async function endpoint(options: LocalAwsOptions = {}): Promise<{ local: LocalAws; sqs: SQSClient; sns: SNSClient }> {
  const local = await startLocalAws({ port: 0, ...options });
  opened.push(local);
  const sqs = new SQSClient({ endpoint: local.endpoint, region: 'us-east-1', credentials });
  const sns = new SNSClient({ endpoint: local.endpoint, region: 'us-east-1', credentials });
  opened.push({ close: () => sqs.destroy() }, { close: () => sns.destroy() });
  return { local, sqs, sns };
}

async function visibleCount(sqs: SQSClient, QueueUrl: string): Promise<string | undefined> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Attributes?.ApproximateNumberOfMessages;
}

describe('health', () => {
  it('answers /_local/health and LocalStack’s /_localstack/health with LocalStack’s JSON shape', async () => {
    const { local } = await endpoint();
    expect(await (await fetch(`${local.endpoint}/_local/health`)).json()).toEqual({
      status: 'ok',
      services: ['sqs', 'sns', 'sts'],
    });
    const localstack = await fetch(`${local.endpoint}/_localstack/health`);
    expect(localstack.status).toBe(200);
    expect(await localstack.json()).toMatchObject({
      services: { sqs: 'running', sns: 'running', sts: 'running' },
      edition: expect.any(String),
      version: expect.any(String),
    });
    const head = await fetch(`${local.endpoint}/_localstack/health`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });
});

describe('requests', () => {
  it('counts the requests it answered per service and action, across both protocols, and a reset keeps them', async () => {
    const { local, sqs, sns } = await endpoint();
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'counted' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'b' }));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'counted' }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'c' }));
    await fetch(`${local.endpoint}/_local/reset`, { method: 'POST' });
    expect(await (await fetch(`${local.endpoint}/_local/requests`)).json()).toEqual({
      'sns:CreateTopic': 1,
      'sns:Publish': 1,
      'sqs:CreateQueue': 1,
      'sqs:SendMessage': 2,
    });
  });
});

describe('state', () => {
  it('reports topics, subscriptions and each queue’s visible / in-flight / delayed counts', async () => {
    const { local, sqs } = await endpoint();
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'state-demo' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'y', DelaySeconds: 60 }));
    const state = (await (await fetch(`${local.endpoint}/_local/state`)).json()) as {
      queues: Array<{ name: string; visible: number; inFlight: number; delayed: number }>;
      topics: unknown[];
      subscriptions: unknown[];
    };
    expect(state.queues.find((q) => q.name === 'state-demo')).toMatchObject({ visible: 1, inFlight: 0, delayed: 1 });
    expect(state.topics).toEqual([]);
    expect(state.subscriptions).toEqual([]);
  });
});

describe('POST /_local/reset', () => {
  it('without a scope forgets every topic, queue and message', async () => {
    const { local, sqs, sns } = await endpoint();
    await sqs.send(new CreateQueueCommand({ QueueName: 'gone' }));
    await sns.send(new CreateTopicCommand({ Name: 'gone-too' }));
    const response = await fetch(`${local.endpoint}/_local/reset`, { method: 'POST' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ reset: 'all' });
    expect((await sqs.send(new ListQueuesCommand({}))).QueueUrls).toBeUndefined();
    const state = (await (await fetch(`${local.endpoint}/_local/state`)).json()) as { topics: unknown[] };
    expect(state.topics).toEqual([]);
  });

  it('with ?queue= empties that queue (by name, URL or ARN) and keeps it and every other queue', async () => {
    const { local, sqs } = await endpoint();
    const { QueueUrl: emptied } = await sqs.send(
      new CreateQueueCommand({ QueueName: 'emptied', Attributes: { VisibilityTimeout: '7' } }),
    );
    const { QueueUrl: kept } = await sqs.send(new CreateQueueCommand({ QueueName: 'kept' }));
    for (const QueueUrl of [emptied, kept]) await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }));
    for (const selector of ['emptied', emptied!, 'arn:aws:sqs:us-east-1:000000000000:emptied']) {
      const response = await fetch(`${local.endpoint}/_local/reset?queue=${encodeURIComponent(selector)}`, {
        method: 'POST',
      });
      expect(await response.json()).toEqual({ reset: { queue: 'arn:aws:sqs:us-east-1:000000000000:emptied' } });
    }
    expect(await visibleCount(sqs, emptied!)).toBe('0');
    expect(await visibleCount(sqs, kept!)).toBe('1');
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: emptied, AttributeNames: ['VisibilityTimeout'] }),
    );
    expect(Attributes?.VisibilityTimeout).toBe('7');
  });

  it('with ?topic= clears the topic’s FIFO deduplication, so the same id publishes again', async () => {
    const { local, sns } = await endpoint();
    const { TopicArn } = await sns.send(
      new CreateTopicCommand({ Name: 'events.fifo', Attributes: { FifoTopic: 'true' } }),
    );
    const publish = () =>
      sns.send(new PublishCommand({ TopicArn, Message: 'm', MessageGroupId: 'g', MessageDeduplicationId: 'same' }));
    const first = await publish();
    expect((await publish()).MessageId).toBe(first.MessageId);
    const response = await fetch(`${local.endpoint}/_local/reset?topic=events.fifo`, { method: 'POST' });
    expect(await response.json()).toEqual({ reset: { topic: TopicArn } });
    expect((await publish()).MessageId).not.toBe(first.MessageId);
  });

  it('answers an unknown queue, two scopes or a GET with a problem+json 4xx', async () => {
    const { local } = await endpoint();
    const unknown = await fetch(`${local.endpoint}/_local/reset?queue=nope`, { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
    const both = await fetch(`${local.endpoint}/_local/reset?queue=a&topic=b`, { method: 'POST' });
    expect(both.status).toBe(400);
    const get = await fetch(`${local.endpoint}/_local/reset`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });
});

/** An address of this machine that is not loopback, to call from "elsewhere" without a second machine. */
const externalAddress = Object.values(networkInterfaces())
  .flat()
  .find((address) => address && address.family === 'IPv4' && !address.internal)?.address;
const itWithExternalAddress = externalAddress ? it : it.skip;
const skipReason = externalAddress ? '' : ' (skipped: this machine has no non-loopback IPv4 address)';

describe('admin routes are loopback-only by default', () => {
  itWithExternalAddress(
    `refuses state and reset to a caller on another address, serves health to it${skipReason}`,
    async () => {
      const { local } = await endpoint({ host: '0.0.0.0' });
      const from = `http://${externalAddress}:${local.port}`;
      const reset = await fetch(`${from}/_local/reset`, { method: 'POST' });
      expect(reset.status).toBe(403);
      expect(((await reset.json()) as { detail: string }).detail).toContain('--admin-from-anywhere');
      expect((await fetch(`${from}/_local/state`)).status).toBe(403);
      expect((await fetch(`${from}/_local/requests`)).status).toBe(403);
      expect((await fetch(`${from}/_localstack/health`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${local.port}/_local/state`)).status).toBe(200);
    },
  );

  itWithExternalAddress(`serves them to any caller with adminAccess "any"${skipReason}`, async () => {
    const { local } = await endpoint({ host: '0.0.0.0', adminAccess: 'any' });
    expect((await fetch(`http://${externalAddress}:${local.port}/_local/state`)).status).toBe(200);
  });
});
