// Benchmark: cold start, long-poll wake-up latency, batch throughput and SNS → SQS delivery latency,
// measured with the real AWS SDK over HTTP against an in-process endpoint (the CLI for cold start).
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { startLocalAws } from '../src';

const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };
const region = 'us-east-1';

function sqsClient(endpoint: string, maxSockets = 50): SQSClient {
  return new SQSClient({
    endpoint,
    region,
    credentials,
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets }) },
  });
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Spawns the CLI and times until its health endpoint has answered once. */
async function coldStartMs(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [join(__dirname, '..', 'src', 'cli.js'), '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /on (http:\/\/[^\s]+)/.exec(chunk.toString());
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`local-aws exited with ${code}`)));
  });
  const response = await fetch(`${endpoint}/_local/health`);
  await response.text();
  const elapsed = performance.now() - started;
  child.kill('SIGTERM');
  return elapsed;
}

async function wakeLatencies(endpoint: string, rounds: number): Promise<number[]> {
  const consumer = sqsClient(endpoint);
  const producer = sqsClient(endpoint);
  const { QueueUrl } = await producer.send(new CreateQueueCommand({ QueueName: 'bench-wake' }));
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    let received = 0;
    const polling = consumer.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 })).then((r) => {
      received = performance.now();
      return r;
    });
    await pause(3); // let the long poll reach the server and wait
    const sent = performance.now();
    await producer.send(new SendMessageCommand({ QueueUrl, MessageBody: `wake ${i}` }));
    const { Messages } = await polling;
    samples.push(received - sent);
    await consumer.send(
      new DeleteMessageBatchCommand({ QueueUrl, Entries: [{ Id: '0', ReceiptHandle: Messages![0].ReceiptHandle }] }),
    );
  }
  consumer.destroy();
  producer.destroy();
  return samples;
}

/** The three calls a consumer loop makes, over either the AWS SDK or a bare keep-alive HTTP connection. */
interface BatchClient {
  sendBatch(queueUrl: string, entries: Array<{ Id: string; MessageBody: string }>): Promise<void>;
  receive(queueUrl: string): Promise<string[]>;
  deleteBatch(queueUrl: string, receiptHandles: string[]): Promise<void>;
  close(): void;
}

function sdkBatchClient(endpoint: string): BatchClient {
  const client = sqsClient(endpoint, 1);
  return {
    sendBatch: async (QueueUrl, Entries) =>
      void (await client.send(new SendMessageBatchCommand({ QueueUrl, Entries }))),
    receive: async (QueueUrl) => {
      const { Messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
      return Messages.map((m) => m.ReceiptHandle!);
    },
    deleteBatch: async (QueueUrl, handles) =>
      void (await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl,
          Entries: handles.map((ReceiptHandle, i) => ({ Id: String(i), ReceiptHandle })),
        }),
      )),
    close: () => client.destroy(),
  };
}

/** The JSON protocol by hand: shows what the endpoint sustains when the SDK's own CPU cost is taken out. */
function rawBatchClient(endpoint: string): BatchClient {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(endpoint);
  const call = (operation: string, input: unknown) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const body = JSON.stringify(input);
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: '/',
          headers: {
            'content-type': 'application/x-amz-json-1.0',
            'x-amz-target': `AmazonSQS.${operation}`,
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return {
    sendBatch: async (QueueUrl, Entries) => void (await call('SendMessageBatch', { QueueUrl, Entries })),
    receive: async (QueueUrl) => {
      const { Messages = [] } = (await call('ReceiveMessage', { QueueUrl, MaxNumberOfMessages: 10 })) as {
        Messages?: Array<{ ReceiptHandle: string }>;
      };
      return Messages.map((m) => m.ReceiptHandle);
    },
    deleteBatch: async (QueueUrl, handles) =>
      void (await call('DeleteMessageBatch', {
        QueueUrl,
        Entries: handles.map((ReceiptHandle, i) => ({ Id: String(i), ReceiptHandle })),
      })),
    close: () => agent.destroy(),
  };
}

/** Each worker loops send batch of 10 → receive 10 → delete batch on its own connection; returns msgs/s. */
async function throughput(
  endpoint: string,
  workers: number,
  durationMs: number,
  connect: (endpoint: string) => BatchClient,
): Promise<number> {
  const setup = sqsClient(endpoint);
  const { QueueUrl } = await setup.send(
    new CreateQueueCommand({ QueueName: `bench-throughput-${workers}-${Date.now()}` }),
  );
  setup.destroy();
  const entries = Array.from({ length: 10 }, (_, i) => ({
    Id: String(i),
    MessageBody: `{"order":${i},"payload":"${'x'.repeat(200)}"}`,
  }));
  let processed = 0;
  const deadline = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      const client = connect(endpoint);
      while (performance.now() < deadline) {
        await client.sendBatch(QueueUrl!, entries);
        const handles = await client.receive(QueueUrl!);
        if (handles.length === 0) continue;
        await client.deleteBatch(QueueUrl!, handles);
        processed += handles.length;
      }
      client.close();
    }),
  );
  return processed / ((performance.now() - started) / 1000);
}

async function snsDeliveryLatencies(endpoint: string, rounds: number): Promise<number[]> {
  const sns = new SNSClient({ endpoint, region, credentials });
  const sqs = sqsClient(endpoint);
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'bench-topic' }));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'bench-subscriber' }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  await sns.send(
    new SubscribeCommand({
      TopicArn,
      Protocol: 'sqs',
      Endpoint: Attributes!.QueueArn,
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    let received = 0;
    const polling = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 })).then((r) => {
      received = performance.now();
      return r;
    });
    await pause(3);
    const published = performance.now();
    await sns.send(
      new PublishCommand({
        TopicArn,
        Message: `event ${i}`,
        MessageAttributes: { eventType: { DataType: 'String', StringValue: 'Bench' } },
      }),
    );
    const { Messages } = await polling;
    samples.push(received - published);
    await sqs.send(
      new DeleteMessageBatchCommand({ QueueUrl, Entries: [{ Id: '0', ReceiptHandle: Messages![0].ReceiptHandle }] }),
    );
  }
  sns.destroy();
  sqs.destroy();
  return samples;
}

async function main(): Promise<void> {
  const coldStarts = [];
  for (let i = 0; i < 5; i++) coldStarts.push(await coldStartMs());
  const inProcessStart = performance.now();
  const local = await startLocalAws({ port: 0 });
  await (await fetch(`${local.endpoint}/_local/health`)).text();
  const inProcessMs = performance.now() - inProcessStart;

  await wakeLatencies(local.endpoint, 20); // warm up the SDK and JIT
  const wake = await wakeLatencies(local.endpoint, 300);
  const single = await throughput(local.endpoint, 1, 3000, sdkBatchClient);
  const concurrent = await throughput(local.endpoint, 4, 3000, sdkBatchClient);
  const rawSingle = await throughput(local.endpoint, 1, 3000, rawBatchClient);
  const rawConcurrent = await throughput(local.endpoint, 4, 3000, rawBatchClient);
  const delivery = await snsDeliveryLatencies(local.endpoint, 300);
  await local.close();

  const rows: Array<[string, string, string]> = [
    ['cold start (CLI process → first answer), median of 5', `${percentile(coldStarts, 50).toFixed(1)} ms`, '< 150 ms'],
    ['cold start (in-process startLocalAws → first answer)', `${inProcessMs.toFixed(1)} ms`, ''],
    ['SendMessage → long-poll wake-up p50', `${percentile(wake, 50).toFixed(2)} ms`, '< 5 ms'],
    ['SendMessage → long-poll wake-up p99', `${percentile(wake, 99).toFixed(2)} ms`, ''],
    ['batches of 10 send/receive/delete, 1 connection, AWS SDK', `${Math.round(single)} msgs/s`, ''],
    ['batches of 10 send/receive/delete, 4 consumers, AWS SDK', `${Math.round(concurrent)} msgs/s`, ''],
    ['batches of 10 send/receive/delete, 1 connection, raw HTTP', `${Math.round(rawSingle)} msgs/s`, '≥ 5,000 msgs/s'],
    [
      'batches of 10 send/receive/delete, 4 consumers, raw HTTP',
      `${Math.round(rawConcurrent)} msgs/s`,
      '≥ 5,000 msgs/s',
    ],
    ['SNS Publish → SQS delivery (long-poll wake) p50', `${percentile(delivery, 50).toFixed(2)} ms`, ''],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  process.stdout.write(
    `\n@shop/local-aws benchmark (node ${process.version}, AWS SDK over HTTP, client and server in one process)\n\n`,
  );
  process.stdout.write(`${'measure'.padEnd(width)}  ${'result'.padStart(16)}  target\n`);
  for (const [name, value, target] of rows)
    process.stdout.write(`${name.padEnd(width)}  ${value.padStart(16)}  ${target}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
