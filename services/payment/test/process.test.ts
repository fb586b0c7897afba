/**
 * The real process, as an operator runs it: `node dist/main.js` (built by turbo before tests run), on PGlite, with
 * its outbox relay publishing to an in-process local-aws. Checks start-up, the wiring of events to the
 * `payment-events` topic, graceful shutdown, and a clear failure on bad config.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { systemTopology, validateEvent } from '@shop/contracts';
import { startLocalAws, type LocalAws } from '@shop/local-aws';
import { createAwsClients, destroyAwsClients, provisionTopology, type AwsClients } from '@shop/messaging';
import { createApp, signServiceToken } from '@shop/service-kit';
import { eventually } from '@shop/testing';

const main = join(__dirname, '..', 'dist', 'main.js');
const JWT_SECRET = 'process-test-secret-at-least-32-characters';

/** A service token as the order saga would send it, signed with the secret the process is given. */
async function serviceToken(): Promise<string> {
  const signer = await createApp({ name: 'token-signer', logger: false, authentication: { secret: JWT_SECRET } });
  try {
    await signer.ready();
    return signServiceToken(signer, 'order');
  } finally {
    await signer.close();
  }
}

function startService(env: Record<string, string>): {
  child: ChildProcess;
  url: Promise<string>;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, [main], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (match) resolve(match[1]!);
      if (process.env.DEBUG_SERVICE) process.stderr.write(line + '\n');
    });
    void exited.then((code) => reject(new Error(`service exited early with ${code}`)));
  });
  return { child, url, exited };
}

describe('payment-service process', () => {
  let dataDir: string;
  let aws: LocalAws;
  let clients: AwsClients;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'payment-service-'));
    aws = await startLocalAws({ port: 0, host: '127.0.0.1' });
    clients = createAwsClients({ endpoint: aws.endpoint, region: 'us-east-1' });
  });
  afterEach(async () => {
    destroyAwsClients(clients);
    await aws.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('charges on PGlite, publishes PaymentCaptured to payment-events, and exits 0 on SIGTERM', async () => {
    const { queues } = await provisionTopology(clients, {
      producers: { payment: systemTopology.producers.payment },
      consumers: { checker: { queue: 'payment-checker', subscribes: { payment: ['PaymentCaptured'] } } },
    });
    const service = startService({
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      AWS_ENDPOINT_URL: aws.endpoint,
      JWT_SECRET,
    });
    try {
      const url = await service.url;
      expect((await fetch(`${url}/health/ready`)).status).toBe(200);
      expect((await fetch(`${url}/docs`)).status).toBe(200);

      const body = JSON.stringify({
        orderId: 'order-1',
        customerId: 'c-1',
        amount: 1999,
        currency: 'EUR',
        paymentMethod: 'tok_visa',
      });
      const headers = {
        'content-type': 'application/json',
        'idempotency-key': 'process-key',
        authorization: `Bearer ${await serviceToken()}`,
      };
      const responses = await Promise.all(
        Array.from({ length: 5 }, () =>
          fetch(`${url}/payments`, { method: 'POST', headers, body }).then((r) => r.status),
        ),
      );
      expect(responses).toEqual(Array(5).fill(201));

      const message = await eventually(
        async () => {
          const { Messages = [] } = await clients.sqs.send(
            new ReceiveMessageCommand({ QueueUrl: queues.checker!.url, WaitTimeSeconds: 0 }),
          );
          expect(Messages).toHaveLength(1);
          return Messages[0]!;
        },
        { timeoutMs: 10_000 },
      );
      expect(validateEvent(JSON.parse(message.Body!))).toMatchObject({
        ok: true,
        event: { eventType: 'PaymentCaptured' },
      });

      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
    } finally {
      service.child.kill('SIGKILL');
    }
  }, 60_000); // a cold PGlite start (initdb) takes most of this on a busy 2-core machine

  it('exits non-zero with one clear line when IDEMPOTENCY_WAIT_MS is not a number', async () => {
    const child = spawn(process.execPath, [main], {
      env: { ...process.env, IDEMPOTENCY_WAIT_MS: 'soon', DATA_DIR: dataDir },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      'payment-service: Invalid configuration: IDEMPOTENCY_WAIT_MS="soon": expected integer',
    ]);
  });
});
