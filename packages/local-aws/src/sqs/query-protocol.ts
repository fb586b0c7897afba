// SQS over the older AWS query protocol (AWS SDK v2, older boto3): flattened form parameters in, flattened XML out.
// Inputs are reshaped into the JSON protocol's structures so the same SqsService operations serve both.
import type { ServerResponse } from 'node:http';
import { AwsError } from '../aws-error';
import { XmlRaw, XmlRepeated, answerQueryAction, renderXml } from '../query-protocol';
import type { XmlValue } from '../query-protocol';
import type { RequestContext } from '../request-context';
import { sqsOperation } from './json-protocol';
import type { MessageAttributes } from './md5';
import type { SqsService } from './sqs-service';

type Input = Record<string, unknown>;

export const SQS_NAMESPACE = 'http://queue.amazonaws.com/doc/2012-11-05/';

/** Flattened query list names → JSON protocol names. */
const LIST_RENAMES: Record<string, string> = {
  AttributeName: 'AttributeNames',
  MessageAttributeName: 'MessageAttributeNames',
  MessageSystemAttributeName: 'MessageSystemAttributeNames',
  SendMessageBatchRequestEntry: 'Entries',
  DeleteMessageBatchRequestEntry: 'Entries',
  ChangeMessageVisibilityBatchRequestEntry: 'Entries',
  TagKey: 'TagKeys',
  AWSAccountId: 'AWSAccountIds',
  ActionName: 'Actions',
};

/** Operations whose query response has no `<…Result>` element (the model gives them no output). */
const NO_RESULT = new Set([
  'AddPermission',
  'ChangeMessageVisibility',
  'DeleteMessage',
  'DeleteQueue',
  'PurgeQueue',
  'RemovePermission',
  'SetQueueAttributes',
  'TagQueue',
  'UntagQueue',
]);

/** Batch result entries are named per operation in XML. */
const RESULT_ENTRY: Record<string, string> = {
  SendMessageBatch: 'SendMessageBatchResultEntry',
  DeleteMessageBatch: 'DeleteMessageBatchResultEntry',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibilityBatchResultEntry',
};

export async function handleSqsQuery(
  service: SqsService,
  action: string,
  params: Input,
  path: string,
  ctx: RequestContext,
  res: ServerResponse,
): Promise<void> {
  return answerQueryAction(res, SQS_NAMESPACE, action, ctx.requestId, async () => {
    const operation = sqsOperation(service, action);
    if (!operation) throw new AwsError('InvalidAction', `The action ${action} is not valid for this web service.`);
    const input = reshapeInput(params, action);
    // Older clients address the queue by posting to its URL instead of sending QueueUrl.
    if (input.QueueUrl === undefined && /^\/\d{12}\/[^/]+$/.test(path)) input.QueueUrl = `${ctx.origin}${path}`;
    return renderResult(action, await operation(input, ctx));
  });
}

function reshapeInput(params: Input, action: string): Input {
  const input: Input = {};
  for (const [key, value] of Object.entries(params)) {
    if (key === 'Attribute') input.Attributes = keyValueMap(value, 'Name', 'Value');
    else if (key === 'MessageAttribute') input.MessageAttributes = messageAttributes(value);
    else if (key === 'MessageSystemAttribute') input.MessageSystemAttributes = keyValueMap(value, 'Name', 'Value');
    // CreateQueue names its tag map `tags` in JSON, TagQueue `Tags`; both are `Tag.N.Key/Value` here.
    else if (key === 'Tag') input[action === 'CreateQueue' ? 'tags' : 'Tags'] = keyValueMap(value, 'Key', 'Value');
    else if (Object.hasOwn(LIST_RENAMES, key)) input[LIST_RENAMES[key]] = listOf(value);
    else input[key] = value;
  }
  if (Array.isArray(input.Entries)) {
    input.Entries = (input.Entries as unknown[]).map((entry) =>
      typeof entry === 'object' && entry !== null ? reshapeInput(entry as Input, action) : entry,
    );
  }
  return input;
}

/** Clients serialise an empty list as the bare name with an empty value (`AttributeName=`). */
function listOf(value: unknown): unknown {
  return value === '' ? [] : value;
}

function keyValueMap(value: unknown, keyName: string, valueName: string): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  for (const item of Array.isArray(value) ? (value as unknown[]) : []) {
    if (typeof item === 'object' && item !== null) {
      const entry = item as Input;
      map[String(entry[keyName])] = entry[valueName];
    }
  }
  return map;
}

function messageAttributes(value: unknown): MessageAttributes {
  const attributes = keyValueMap(value, 'Name', 'Value') as Record<string, Input | undefined>;
  const result: MessageAttributes = {};
  for (const [name, attribute] of Object.entries(attributes)) {
    result[name] = {
      DataType: String(attribute?.DataType ?? ''),
      StringValue: attribute?.StringValue as string | undefined,
      BinaryValue:
        typeof attribute?.BinaryValue === 'string' ? Buffer.from(attribute.BinaryValue, 'base64') : undefined,
    };
  }
  return result;
}

/** Renders the JSON-shaped output in the query protocol's flattened XML. */
function renderResult(action: string, output: Input): string {
  const body: Record<string, XmlValue> = {};
  for (const [key, value] of Object.entries(output)) {
    if (key === 'QueueUrls' || key === 'queueUrls') body.QueueUrl = new XmlRepeated(value as string[]);
    else if (key === 'Attributes') body.Attribute = new XmlRepeated(nameValueList(value as Record<string, string>));
    else if (key === 'Tags') body.Tag = new XmlRepeated(keyValueList(value as Record<string, string>));
    else if (key === 'Results') body.Results = new XmlRepeated(value as XmlValue[]);
    else if (key === 'Messages') body.Message = new XmlRepeated((value as Input[]).map(renderMessage));
    else if (key === 'Successful') body[RESULT_ENTRY[action]] = new XmlRepeated(value as XmlValue[]);
    else if (key === 'Failed') body.BatchResultErrorEntry = new XmlRepeated(value as XmlValue[]);
    else body[key] = value as XmlValue;
  }
  // An operation with output always has its Result element, even empty: parsers look it up by name.
  if (NO_RESULT.has(action)) return '';
  return renderXml(`${action}Result`, body);
}

function nameValueList(map: Record<string, unknown>): XmlValue[] {
  return Object.entries(map).map(([Name, Value]) => ({ Name, Value: Value as XmlValue }));
}

function keyValueList(map: Record<string, unknown>): XmlValue[] {
  return Object.entries(map).map(([Key, Value]) => ({ Key, Value: Value as XmlValue }));
}

/** A message: its plain fields, then repeated `Attribute` and `MessageAttribute` elements. */
function renderMessage(message: Input): XmlValue {
  const { Attributes, MessageAttributes: attributes, ...fields } = message;
  const parts = Object.entries(fields).map(([name, value]) => renderXml(name, value as XmlValue));
  parts.push(renderXml('Attribute', new XmlRepeated(nameValueList((Attributes ?? {}) as Record<string, string>))));
  for (const [Name, value] of Object.entries((attributes ?? {}) as MessageAttributes)) {
    const Value: Record<string, XmlValue> = { DataType: value.DataType };
    if (value.BinaryValue) Value.BinaryValue = value.BinaryValue.toString('base64');
    else Value.StringValue = value.StringValue;
    parts.push(renderXml('MessageAttribute', { Name, Value }));
  }
  return new XmlRaw(parts.join(''));
}
