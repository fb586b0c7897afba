// SQS over the AWS JSON 1.0 protocol (what current @aws-sdk/client-sqs speaks): `X-Amz-Target: AmazonSQS.<Op>`.
import type { ServerResponse } from 'node:http';
import { AwsError } from '../aws-error';
import type { RequestContext } from '../request-context';
import type { MessageAttributes } from './md5';
import type { SqsService } from './sqs-service';

type Input = Record<string, unknown>;
type Operation = (input: Input, ctx: RequestContext) => Input | Promise<Input>;

export const SQS_TARGET_PREFIX = 'AmazonSQS.';

/** Every SQS operation the endpoint serves (the SqsService method of the same name). */
export const SQS_OPERATIONS = [
  'CreateQueue',
  'GetQueueUrl',
  'ListQueues',
  'DeleteQueue',
  'PurgeQueue',
  'GetQueueAttributes',
  'SetQueueAttributes',
  'ListDeadLetterSourceQueues',
  'SendMessage',
  'SendMessageBatch',
  'ReceiveMessage',
  'DeleteMessage',
  'DeleteMessageBatch',
  'ChangeMessageVisibility',
  'ChangeMessageVisibilityBatch',
  'TagQueue',
  'UntagQueue',
  'ListQueueTags',
  'AddPermission',
  'RemovePermission',
  'StartMessageMoveTask',
  'ListMessageMoveTasks',
  'CancelMessageMoveTask',
] as const;

export function sqsOperation(service: SqsService, name: string): Operation | undefined {
  if (!(SQS_OPERATIONS as readonly string[]).includes(name)) return undefined;
  return (service[name as (typeof SQS_OPERATIONS)[number]] as Operation).bind(service);
}

/**
 * Answers an AWS JSON 1.0 request. Only SQS speaks it here; any other target (another service, no operation after
 * the dot, no target at all) gets the JSON error AWS gives for an operation it does not know.
 */
export async function handleJsonRequest(
  service: SqsService,
  target: string | undefined,
  body: Buffer,
  ctx: RequestContext,
  res: ServerResponse,
): Promise<void> {
  try {
    const operation = target?.startsWith(SQS_TARGET_PREFIX)
      ? sqsOperation(service, target.slice(SQS_TARGET_PREFIX.length))
      : undefined;
    if (!operation) {
      throw new AwsError(
        'UnknownOperationException',
        target ? `Unknown operation ${target}` : 'The request has no X-Amz-Target header naming an operation.',
        { queryCode: 'InvalidAction' },
      );
    }
    const input = parseJsonObject(body);
    decodeBinaryAttributes(input);
    const output = await operation(input, ctx);
    send(res, 200, JSON.stringify(output, encodeBuffers), ctx);
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    res.setHeader('x-amzn-query-error', `${error.queryCode};${error.fault}`);
    send(res, error.status, JSON.stringify({ __type: `com.amazonaws.sqs#${error.code}`, message: error.message }), ctx);
  }
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The request body as a JSON object: invalid UTF-8, invalid JSON and anything but an object are refused. */
function parseJsonObject(body: Buffer): Input {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(STRICT_UTF8.decode(body));
  } catch (error) {
    const reason = error instanceof SyntaxError ? 'is not valid JSON' : 'is not valid UTF-8';
    throw serializationError(`The request body ${reason}.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const found = parsed === null ? 'null' : Array.isArray(parsed) ? 'a list' : `a ${typeof parsed}`;
    throw serializationError(`Expected a JSON object as the request body, found ${found}.`);
  }
  return parsed as Input;
}

function serializationError(message: string): AwsError {
  return new AwsError('SerializationException', message, { queryCode: 'MalformedQueryString' });
}

function send(res: ServerResponse, status: number, payload: string, ctx: RequestContext): void {
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': ctx.requestId,
  });
  res.end(payload);
}

/** Binary attribute values travel as base64 in JSON; the model holds bytes. */
function decodeBinaryAttributes(input: Input): void {
  const decode = (attributes: unknown) => {
    if (!attributes || typeof attributes !== 'object') return;
    for (const value of Object.values(attributes as MessageAttributes)) {
      if (value && typeof value.BinaryValue === 'string') value.BinaryValue = Buffer.from(value.BinaryValue, 'base64');
    }
  };
  decode(input.MessageAttributes);
  if (Array.isArray(input.Entries)) for (const entry of input.Entries as Input[]) decode(entry?.MessageAttributes);
}

function encodeBuffers(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  return Buffer.isBuffer(raw) ? raw.toString('base64') : value;
}
