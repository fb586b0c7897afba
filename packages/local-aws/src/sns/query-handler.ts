// SNS over the AWS query protocol: form-encoded `Action=...` requests, XML responses and XML errors.
import type { ServerResponse } from 'node:http';
import { AwsError } from '../aws-error';
import { escapeXml, renderXml } from '../query-protocol';
import type { XmlValue } from '../query-protocol';
import type { RequestContext } from '../request-context';
import type { SnsService } from './sns-service';

const NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';

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
): void {
  try {
    if (!isSnsAction(action))
      throw new AwsError('InvalidAction', `The action ${action} is not valid for this web service.`);
    const operation = (service[action as (typeof SNS_ACTIONS)[number]] as Operation).bind(service);
    const output = operation(params, ctx);
    const content = Object.entries(output)
      .map(([name, value]) => renderXml(name, value))
      .join('');
    send(
      res,
      200,
      `<${action}Response xmlns="${NAMESPACE}">${content}<ResponseMetadata><RequestId>${ctx.requestId}</RequestId></ResponseMetadata></${action}Response>`,
    );
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    send(
      res,
      error.status,
      `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${error.fault}</Type><Code>${escapeXml(error.queryCode)}</Code>` +
        `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${ctx.requestId}</RequestId></ErrorResponse>`,
    );
  }
}

function send(res: ServerResponse, status: number, xml: string): void {
  const body = `<?xml version="1.0"?>${xml}`;
  res.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
