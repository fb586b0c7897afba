/**
 * The real process, as an operator runs it: `node dist/main.js` (built by turbo before tests run), on PGlite and on
 * a real Postgres (TEST_DATABASE_URL, or the run's Postgres container with TEST_CONTAINERS=1), with its outbox relay
 * publishing to an in-process local-aws. Checks start-up, the wiring of events to the
 * `payment-events` topic, graceful shutdown, and a clear failure on bad config.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEventProbe, type EventProbe } from '@shop/messaging/testing';
import { bearer, createTestDatabase, startServiceProcess, testEngines } from '@shop/testing';

const main = join(__dirname, '..', 'dist', 'main.js');
const JWT_SECRET = 'process-test-secret-at-least-32-characters';

describe('payment-service process', () => {
  let dataDir: string;
  let probe: EventProbe;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'payment-service-'));
    probe = await startEventProbe('payment');
  });
  afterEach(async () => {
    await probe.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it.each(testEngines())(
    'charges on %s, publishes PaymentCaptured to payment-events, and exits 0 on SIGTERM',
    async (engine) => {
      const database = engine === 'postgres' ? await createTestDatabase('postgres') : undefined;
      const storage: Record<string, string> = database ? { DATABASE_URL: database.url! } : { DATA_DIR: dataDir };
      const service = startServiceProcess({
        main,
        env: { PORT: '0', ...storage, LOG_LEVEL: 'info', AWS_ENDPOINT_URL: probe.endpoint, JWT_SECRET },
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
          // A service token as the order saga would send it, signed with the secret the process is given.
          ...bearer(JWT_SECRET, { sub: 'order', role: 'service' }),
        };
        const responses = await Promise.all(
          Array.from({ length: 5 }, () =>
            fetch(`${url}/payments`, { method: 'POST', headers, body }).then((r) => r.status),
          ),
        );
        expect(responses).toEqual(Array(5).fill(201));

        // Schema-validated by the probe; a further look finds no second event.
        expect(await probe.receiveMessages(1, 10_000)).toHaveLength(1);
        const messages = await probe.receiveMessages(0);
        expect(messages.map(({ event, attributes }) => [event.eventType, attributes.eventType?.StringValue])).toEqual([
          ['PaymentCaptured', 'PaymentCaptured'],
        ]);

        service.child.kill('SIGTERM');
        expect(await service.exited).toEqual({ code: 0, signal: null });
      } finally {
        service.child.kill('SIGKILL');
        await service.exited;
        await database?.close();
      }
    },
    180_000,
  ); // a cold PGlite start (initdb) takes most of this on a busy 2-core machine

  it('exits non-zero with one clear line when IDEMPOTENCY_WAIT_MS is not a number', async () => {
    const service = startServiceProcess({ main, env: { IDEMPOTENCY_WAIT_MS: 'soon', DATA_DIR: dataDir } });
    expect(await service.exited).toEqual({ code: 1, signal: null });
    expect(service.output().stderr.trim().split('\n')).toEqual([
      'payment-service: Invalid configuration: IDEMPOTENCY_WAIT_MS="soon": expected integer',
    ]);
  });
});
