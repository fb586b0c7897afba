// Finding existing topics and queues by name (never creating them: that is provisioning's job).
import { ListTopicsCommand, type SNSClient } from '@aws-sdk/client-sns';
import { GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** All topics in the account and region, by name. */
export async function listTopicArns(sns: SNSClient): Promise<Map<string, string>> {
  const arns = new Map<string, string>();
  let NextToken: string | undefined;
  do {
    const page = await sns.send(new ListTopicsCommand({ NextToken }));
    for (const { TopicArn } of page.Topics ?? []) if (TopicArn) arns.set(topicNameOf(TopicArn), TopicArn);
    NextToken = page.NextToken;
  } while (NextToken);
  return arns;
}

export async function findTopicArn(sns: SNSClient, topicName: string): Promise<string> {
  const arn = (await listTopicArns(sns)).get(topicName);
  if (!arn) throw new Error(`SNS topic "${topicName}" does not exist: run \`pnpm provision\` first`);
  return arn;
}

export async function findQueueUrl(sqs: SQSClient, queueName: string): Promise<string | undefined> {
  try {
    return (await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }))).QueueUrl;
  } catch (error) {
    if (isQueueDoesNotExist(error)) return undefined;
    throw error;
  }
}

export async function requireQueueUrl(sqs: SQSClient, queueName: string): Promise<string> {
  const url = await findQueueUrl(sqs, queueName);
  if (!url) throw new Error(`SQS queue "${queueName}" does not exist: run \`pnpm provision\` first`);
  return url;
}

export function topicNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf(':') + 1);
}

/** The last path segment of a queue URL, or the last field of a queue ARN. */
export function queueNameOf(urlOrArn: string): string {
  return urlOrArn.slice(Math.max(urlOrArn.lastIndexOf('/'), urlOrArn.lastIndexOf(':')) + 1);
}

function isQueueDoesNotExist(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === 'QueueDoesNotExist' || name === 'AWS.SimpleQueueService.NonExistentQueue';
}
