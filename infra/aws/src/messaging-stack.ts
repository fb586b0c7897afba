/** The deployable stack: the system topology plus outputs naming what a service needs to find it. */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { systemTopology, type Topology } from '@shop/contracts';
import { MessagingTopology } from './messaging-topology';

export interface MessagingStackProps extends StackProps {
  /** Defaults to the system's own topology; tests pass small ones. */
  readonly topology?: Topology;
}

export class MessagingStack extends Stack {
  readonly messaging: MessagingTopology;

  constructor(scope: Construct, id: string, props: MessagingStackProps = {}) {
    super(scope, id, props);
    this.messaging = new MessagingTopology(this, 'Topology', { topology: props.topology ?? systemTopology });

    for (const [producer, topic] of Object.entries(this.messaging.topics)) {
      new CfnOutput(this, `${producer}TopicArn`, { value: topic.topicArn });
    }
    for (const [consumer, queue] of Object.entries(this.messaging.queues)) {
      new CfnOutput(this, `${consumer}QueueUrl`, { value: queue.queueUrl });
      new CfnOutput(this, `${consumer}DeadLetterQueueUrl`, {
        value: this.messaging.deadLetterQueues[consumer]!.queueUrl,
      });
    }
  }
}
