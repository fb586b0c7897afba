/**
 * The "drop messages" switch. SNS delivers an event to a queue only when the subscription's filter policy matches;
 * this switch sets the user-service queue's filter on order events to match nothing, so SNS drops them for that
 * queue — nothing is queued, nothing is retried. Switching back re-provisions the topology, which restores the filter
 * from @shop/contracts. Only the AWS SDK is used, so it works on local-aws and LocalStack alike.
 */
import {
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  SetSubscriptionAttributesCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { systemTopology } from '@shop/contracts';
import { findTopicArn, provisionTopology, requireQueueUrl } from '@shop/messaging';

const TOPIC = systemTopology.producers.order.topic;
const QUEUE = systemTopology.consumers.user.queue;
/** An event type nobody publishes: a filter that matches nothing. */
const DROP_EVERYTHING = JSON.stringify({ eventType: ['dropped-by-the-console'] });

export class MessageDropSwitch {
  private knownArn: string | undefined;
  constructor(private readonly aws: { sns: SNSClient; sqs: SQSClient }) {}

  private async subscriptionArn(): Promise<string> {
    this.knownArn ??= await this.findSubscriptionArn();
    return this.knownArn;
  }

  private async findSubscriptionArn(): Promise<string> {
    const topicArn = await findTopicArn(this.aws.sns, TOPIC);
    const { Attributes } = await this.aws.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: await requireQueueUrl(this.aws.sqs, QUEUE),
        AttributeNames: ['QueueArn'],
      }),
    );
    let NextToken: string | undefined;
    do {
      const page = await this.aws.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken }));
      const found = page.Subscriptions?.find((subscription) => subscription.Endpoint === Attributes?.QueueArn);
      if (found?.SubscriptionArn) return found.SubscriptionArn;
      NextToken = page.NextToken;
    } while (NextToken);
    throw new Error(`${QUEUE} is not subscribed to ${TOPIC}: run \`pnpm provision\``);
  }

  async isDropping(): Promise<boolean> {
    try {
      const { Attributes } = await this.aws.sns.send(
        new GetSubscriptionAttributesCommand({ SubscriptionArn: await this.subscriptionArn() }),
      );
      return Attributes?.FilterPolicy === DROP_EVERYTHING;
    } catch (error) {
      this.knownArn = undefined; // re-provisioned or restarted broker: look it up again
      throw error;
    }
  }

  async drop(): Promise<void> {
    await this.aws.sns.send(
      new SetSubscriptionAttributesCommand({
        SubscriptionArn: await this.subscriptionArn(),
        AttributeName: 'FilterPolicy',
        AttributeValue: DROP_EVERYTHING,
      }),
    );
  }

  async deliver(): Promise<void> {
    await provisionTopology(this.aws);
  }
}
