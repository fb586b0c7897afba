/**
 * Outbox commit → consumer handler latency, in one process: local-aws (SNS + SQS over HTTP with the AWS SDK), a
 * producer and a consumer database (PGlite, or Postgres), the real outbox relay and consumer of @shop/messaging.
 * Each sample: commit a transaction that enqueues one OrderPlaced, call relay.wake() (as services do after a
 * commit), and stop the clock when the consumer's handler is invoked for that event (inbox row in its transaction).
 */
import { randomBytes } from 'node:crypto';
import { createEvent, type Topology } from '@shop/contracts';
import { openDatabase, type Database } from '@shop/db';
import { startLocalAws } from '@shop/local-aws';
import {
  createAwsClients,
  createConsumer,
  createOutboxRelay,
  destroyAwsClients,
  enqueueEvents,
  installMessagingSchema,
  provisionTopology,
} from '@shop/messaging';
import { summarize, type LatencySummary } from './stats';

export interface MessagingBenchOptions {
  events: number;
  /** Producers committing at once in the concurrent run. */
  concurrency: number;
  /** One database URL for the producer and one for the consumer; PGlite in memory when omitted. */
  databaseUrls?: { producer: string; consumer: string };
}

export interface MessagingBenchResult {
  sequential: LatencySummary;
  concurrent: LatencySummary & { concurrency: number; eventsPerSecond: number };
}

function benchTopology(): Topology {
  const suffix = randomBytes(4).toString('hex');
  return {
    producers: { order: { topic: `bench-order-events-${suffix}` } },
    consumers: {
      user: {
        queue: `bench-user-service-${suffix}`,
        subscribes: { order: ['OrderPlaced'] },
        maxReceiveCount: 5,
        visibilityTimeoutSeconds: 30,
      },
    },
  };
}

function orderPlaced(orderId: string) {
  return createEvent({
    eventType: 'OrderPlaced',
    aggregateId: orderId,
    aggregateVersion: 1,
    data: {
      orderId,
      customerId: 'bench-customer',
      lines: [{ sku: 'BENCH-ITEM', quantity: 1, unitPrice: { amountMinor: 1299, currency: 'EUR' } }],
      total: { amountMinor: 1299, currency: 'EUR' },
    },
    metadata: { correlationId: `bench-${orderId}` },
  });
}

export async function runMessagingBench(options: MessagingBenchOptions): Promise<MessagingBenchResult> {
  const localAws = await startLocalAws({ port: 0, host: '127.0.0.1' });
  const aws = createAwsClients({ endpoint: localAws.endpoint, region: 'us-east-1' });
  const databases: Database[] = [];
  const stoppables: { stop(): Promise<void> }[] = [];
  try {
    const producerDb = await openDatabase({ url: options.databaseUrls?.producer });
    databases.push(producerDb);
    const consumerDb = await openDatabase({ url: options.databaseUrls?.consumer });
    databases.push(consumerDb);
    await installMessagingSchema(producerDb);
    await installMessagingSchema(consumerDb);
    const provisioned = await provisionTopology(aws, benchTopology());

    // eventId → resolves with the time the handler ran.
    const waiting = new Map<string, (at: number) => void>();
    const relay = createOutboxRelay({ db: producerDb, sns: aws.sns, topicArn: provisioned.topicArns.order! });
    stoppables.push(relay);
    relay.start();
    const consumer = createConsumer({
      db: consumerDb,
      sqs: aws.sqs,
      name: 'user',
      queueUrl: provisioned.queues.user!.url,
      concurrency: 10,
      handlers: {
        OrderPlaced: async (event) => {
          waiting.get(event.eventId)?.(performance.now());
        },
      },
    });
    stoppables.push(consumer);
    await consumer.start();

    let sequence = 0;
    const oneEvent = async (): Promise<number> => {
      const event = orderPlaced(`bench-order-${sequence++}`);
      const handled = new Promise<number>((resolve) => waiting.set(event.eventId, resolve));
      await producerDb.transaction((tx) => enqueueEvents(tx, [event]));
      const committed = performance.now();
      relay.wake();
      const latency = (await handled) - committed;
      waiting.delete(event.eventId);
      return latency;
    };

    for (let i = 0; i < 20; i++) await oneEvent(); // warm-up: SDK clients, JIT, queue long polls in place
    const sequential: number[] = [];
    for (let i = 0; i < options.events; i++) sequential.push(await oneEvent());

    const concurrent: number[] = [];
    const perProducer = Math.ceil(options.events / options.concurrency);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        for (let i = 0; i < perProducer; i++) concurrent.push(await oneEvent());
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return {
      sequential: summarize(sequential),
      concurrent: {
        ...summarize(concurrent),
        concurrency: options.concurrency,
        eventsPerSecond: concurrent.length / seconds,
      },
    };
  } finally {
    for (const stoppable of stoppables.reverse()) await stoppable.stop();
    for (const db of databases) await db.close();
    destroyAwsClients(aws);
    await localAws.close();
  }
}
