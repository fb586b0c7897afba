// SQS over the AWS JSON 1.0 protocol (what current @aws-sdk/client-sqs speaks): `X-Amz-Target: AmazonSQS.<Op>`.
import type { ServerResponse } from 'node:http';
import { AwsError } from '../aws-error';
import type { RequestContext } from '../request-context';
import type { MessageAttributes } from './md5';
import type { SqsService } from './sqs-service';

type Input = Record<string, unknown>;
type Operation = (input: Input, ctx: RequestContext) => Input | Promise<Input>;

export const SQS_TARGET_PREFIX = 'AmazonSQS.';

const OPERATIONS = [
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
] as const;

export function sqsOperation(service: SqsService, name: string): Operation | undefined {
  if (!(OPERATIONS as readonly string[]).includes(name)) return undefined;
  return (service[name as (typeof OPERATIONS)[number]] as Operation).bind(service);
}

export async function handleSqsJson(
  service: SqsService,
  target: string,
  body: string,
  ctx: RequestContext,
  res: ServerResponse,
): Promise<void> {
  try {
    const operation = sqsOperation(service, target.slice(SQS_TARGET_PREFIX.length));
    if (!operation) {
      throw new AwsError('UnknownOperationException', `Unknown operation ${target}`, 400, 'InvalidAction');
    }
    let input: Input;
    try {
      input = body ? (JSON.parse(body) as Input) : {};
    } catch {
      throw new AwsError(
        'SerializationException',
        'Start of structure or map found where not expected.',
        400,
        'MalformedQueryString',
      );
    }
    decodeBinaryAttributes(input);
    const output = await operation(input, ctx);
    send(res, 200, JSON.stringify(output, encodeBuffers), ctx);
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    res.setHeader('x-amzn-query-error', `${error.queryCode};${error.fault}`);
    send(res, error.status, JSON.stringify({ __type: `com.amazonaws.sqs#${error.code}`, message: error.message }), ctx);
  }
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
