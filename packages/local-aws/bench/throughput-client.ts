// One client process of the throughput benchmark, started by local-aws.bench.ts with `fork`: it loops
// "send a batch of 10 → receive up to 10 → delete them" against the endpoint, over the AWS SDK or raw HTTP,
// so the client's CPU (SigV4 signing, (de)serialisation) is spent outside the server's process.
//
// Protocol with the parent over IPC: after a warm-up it sends {ready}; on {go, durationMs} it runs for that long
// and sends {done, processed}.
import { Agent, request } from 'node:http';
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SQSClient,
  SendMessageBatchCommand,
} from '@aws-sdk/client-sqs';

type ClientMode = 'sdk' | 'raw';

interface WorkerMessage {
  type: 'ready' | 'done';
  processed?: number;
}

/** The three calls a consumer loop makes, over either the AWS SDK or a bare keep-alive HTTP connection. */
interface BatchClient {
  sendBatch(entries: Array<{ Id: string; MessageBody: string }>): Promise<void>;
  receive(): Promise<string[]>;
  deleteBatch(receiptHandles: string[]): Promise<void>;
}

const WARM_UP_MS = 500;

function sdkClient(endpoint: string, queueUrl: string): BatchClient {
  const client = new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: 1 }) },
  });
  return {
    sendBatch: async (Entries) =>
      void (await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries }))),
    receive: async () => {
      const { Messages = [] } = await client.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
      );
      return Messages.map((m) => m.ReceiptHandle!);
    },
    deleteBatch: async (handles) =>
      void (await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: handles.map((ReceiptHandle, i) => ({ Id: String(i), ReceiptHandle })),
        }),
      )),
  };
}

/** The JSON protocol by hand: what the endpoint sustains when the SDK's own CPU cost is taken out entirely. */
function rawClient(endpoint: string, queueUrl: string): BatchClient {
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
    sendBatch: async (Entries) => void (await call('SendMessageBatch', { QueueUrl: queueUrl, Entries })),
    receive: async () => {
      const { Messages = [] } = (await call('ReceiveMessage', { QueueUrl: queueUrl, MaxNumberOfMessages: 10 })) as {
        Messages?: Array<{ ReceiptHandle: string }>;
      };
      return Messages.map((m) => m.ReceiptHandle);
    },
    deleteBatch: async (handles) =>
      void (await call('DeleteMessageBatch', {
        QueueUrl: queueUrl,
        Entries: handles.map((ReceiptHandle, i) => ({ Id: String(i), ReceiptHandle })),
      })),
  };
}

const entries = Array.from({ length: 10 }, (_, i) => ({
  Id: String(i),
  MessageBody: `{"order":${i},"payload":"${'x'.repeat(200)}"}`,
}));

/** Loops until `until` (a performance.now() time); returns the messages received and deleted. */
async function loop(client: BatchClient, until: number): Promise<number> {
  let processed = 0;
  while (performance.now() < until) {
    await client.sendBatch(entries);
    const handles = await client.receive();
    if (handles.length === 0) continue;
    await client.deleteBatch(handles);
    processed += handles.length;
  }
  return processed;
}

async function main(): Promise<void> {
  const [endpoint, queueUrl, mode] = process.argv.slice(2) as [string, string, ClientMode];
  const client = mode === 'raw' ? rawClient(endpoint, queueUrl) : sdkClient(endpoint, queueUrl);
  await loop(client, performance.now() + WARM_UP_MS); // JIT and keep-alive connection warm before measuring
  const go = new Promise<number>((resolve) =>
    process.once('message', (message: { type: string; durationMs: number }) => resolve(message.durationMs)),
  );
  process.send!({ type: 'ready' } satisfies WorkerMessage);
  const durationMs = await go;
  const processed = await loop(client, performance.now() + durationMs);
  process.send!({ type: 'done', processed } satisfies WorkerMessage, () => process.exit(0));
}

main().catch((error: unknown) => {
  process.stderr.write(`throughput client: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
