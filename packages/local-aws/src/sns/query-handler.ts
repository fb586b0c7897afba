// SNS over the AWS query protocol: form-encoded `Action=...` requests, XML responses and XML errors.
import type { ServerResponse } from 'node:http';
import { AwsError } from '../aws-error';
import { answerQueryAction, renderXml } from '../query-protocol';
import type { XmlValue } from '../query-protocol';
import type { RequestContext } from '../request-context';
import type { SnsService } from './sns-service';

export const SNS_NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';

export const SNS_ACTIONS = [
  'CreateTopic',
  'DeleteTopic',
  'ListTopics',
  'GetTopicAttributes',
  'SetTopicAttributes',
  'Subscribe',
  'Unsubscribe',
  'ListSubscriptions',
  'ListSubscriptionsByTopic',
  'GetSubscriptionAttributes',
  'SetSubscriptionAttributes',
  'Publish',
  'PublishBatch',
  'TagResource',
  'UntagResource',
  'ListTagsForResource',
  'AddPermission',
  'RemovePermission',
] as const;

type Operation = (input: Record<string, unknown>, ctx: RequestContext) => Record<string, XmlValue>;

export function isSnsAction(action: string): boolean {
  return (SNS_ACTIONS as readonly string[]).includes(action);
}

export function handleSnsQuery(
  service: SnsService,
  action: string,
  params: Record<string, unknown>,
  ctx: RequestContext,
  res: ServerResponse,
): Promise<void> {
  return answerQueryAction(res, SNS_NAMESPACE, action, ctx.requestId, () => {
    if (!isSnsAction(action)) {
      throw new AwsError('InvalidAction', `The action ${action} is not valid for this web service.`);
    }
    const operation = (service[action as (typeof SNS_ACTIONS)[number]] as Operation).bind(service);
    return Object.entries(operation(params, ctx))
      .map(([name, value]) => renderXml(name, value))
      .join('');
  });
}
