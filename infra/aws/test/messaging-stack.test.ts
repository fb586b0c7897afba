// Synthesises the stack offline (no AWS account, no CDK CLI) and checks the CloudFormation it would deploy.
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  DEFAULT_MAX_RECEIVE_COUNT,
  DEFAULT_VISIBILITY_TIMEOUT_SECONDS,
  systemTopology,
  type ConsumerSpec,
} from '@shop/contracts';
import { MessagingStack } from '../src';

function synth(props: ConstructorParameters<typeof MessagingStack>[2] = {}): Template {
  return Template.fromStack(new MessagingStack(new App(), 'Test', props));
}

/** The logical id CloudFormation gives a resource, looked up by its physical name. */
function logicalIdOf(template: Template, type: string, nameProperty: string, name: string): string {
  const found = Object.keys(template.findResources(type, { Properties: { [nameProperty]: name } }));
  if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
  return found[0]!;
}

function topicOf(producer: string): string {
  return systemTopology.producers[producer as keyof typeof systemTopology.producers].topic;
}

describe('MessagingStack on the system topology', () => {
  const template = synth();
  const consumers: ConsumerSpec[] = Object.values(systemTopology.consumers);
  const subscriptions = consumers.flatMap((spec) =>
    Object.entries(spec.subscribes).map(([producer, eventTypes]) => ({ spec, producer, eventTypes })),
  );

  it('creates one topic per producer, named as the services look them up', () => {
    template.resourceCountIs('AWS::SNS::Topic', Object.keys(systemTopology.producers).length);
    for (const { topic } of Object.values(systemTopology.producers)) {
      template.hasResourceProperties('AWS::SNS::Topic', { TopicName: topic });
    }
  });

  it('creates a queue and a dead-letter queue per consumer', () => {
    template.resourceCountIs('AWS::SQS::Queue', consumers.length * 2);
    expect(consumers.map((spec) => spec.queue).sort()).toEqual(['order-service', 'user-service']);
  });

  it.each(consumers.map((spec) => [spec.queue, spec] as const))(
    '%s redrives to its dead-letter queue after maxReceiveCount receives',
    (queue, spec) => {
      const deadLetterId = logicalIdOf(template, 'AWS::SQS::Queue', 'QueueName', `${queue}-dlq`);
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: queue,
        VisibilityTimeout: spec.visibilityTimeoutSeconds ?? DEFAULT_VISIBILITY_TIMEOUT_SECONDS,
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterId, 'Arn'] },
          maxReceiveCount: spec.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT,
        },
      });
    },
  );

  it('keeps dead letters for 14 days', () => {
    for (const { queue } of consumers) {
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: `${queue}-dlq`,
        MessageRetentionPeriod: 1_209_600,
      });
    }
  });

  it.each(subscriptions.map((s) => [`${s.spec.queue} <- ${s.producer}`, s] as const))(
    'subscribes %s with raw delivery and a filter on eventType',
    (_label, { spec, producer, eventTypes }) => {
      const topicName = topicOf(producer);
      const topicId = logicalIdOf(template, 'AWS::SNS::Topic', 'TopicName', topicName);
      const queueId = logicalIdOf(template, 'AWS::SQS::Queue', 'QueueName', spec.queue);
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'sqs',
        TopicArn: { Ref: topicId },
        Endpoint: { 'Fn::GetAtt': [queueId, 'Arn'] },
        RawMessageDelivery: true,
        FilterPolicy: { eventType: [...eventTypes].sort() },
      });
    },
  );

  it('creates exactly the subscriptions the topology lists', () => {
    template.resourceCountIs('AWS::SNS::Subscription', subscriptions.length);
  });

  it.each(consumers.map((spec) => [spec.queue, spec] as const))(
    "lets only %s's subscribed topics send to it",
    (queue, spec) => {
      const queueId = logicalIdOf(template, 'AWS::SQS::Queue', 'QueueName', queue);
      const statements = Object.keys(spec.subscribes).map((producer) => {
        const topicName = topicOf(producer);
        return Match.objectLike({
          Effect: 'Allow',
          Principal: { Service: 'sns.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
          Condition: {
            ArnEquals: { 'aws:SourceArn': { Ref: logicalIdOf(template, 'AWS::SNS::Topic', 'TopicName', topicName) } },
          },
        });
      });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: { Statement: Match.arrayWith(statements) },
      });
    },
  );

  it('outputs every topic ARN and queue URL', () => {
    const outputs = Object.keys(template.findOutputs('*'));
    expect(outputs).toEqual(
      expect.arrayContaining(['userTopicArn', 'orderQueueUrl', 'orderDeadLetterQueueUrl', 'userQueueUrl']),
    );
  });
});

describe('MessagingStack on a custom topology', () => {
  it('applies per-consumer maxReceiveCount and visibility timeout', () => {
    const template = synth({
      topology: {
        producers: { billing: { topic: 'billing-events' } },
        consumers: {
          audit: {
            queue: 'audit',
            subscribes: { billing: ['InvoiceIssued'] },
            maxReceiveCount: 2,
            visibilityTimeoutSeconds: 120,
          },
        },
      },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'audit',
      VisibilityTimeout: 120,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 2 }),
    });
  });

  it('refuses a subscription to a producer the topology does not have', () => {
    expect(() =>
      synth({
        topology: {
          producers: {},
          consumers: { audit: { queue: 'audit', subscribes: { billing: ['InvoiceIssued'] } } },
        },
      }),
    ).toThrow('Consumer "audit" subscribes to unknown producer "billing"');
  });
});
