// Where the conformance suite runs: an in-process local-aws by default, or AWS_ENDPOINT_URL (LocalStack, real AWS).
// Tests only use the AWS SDK, so the same assertions show the emulator behaves like the real thing.
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import type { Message } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { startLocalAws } from '../../src';
import type { LocalAws } from '../../src';

/**
 * True when the suite runs against the in-process local-aws. Tests of local-aws's own extras (the /_local admin
 * API, the state file) run only then and are skipped, with that reason in their name, against LocalStack or AWS.
 */
export const againstLocalAws = !process.env.AWS_ENDPOINT_URL;
export const itLocalOnly = againstLocalAws ? it : it.skip;

export interface ConformanceEndpoint {
  sqs: SQSClient;
  sns: SNSClient;
  sts: STSClient;
  endpoint: string;
  region: string;
  /** SQS and SNS clients for another region of the same endpoint (closed with it). */
  inRegion(region: string): { sqs: SQSClient; sns: SNSClient };
  /** A name no other test (or earlier run against a shared endpoint) uses. */
  uniqueName(prefix: string): string;
  close(): Promise<void>;
}

export async function openConformanceEndpoint(): Promise<ConformanceEndpoint> {
  const external = process.env.AWS_ENDPOINT_URL;
  let local: LocalAws | undefined;
  if (!external) local = await startLocalAws({ port: 0 });
  const endpoint = external ?? local!.endpoint;
  const region = process.env.AWS_REGION ?? 'us-east-1';
  const credentials = external ? undefined : { accessKeyId: 'test', secretAccessKey: 'test' };
  const sqs = new SQSClient({ endpoint, region, credentials });
  const sns = new SNSClient({ endpoint, region, credentials });
  const sts = new STSClient({ endpoint, region, credentials });
  const regional = new Map<string, { sqs: SQSClient; sns: SNSClient }>();
  return {
    sqs,
    sns,
    sts,
    endpoint,
    region,
    inRegion(other) {
      let clients = regional.get(other);
      if (!clients) {
        clients = {
          sqs: new SQSClient({ endpoint, region: other, credentials }),
          sns: new SNSClient({ endpoint, region: other, credentials }),
        };
        regional.set(other, clients);
      }
      return clients;
    },
    uniqueName: (prefix) => `${prefix}-${randomBytes(4).toString('hex')}`,
    async close() {
      for (const client of [sqs, sns, sts, ...[...regional.values()].flatMap((c) => [c.sqs, c.sns])]) {
        client.destroy();
      }
      await local?.close();
    },
  };
}

export interface RawRequest {
  /** The signing scope's service, as a client of that service would sign. */
  service: 'sqs' | 'sns' | 'sts';
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * A hand-written request, SigV4-signed with the SDK's credentials: for shapes no SDK sends (a bad X-Amz-Target,
 * a JSON `null` body, the query protocol), still accepted by an endpoint that checks signatures.
 */
export async function signedRequest(aws: ConformanceEndpoint, raw: RawRequest): Promise<RawResponse> {
  const url = new URL(raw.path ?? '/', aws.endpoint);
  const body = raw.body ?? '';
  const signer = new SignatureV4({
    service: raw.service,
    region: aws.region,
    credentials: aws.sqs.config.credentials,
    sha256: aws.sqs.config.sha256,
  });
  const signed = await signer.sign({
    method: raw.method ?? 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: { host: url.host, 'content-length': String(Buffer.byteLength(body)), ...raw.headers },
    body,
  });
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: signed.method, headers: signed.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A query-protocol request (`Action=…` form body), signed for the service. */
export function queryRequest(
  aws: ConformanceEndpoint,
  service: RawRequest['service'],
  params: Record<string, string>,
  path = '/',
): Promise<RawResponse> {
  const version = { sqs: '2012-11-05', sns: '2010-03-31', sts: '2011-06-15' }[service];
  return signedRequest(aws, {
    service,
    path,
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new URLSearchParams({ Version: version, ...params }).toString(),
  });
}

/**
 * The text of the first `<name>` element as an XML 1.0 parser reads it: line ends normalised (a literal CR or
 * CR LF becomes LF, XML 1.0 §2.11), then character and entity references decoded.
 */
export function xmlText(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  if (!match) return undefined;
  const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
  return match[1]
    .replace(/\r\n?/g, '\n')
    .replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (_, ref: string) =>
      ref.startsWith('#x')
        ? String.fromCodePoint(parseInt(ref.slice(2), 16))
        : ref.startsWith('#')
          ? String.fromCodePoint(Number(ref.slice(1)))
          : named[ref],
    );
}

/** Polls `check` until it returns a value (not undefined) or the deadline passes — instead of a blind sleep. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 5000,
  intervalMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The error an SDK call rejects with, so tests can assert on `name` and `message`. */
export async function errorOf(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

/** Receives until the queue answers empty: immediate locally (delivery is synchronous), short waits elsewhere. */
export async function drainQueue(aws: ConformanceEndpoint, queueUrl: string): Promise<Message[]> {
  const waitSeconds = process.env.AWS_ENDPOINT_URL ? 2 : 0;
  const all: Message[] = [];
  for (;;) {
    const { Messages } = await aws.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: waitSeconds,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (!Messages) return all;
    all.push(...Messages);
    await aws.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  }
}

/** A queue subscribed to a topic, with the queue policy real AWS needs to accept deliveries from SNS. */
export async function subscribedQueue(
  aws: ConformanceEndpoint,
  topicArn: string,
  attributes: Record<string, string> = {},
  queueName = aws.uniqueName('subscriber'),
): Promise<{ queueUrl: string; queueArn: string; subscriptionArn: string }> {
  const { QueueUrl } = await aws.sqs.send(
    new CreateQueueCommand({
      QueueName: queueName,
      Attributes: queueName.endsWith('.fifo') ? { FifoQueue: 'true' } : undefined,
    }),
  );
  const queueArn = await queueArnOf(aws, QueueUrl!);
  await aws.sqs.send(
    new SetQueueAttributesCommand({
      QueueUrl,
      Attributes: {
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'sns.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: queueArn,
              Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
            },
          ],
        }),
      },
    }),
  );
  const { SubscriptionArn } = await aws.sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: queueArn,
      Attributes: attributes,
      ReturnSubscriptionArn: true,
    }),
  );
  return { queueUrl: QueueUrl!, queueArn, subscriptionArn: SubscriptionArn! };
}

/** A queue's ARN, from GetQueueAttributes. */
export async function queueArnOf(aws: ConformanceEndpoint, queueUrl: string): Promise<string> {
  const { Attributes } = await aws.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  return Attributes!.QueueArn!;
}

/** Creates a queue (by exact name) through the SDK and returns its URL. */
export async function newQueue(
  aws: ConformanceEndpoint,
  name: string,
  attributes?: Record<string, string>,
): Promise<string> {
  const { QueueUrl } = await aws.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  return QueueUrl!;
}
