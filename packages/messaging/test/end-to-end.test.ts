// Publish → consume across two services' databases (producer: order, consumer: user), through an SNS/SQS endpoint (local-aws, or LocalStack with TEST_CONTAINERS=1).
import type { SNSClient } from '@aws-sdk/client-sns';
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type ReceiveMessageResult,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { EventOf } from '@shop/contracts';
import type { Queryable, Statement } from '@shop/db';
import { eventually, testEngines, testResources, type TestDatabase } from '@shop/testing';
import {
  createConsumer,
  createOutboxRelay,
  DEAD_LETTER_REASON_ATTRIBUTE,
  enqueueEvents,
  provisionTopology,
  type Consumer,
  type ConsumerOptions,
  type OutboxRelay,
  type ProvisionedTopology,
} from '../src';
import {
  databaseWithSchema,
  messagesInQueue,
  orderEvent,
  publishDirectly,
  receiveAll,
  recordingLogger,
  spyOnClient,
  startAws,
  testTopology,
  type AwsFixture,
} from './fixtures';

/** The user service's read model: one row per order, newest status by aggregateVersion. */
const ORDER_HISTORY = `CREATE TABLE order_history (
  order_id text PRIMARY KEY, customer_id text NOT NULL, status text NOT NULL,
  total_minor integer, version integer NOT NULL, effects integer NOT NULL DEFAULT 1)`;

const STATUS = { OrderPlaced: 'placed', OrderConfirmed: 'confirmed', OrderCancelled: 'cancelled' } as const;

type HistoryEvent = EventOf<'OrderPlaced'> | EventOf<'OrderConfirmed'> | EventOf<'OrderCancelled'>;

/**
 * Version-aware upsert: an event older than the row's version does not overwrite the status, but may fill in what
 * only it carries (the total of OrderPlaced). So any delivery order ends in the same row.
 */
function historyUpsert(event: HistoryEvent): Statement {
  const total = event.eventType === 'OrderPlaced' ? event.data.total.amountMinor : null;
  return {
    sql: `INSERT INTO order_history (order_id, customer_id, status, total_minor, version) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (order_id) DO UPDATE SET
       status = CASE WHEN EXCLUDED.version > order_history.version THEN EXCLUDED.status ELSE order_history.status END,
       version = GREATEST(order_history.version, EXCLUDED.version),
       total_minor = COALESCE(order_history.total_minor, EXCLUDED.total_minor),
       effects = order_history.effects + 1`,
    params: [event.data.orderId, event.data.customerId, STATUS[event.eventType], total, event.aggregateVersion],
  };
}

/** The upsert as a transactional handler (`EventHandler`). */
async function applyToHistory(event: HistoryEvent, tx: Queryable): Promise<void> {
  const { sql, params } = historyUpsert(event);
  await tx.query(sql, params);
}

/** The same upsert as a write-only handler (`EventWrites`): sent with the inbox record as one statement. */
const historyWrites = { writes: (event: HistoryEvent) => [historyUpsert(event)] };

describe.each(testEngines())('publish → consume on %s', (engine) => {
  let aws: AwsFixture;
  let orderDb: TestDatabase;
  let userDb: TestDatabase;
  let provisioned: ProvisionedTopology;
  const running: { stop(): Promise<void> }[] = [];

  const relay = (sns: Pick<SNSClient, 'send'> = aws.sns): OutboxRelay => {
    const created = createOutboxRelay({ db: orderDb, sns, topicArn: provisioned.topicArns.order! });
    running.push(created);
    return created;
  };
  const consumer = (options: Partial<ConsumerOptions> = {}): Consumer => {
    const created = createConsumer({
      db: userDb,
      sqs: aws.sqs,
      name: 'user',
      queueUrl: provisioned.queues.user!.url,
      handlers: { OrderPlaced: applyToHistory, OrderConfirmed: applyToHistory, OrderCancelled: applyToHistory },
      retryDelaySeconds: () => 0,
      waitTimeSeconds: 1,
      ...options,
    });
    running.push(created);
    return created;
  };
  const history = async () =>
    (await userDb.query('SELECT order_id, status, total_minor, version, effects FROM order_history ORDER BY order_id'))
      .rows;
  const placeOrder = (orderId: string, version = 1) =>
    orderDb.transaction((tx) => enqueueEvents(tx, [orderEvent('OrderPlaced', orderId, version)]));

  beforeAll(async () => {
    aws = await startAws();
  });
  afterAll(() => aws.close());
  // Closed in the afterEach below, after the relays and consumers that use them, even when the setup timed out.
  const databases = testResources('none');
  beforeEach(
    () =>
      databases.setup(async (track) => {
        [orderDb, userDb] = await Promise.all([track(databaseWithSchema(engine)), track(databaseWithSchema(engine))]);
        await userDb.exec(ORDER_HISTORY);
        provisioned = await provisionTopology(aws, testTopology({ maxReceiveCount: 3 }));
      }),
    120_000, // two databases at once on a busy CI machine
  );
  afterEach(async () => {
    for (const r of running.splice(0).reverse()) await r.stop();
    await databases.closeAll();
  });

  it('delivers a committed event to the handler, validated and typed, and deletes the message', async () => {
    const r = relay();
    r.start();
    await consumer().start();
    await placeOrder('order-1').then(() => r.wake());
    await eventually(async () =>
      expect(await history()).toEqual([
        { order_id: 'order-1', status: 'placed', total_minor: 999, version: 1, effects: 1 },
      ]),
    );
    await eventually(async () => expect(await messagesInQueue(aws.sqs, provisioned.queues.user!.url)).toBe(0));
  });

  it('publishes after a relay crash between commit and publish, with exactly one effect', async () => {
    // The first relay publishes to SNS, then "dies" before it can mark the row published.
    const crashing = relay(
      spyOnClient(aws.sns as SNSClient, () => {
        throw new Error('process killed');
      }),
    );
    await placeOrder('order-1');
    expect(await crashing.publishPending()).toMatchObject({ published: 0, failed: 1 });
    await crashing.stop();

    // It also happens that SNS accepted the batch and the crash came before the row was marked: published twice.
    const publishedThenKilled = relay(spyOnClient(aws.sns as SNSClient, () => undefined));
    await placeOrder('order-2');
    await orderDb.transaction(async (tx) => {
      const { rows } = await tx.query<{ envelope: object }>(
        `SELECT envelope FROM outbox WHERE aggregate_id = 'order-2'`,
      );
      await publishDirectly(aws.sns, provisioned.topicArns.order!, rows[0]!.envelope); // published, never marked
    });
    await publishedThenKilled.stop();

    const restarted = relay();
    restarted.start();
    await consumer().start();
    await eventually(async () =>
      expect(await history()).toMatchObject([
        { order_id: 'order-1', effects: 1 },
        { order_id: 'order-2', effects: 1 },
      ]),
    );
    await eventually(async () => expect(await restarted.pendingCount()).toBe(0));
    const { rows } = await userDb.query<{ n: number }>('SELECT count(*)::int AS n FROM inbox');
    expect(rows[0]!.n).toBe(2);
  });

  it('handles an event delivered three times once, acknowledging the duplicates', async () => {
    const logger = recordingLogger();
    const event = orderEvent('OrderPlaced', 'order-1', 1);
    for (let i = 0; i < 3; i++) await publishDirectly(aws.sns, provisioned.topicArns.order!, event);
    await consumer({ logger, concurrency: 3 }).start();
    await eventually(async () => {
      expect(logger.lines.filter((l) => l.message === 'consumer: duplicate delivery acknowledged')).toHaveLength(2);
      expect(await messagesInQueue(aws.sqs, provisioned.queues.user!.url)).toBe(0);
    });
    expect(await history()).toMatchObject([{ order_id: 'order-1', effects: 1 }]);
  });

  it('sends a write-only handler’s writes with the inbox record as one statement: one round trip, duplicates acknowledged', async () => {
    const logger = recordingLogger();
    const event = orderEvent('OrderPlaced', 'order-1', 1);
    for (let i = 0; i < 3; i++) await publishDirectly(aws.sns, provisioned.topicArns.order!, event);
    const before = userDb.counters();
    await consumer({ logger, concurrency: 3, handlers: { OrderPlaced: historyWrites } }).start();
    await eventually(async () => {
      expect(logger.lines.filter((l) => l.message === 'consumer: duplicate delivery acknowledged')).toHaveLength(2);
      expect(await messagesInQueue(aws.sqs, provisioned.queues.user!.url)).toBe(0);
    });
    const after = userDb.counters();
    // Three deliveries, three statements: the first records and writes, the two duplicates fail on the inbox key.
    expect({
      roundTrips: after.roundTrips - before.roundTrips,
      transactions: after.transactions - before.transactions,
    }).toEqual({ roundTrips: 3, transactions: 0 });
    expect(await history()).toMatchObject([{ order_id: 'order-1', status: 'placed', effects: 1 }]);
    const { rows } = await userDb.query<{ n: number }>('SELECT count(*)::int AS n FROM inbox');
    expect(rows[0]!.n).toBe(1);
  });

  it('records nothing for a write-only handler whose write fails, and retries the message', async () => {
    await publishDirectly(aws.sns, provisioned.topicArns.order!, orderEvent('OrderPlaced', 'poison', 1));
    await publishDirectly(aws.sns, provisioned.topicArns.order!, orderEvent('OrderPlaced', 'good', 1));
    const attempts = new Map<string, number>();
    const writes = (event: HistoryEvent): Statement[] => {
      attempts.set(event.aggregateId, (attempts.get(event.aggregateId) ?? 0) + 1);
      if (event.aggregateId !== 'poison') return [historyUpsert(event)];
      // A write the database refuses (customer_id is NOT NULL): the statement, inbox record included, is undone.
      const { sql, params } = historyUpsert(event);
      return [{ sql, params: [params[0], null, ...params.slice(2)] }];
    };
    await consumer({ handlers: { OrderPlaced: { writes } } }).start();
    const dlqUrl = provisioned.queues.user!.deadLetter.url;
    await eventually(async () => expect(await receiveAll(aws.sqs, dlqUrl)).toHaveLength(1));
    expect(attempts.get('poison')).toBe(3);
    expect(await history()).toMatchObject([{ order_id: 'good', effects: 1 }]);
    const { rows } = await userDb.query<{ aggregate_id: string }>('SELECT aggregate_id FROM inbox');
    expect(rows).toEqual([{ aggregate_id: 'good' }]);
  });

  it('deletes the messages of one receive with one DeleteMessageBatch', async () => {
    const receives: number[] = [];
    const deletes: number[] = [];
    const sqs = {
      send: async (command: object, options?: object) => {
        if (command.constructor.name === 'DeleteMessageCommand') deletes.push(1);
        if (command instanceof DeleteMessageBatchCommand) deletes.push(command.input.Entries!.length);
        const result = await (aws.sqs.send as (c: object, o?: object) => Promise<ReceiveMessageResult>)(
          command,
          options,
        );
        if (command instanceof ReceiveMessageCommand && result.Messages?.length) receives.push(result.Messages.length);
        return result;
      },
    } as SQSClient;
    for (let i = 1; i <= 5; i++)
      await publishDirectly(aws.sns, provisioned.topicArns.order!, orderEvent('OrderPlaced', `order-${i}`, 1));
    await consumer({ sqs }).start();
    await eventually(async () => {
      expect(await history()).toHaveLength(5);
      expect(await messagesInQueue(aws.sqs, provisioned.queues.user!.url)).toBe(0);
    });
    // Each receive's messages went out in one call (local-aws may hand out the five over one or several receives).
    expect(deletes).toEqual(receives);
  });

  it('moves a message whose handler keeps failing to the DLQ after maxReceiveCount, still processing the next', async () => {
    const attempts = new Map<string, number>();
    const logger = recordingLogger();
    await publishDirectly(aws.sns, provisioned.topicArns.order!, orderEvent('OrderPlaced', 'poison', 1));
    await publishDirectly(aws.sns, provisioned.topicArns.order!, orderEvent('OrderPlaced', 'good', 1));
    await consumer({
      logger,
      handlers: {
        OrderPlaced: async (event, tx) => {
          attempts.set(event.aggregateId, (attempts.get(event.aggregateId) ?? 0) + 1);
          if (event.aggregateId === 'poison') throw new Error('database constraint we cannot satisfy');
          await applyToHistory(event, tx);
        },
      },
    }).start();

    await eventually(async () => expect(await history()).toMatchObject([{ order_id: 'good' }]));
    const dlqUrl = provisioned.queues.user!.deadLetter.url;
    const [dead] = await eventually(async () => {
      const messages = await receiveAll(aws.sqs, dlqUrl);
      expect(messages).toHaveLength(1);
      return messages;
    });
    expect(JSON.parse(dead!.Body!).aggregateId).toBe('poison');
    expect(attempts.get('poison')).toBe(3);
    expect(logger.lines.filter((l) => l.message === 'consumer: handler failed')).toHaveLength(3);
  });

  it('dead-letters invalid and unknown messages at once, with the reason', async () => {
    const logger = recordingLogger();
    const topicArn = provisioned.topicArns.order!;
    await publishDirectly(aws.sns, topicArn, { ...orderEvent('OrderPlaced', 'order-1', 1), data: { orderId: 'x' } });
    await publishDirectly(aws.sns, topicArn, {
      ...orderEvent('OrderCancelled', 'order-2', 1),
      eventType: 'OrderPlaced',
      data: {},
    });
    await consumer({ logger, handlers: { OrderPlaced: applyToHistory } }).start();
    await publishDirectly(aws.sns, topicArn, orderEvent('OrderCancelled', 'order-3', 1)); // no handler registered

    const dead = await eventually(async () => {
      const messages = [];
      for (let batch; (batch = await receiveAll(aws.sqs, provisioned.queues.user!.deadLetter.url)).length;) {
        messages.push(...batch);
      }
      expect(messages).toHaveLength(3);
      return messages;
    });
    const reasons = dead.map((m) => m.MessageAttributes?.[DEAD_LETTER_REASON_ATTRIBUTE]?.StringValue).sort();
    expect(reasons[0]).toMatch(/^invalid-data: \/data\/customerId/);
    expect(reasons[2]).toMatch(/^no-handler/);
    expect(Number(dead[0]!.Attributes?.ApproximateReceiveCount)).toBe(1);
    expect(logger.lines.filter((l) => l.message === 'consumer: dead-lettered')).toHaveLength(3);
    expect(await history()).toEqual([]);
  });

  it('finishes the handler in flight on stop, deletes its message, and receives nothing more', async () => {
    let releaseHandler!: () => void;
    const handlerReleased = new Promise<void>((resolve) => (releaseHandler = resolve));
    let handlerStarted = false;
    let receivesAfterStop = 0;
    let stopping = false;
    const sqs = spyOnClient(aws.sqs as SQSClient, (command) => {
      if (stopping && command instanceof ReceiveMessageCommand) receivesAfterStop++;
    });
    const c = consumer({
      sqs,
      handlers: {
        OrderPlaced: async (event, tx) => {
          handlerStarted = true;
          await handlerReleased;
          await applyToHistory(event, tx);
        },
      },
    });
    await c.start();
    await publishDirectly(aws.sns, provisioned.topicArns.order!, orderEvent('OrderPlaced', 'slow', 1));
    await eventually(() => expect(handlerStarted).toBe(true));

    stopping = true;
    let stopped = false;
    const stop = c.stop().then(() => (stopped = true));
    await publishDirectly(aws.sns, provisioned.topicArns.order!, orderEvent('OrderPlaced', 'after-stop', 1));
    expect(stopped).toBe(false);
    releaseHandler();
    await stop;

    expect(await history()).toMatchObject([{ order_id: 'slow' }]);
    expect(receivesAfterStop).toBe(0);
    // Not handled, not lost: still in the queue (invisible for a while if the aborted long poll had already taken it).
    expect(await messagesInQueue(aws.sqs, provisioned.queues.user!.url)).toBe(1);
  });

  it('keeps a slow handler’s message invisible with a heartbeat instead of letting it be redelivered', async () => {
    let heartbeats = 0;
    const sqs = spyOnClient(aws.sqs as SQSClient, (command) => {
      if (command.constructor.name === 'ChangeMessageVisibilityCommand') heartbeats++;
    });
    let runs = 0;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await consumer({
      sqs,
      concurrency: 2,
      visibilityTimeoutSeconds: 1, // the heartbeat renews every 500 ms
      handlers: {
        OrderPlaced: async (event, tx) => {
          runs++;
          await released;
          await applyToHistory(event, tx);
        },
      },
    }).start();
    await publishDirectly(aws.sns, provisioned.topicArns.order!, orderEvent('OrderPlaced', 'slow', 1));
    // Four renewals = two full visibility timeouts: without them the idle second slot would have received it again.
    await eventually(() => expect(heartbeats).toBeGreaterThanOrEqual(4), { timeoutMs: 10_000 });
    release();
    await eventually(async () => expect(await history()).toMatchObject([{ order_id: 'slow', effects: 1 }]));
    expect(runs).toBe(1);
  });

  it('leaves the read model correct when one aggregate’s events arrive out of order (aggregateVersion)', async () => {
    const topicArn = provisioned.topicArns.order!;
    // Standard SNS/SQS may deliver in any order; here the worst one: newest first.
    await publishDirectly(aws.sns, topicArn, orderEvent('OrderCancelled', 'order-1', 3));
    await publishDirectly(aws.sns, topicArn, orderEvent('OrderPlaced', 'order-1', 1));
    await publishDirectly(aws.sns, topicArn, orderEvent('OrderConfirmed', 'order-1', 2));
    await consumer({ concurrency: 1 }).start();
    await eventually(async () =>
      expect(await history()).toEqual([
        { order_id: 'order-1', status: 'cancelled', total_minor: 999, version: 3, effects: 3 },
      ]),
    );
  });

  it('also accepts SNS-wrapped (non-raw) deliveries', async () => {
    const { SendMessageCommand } = await import('@aws-sdk/client-sqs');
    const event = orderEvent('OrderPlaced', 'wrapped', 1);
    const notification = { Type: 'Notification', MessageId: 'm-1', TopicArn: 'arn', Message: JSON.stringify(event) };
    await aws.sqs.send(
      new SendMessageCommand({ QueueUrl: provisioned.queues.user!.url, MessageBody: JSON.stringify(notification) }),
    );
    await consumer().start();
    await eventually(async () => expect(await history()).toMatchObject([{ order_id: 'wrapped' }]));
  });
});
