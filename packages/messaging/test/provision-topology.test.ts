import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { eventually } from '@shop/testing';
import { provisionTopology, type TopologyChange } from '../src';
import { orderEvent, publishDirectly, receiveAll, startAws, testTopology, type AwsFixture } from './fixtures';

describe('provisionTopology', () => {
  let aws: AwsFixture;
  beforeAll(async () => {
    aws = await startAws();
  });
  afterAll(() => aws.close());

  it('creates topics, queues, DLQs and filtered raw subscriptions from nothing; a second run changes nothing', async () => {
    const topology = testTopology();
    const lines: string[] = [];
    const first = await provisionTopology(aws, topology, { log: (line) => lines.push(line) });
    const user = topology.consumers.user!;
    const topic = topology.producers.order!.topic;
    expect(first.changes).toEqual<TopologyChange[]>([
      { action: 'created', resource: 'topic', name: topic },
      { action: 'created', resource: 'queue', name: `${user.queue}-dlq` },
      { action: 'created', resource: 'queue', name: user.queue },
      { action: 'created', resource: 'subscription', name: `${user.queue} <- ${topic}` },
    ]);
    expect(lines).toHaveLength(4);

    const { Attributes } = await aws.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: first.queues.user!.url, AttributeNames: ['All'] }),
    );
    expect(Attributes?.VisibilityTimeout).toBe('5');
    expect(JSON.parse(Attributes!.RedrivePolicy!)).toEqual({
      deadLetterTargetArn: first.queues.user!.deadLetter.arn,
      maxReceiveCount: 3,
    });

    const second = await provisionTopology(aws, topology, { log: (line) => lines.push(line) });
    expect(second.changes).toEqual([]);
    expect(lines.at(-1)).toBe('topology already up to date');
    expect(second.topicArns).toEqual(first.topicArns);
    expect(second.queues).toEqual(first.queues);
  });

  it('delivers subscribed event types raw and filters out the others', async () => {
    const topology = testTopology();
    const { topicArns, queues } = await provisionTopology(aws, topology);
    const placed = orderEvent('OrderPlaced', 'order-1', 1);
    await publishDirectly(aws.sns, topicArns.order!, placed);
    await publishDirectly(aws.sns, topicArns.order!, { ...placed, eventType: 'OrderShipped' });

    const messages = await eventually(async () => {
      const received = await receiveAll(aws.sqs, queues.user!.url);
      expect(received).toHaveLength(1);
      return received;
    });
    expect(JSON.parse(messages[0]!.Body!)).toEqual(placed); // raw: the envelope itself, no SNS wrapper
    expect(messages[0]!.MessageAttributes?.eventType?.StringValue).toBe('OrderPlaced');
  });

  it('corrects a queue whose settings drifted from the topology', async () => {
    const topology = testTopology({ maxReceiveCount: 3 });
    await provisionTopology(aws, topology);
    const changed = {
      ...topology,
      consumers: { user: { ...topology.consumers.user!, maxReceiveCount: 7 } },
    };
    const result = await provisionTopology(aws, changed);
    expect(result.changes).toEqual([{ action: 'updated', resource: 'queue', name: topology.consumers.user!.queue }]);
    expect((await provisionTopology(aws, changed)).changes).toEqual([]);
  });
});
