// Benchmark: cold start, long-poll wake-up latency, batch throughput and SNS → SQS delivery latency, measured with
// the real AWS SDK over HTTP (the CLI for cold start). Throughput clients run in their own processes, so the
// figure is what the server sustains, with the server's CPU share measured beside it.
import { fork, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { Agent } from 'node:http';
import { join } from 'node:path';
import os from 'node:os';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
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

interface ThroughputResult {
  messagesPerSecond: number;
  /** Server CPU time (user + system) over wall time: 1 is one core busy all the time. */
  serverCpuShare: number;
}

/**
 * `processes` client processes (bench/throughput-client.ts), each looping send batch of 10 → receive 10 → delete
 * batch on one keep-alive connection, over the AWS SDK or raw HTTP. Measured from the moment every client has
 * warmed up; the server's CPU comes from process.cpuUsage() of this process, which runs only the server then.
 */
async function throughput(
  endpoint: string,
  processes: number,
  durationMs: number,
  mode: 'sdk' | 'raw',
): Promise<ThroughputResult> {
  const setup = sqsClient(endpoint);
  const { QueueUrl } = await setup.send(
    new CreateQueueCommand({ QueueName: `bench-throughput-${mode}-${processes}-${Date.now()}` }),
  );
  setup.destroy();
  const clients: ChildProcess[] = [];
  try {
    const ready: Array<Promise<void>> = [];
    const done: Array<Promise<number>> = [];
    for (let i = 0; i < processes; i++) {
      const child = fork(join(__dirname, 'throughput-client.js'), [endpoint, QueueUrl!, mode], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      clients.push(child);
      const exited = new Promise<never>((_, reject) =>
        child.once('exit', (code) => reject(new Error(`throughput client exited with ${code}`))),
      );
      ready.push(Promise.race([once(child, 'ready').then(() => undefined), exited]));
      done.push(Promise.race([once(child, 'done').then((message) => message.processed ?? 0), exited]));
    }
    await Promise.all(ready);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    for (const child of clients) child.send({ type: 'go', durationMs });
    const processed = (await Promise.all(done)).reduce((sum, count) => sum + count, 0);
    const elapsedMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    return {
      messagesPerSecond: processed / (elapsedMs / 1000),
      serverCpuShare: (cpu.user + cpu.system) / 1000 / elapsedMs,
    };
  } finally {
    for (const child of clients) if (child.exitCode === null) child.kill();
  }
}

function once(child: ChildProcess, type: 'ready' | 'done'): Promise<{ type: string; processed?: number }> {
  return new Promise((resolve) => {
    const listen = (message: { type: string; processed?: number }) => {
      if (message.type !== type) return;
      child.off('message', listen);
      resolve(message);
    };
    child.on('message', listen);
  });
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
  const delivery = await snsDeliveryLatencies(local.endpoint, 300);
  const runs: Array<{ label: string; result: ThroughputResult; target: string }> = [];
  for (const [mode, processes, target] of [
    ['sdk', 1, ''],
    ['sdk', 2, ''],
    ['sdk', 4, ''],
    ['raw', 1, '≥ 5,000 msgs/s'],
    ['raw', 2, '≥ 5,000 msgs/s'],
  ] as const) {
    const result = await throughput(local.endpoint, processes, 3000, mode);
    const client = mode === 'sdk' ? 'AWS SDK' : 'raw HTTP';
    runs.push({ label: `${client}, ${processes} client process${processes > 1 ? 'es' : ''}`, result, target });
  }
  await local.close();

  const rows: Array<[string, string, string]> = [
    ['cold start (CLI process → first answer), median of 5', `${percentile(coldStarts, 50).toFixed(1)} ms`, '< 150 ms'],
    ['cold start (in-process startLocalAws → first answer)', `${inProcessMs.toFixed(1)} ms`, ''],
    ['SendMessage → long-poll wake-up p50', `${percentile(wake, 50).toFixed(2)} ms`, '< 5 ms'],
    ['SendMessage → long-poll wake-up p99', `${percentile(wake, 99).toFixed(2)} ms`, ''],
    ['SNS Publish → SQS delivery (long-poll wake) p50', `${percentile(delivery, 50).toFixed(2)} ms`, ''],
  ];
  for (const { label, result, target } of runs) {
    rows.push([
      `batches of 10 send/receive/delete, ${label}`,
      `${formatRate(result.messagesPerSecond)} msgs/s`,
      target,
    ]);
    rows.push([`  server CPU during it (share of one core)`, `${Math.round(result.serverCpuShare * 100)} %`, '']);
  }
  const width = Math.max(...rows.map((r) => r[0].length));
  process.stdout.write(
    `\n@shop/local-aws benchmark (node ${process.version}, ${os.availableParallelism()} CPUs, load ${os.loadavg()[0].toFixed(1)}; ` +
      'throughput clients in separate processes, the server alone in this one)\n\n',
  );
  process.stdout.write(`${'measure'.padEnd(width)}  ${'result'.padStart(16)}  target\n`);
  for (const [name, value, target] of rows)
    process.stdout.write(`${name.padEnd(width)}  ${value.padStart(16)}  ${target}\n`);
}

function formatRate(perSecond: number): string {
  return Math.round(perSecond).toLocaleString('en-US');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
