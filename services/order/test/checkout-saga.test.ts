/**
 * The place-order saga end to end: the order app in-process, inventory, payment and shipping as real HTTP servers
 * (port 0, PGlite each), integration events published through the outbox to local-aws. Each test uses its own
 * customer and skus, so the services are started once for the file.
 */
import { randomUUID } from 'node:crypto';
import type { OutboxRelay } from '@shop/messaging';
import { clearFaults, eventually, setFaults } from '@shop/testing';
import {
  address,
  customerAuth,
  getOrder,
  placeOrder,
  registerCustomer,
  serviceAuth,
  settledOrder,
  startOrderApp,
  type OrderFixture,
} from './support/order-app';
import {
  orderRelay,
  publishedOrderEvents,
  publishedOrderEventTypes,
  startMessaging,
  type Messaging,
} from './support/messaging';
import { addProduct, participantStateOf, startParticipants, stockOf, type Participants } from './support/participants';

let messaging: Messaging;
let participants: Participants;
let order: OrderFixture;
let relay: OutboxRelay;
/** How often the app woke the relay (its `onEventsCommitted`). */
let wakes = 0;

beforeAll(async () => {
  messaging = await startMessaging();
  participants = await startParticipants();
  let wake = () => undefined as void;
  order = await startOrderApp(participants.urls, { onEventsCommitted: () => (wakes++, wake()) });
  relay = orderRelay(messaging, order.db);
  wake = () => relay.wake();
  relay.start();
}, 120_000); // five PGlite databases on a busy 2-core machine

afterAll(async () => {
  await relay?.stop();
  await order?.close();
  await participants?.close();
  await messaging?.close();
});

/** A customer known to the replica, and products of their own. */
async function newCustomerWithProducts(stock: Record<string, number>, price = 1_250) {
  const customerId = `c-${randomUUID().slice(0, 8)}`;
  await registerCustomer(order.db, customerId);
  const skus: string[] = [];
  for (const [name, units] of Object.entries(stock)) {
    const sku = `${name}-${customerId}`;
    await addProduct(participants.inventory, sku, units, price);
    skus.push(sku);
  }
  return { customerId, skus };
}

it('wakes the relay after each commit that enqueued events, and only then', async () => {
  const { customerId, skus } = await newCustomerWithProducts({ cup: 10 });
  const before = wakes;
  const response = await placeOrder(order.app, customerId, { items: [{ sku: skus[0]!, quantity: 1 }] });
  expect(await settledOrder(order.app, response.json().id)).toMatchObject({ status: 'CONFIRMED' });
  // OrderPlaced (the POST), then the hooks of reserveInventory, processPayment and confirmOrder; createShipment has
  // none, and COMPLETED commits with confirmOrder.
  expect(wakes - before).toBe(4);
});

it('happy path: reserves at inventory prices, charges the total, ships, confirms, and publishes each step', async () => {
  const { customerId, skus } = await newCustomerWithProducts({ mug: 10, tea: 5 });
  const response = await placeOrder(order.app, customerId, {
    items: [
      { sku: skus[0]!, quantity: 2 },
      { sku: skus[1]!, quantity: 1 },
    ],
  });
  expect(response.statusCode).toBe(202);
  const { id } = response.json();
  expect(response.headers.location).toBe(`/orders/${id}`);

  // GET right after POST: the inline read model already has the order.
  const listed = await order.app.inject({ url: '/orders', headers: customerAuth(order.app, customerId) });
  expect(listed.json().orders.map((summary: { id: string }) => summary.id)).toEqual([id]);

  const confirmed = await settledOrder(order.app, id);
  expect(confirmed).toMatchObject({
    id,
    customerId,
    status: 'CONFIRMED',
    total: { amountMinor: 3 * 1_250, currency: 'EUR' },
    items: [
      {
        sku: skus[0],
        quantity: 2,
        unitPrice: { amountMinor: 1_250, currency: 'EUR' },
        lineTotal: { amountMinor: 2_500, currency: 'EUR' },
      },
      {
        sku: skus[1],
        quantity: 1,
        unitPrice: { amountMinor: 1_250, currency: 'EUR' },
        lineTotal: { amountMinor: 1_250, currency: 'EUR' },
      },
    ],
    saga: { state: 'COMPLETED' },
  });
  expect(confirmed.paymentId).toEqual(expect.any(String));
  expect(confirmed.shipmentId).toEqual(expect.any(String));
  expect(confirmed.saga.steps.map((step: { step: string; outcome: string }) => `${step.step}:${step.outcome}`)).toEqual(
    ['reserveInventory:succeeded', 'processPayment:succeeded', 'createShipment:succeeded', 'confirmOrder:succeeded'],
  );

  const state = await participantStateOf(participants, id);
  expect(state.reservation?.status).toBe('committed');
  expect(state.payments).toEqual([expect.objectContaining({ status: 'captured', amount: 3_750 })]);
  expect(state.shipments).toEqual([expect.objectContaining({ status: 'CREATED' })]);
  expect(await stockOf(participants.inventory, skus[0]!)).toEqual({ stock: 8, reserved: 0 });

  const summary = (
    await order.app.inject({ url: `/orders?status=CONFIRMED`, headers: customerAuth(order.app, customerId) })
  ).json();
  expect(summary.orders).toEqual([
    expect.objectContaining({ id, status: 'CONFIRMED', itemCount: 3, total: { amountMinor: 3_750, currency: 'EUR' } }),
  ]);

  await eventually(async () =>
    expect(await publishedOrderEventTypes(messaging, id)).toEqual(['OrderPlaced', 'OrderConfirmed']),
  );
  const placed = (await publishedOrderEvents(messaging, id)).find((event) => event.eventType === 'OrderPlaced')!;
  expect(placed.data).toEqual({
    orderId: id,
    customerId,
    lines: [
      { sku: skus[0], quantity: 2, unitPrice: { amountMinor: 1_250, currency: 'EUR' } },
      { sku: skus[1], quantity: 1, unitPrice: { amountMinor: 1_250, currency: 'EUR' } },
    ],
    total: { amountMinor: 3_750, currency: 'EUR' },
  });
});

it('a reader that prefers to wait gets the order in one request once its checkout settles', async () => {
  const { customerId, skus } = await newCustomerWithProducts({ mug: 5 });
  const { id } = (await placeOrder(order.app, customerId, { items: [{ sku: skus[0]!, quantity: 1 }] })).json();

  const response = await order.app.inject({
    url: `/orders/${id}`,
    headers: { ...customerAuth(order.app, customerId), prefer: 'wait=20' },
  });

  expect(response.statusCode).toBe(200);
  expect(response.headers['preference-applied']).toBe('wait=20');
  expect(response.json()).toMatchObject({ id, status: 'CONFIRMED' });
});

it('answers from the event stream for a row the read model projected before it kept documents', async () => {
  const { customerId, skus } = await newCustomerWithProducts({ mug: 5 });
  const { id } = (await placeOrder(order.app, customerId, { items: [{ sku: skus[0]!, quantity: 1 }] })).json();
  const settled = await settledOrder(order.app, id);

  await order.db.query('UPDATE order_summaries SET document = NULL WHERE id = $1', [id]);

  expect(await getOrder(order.app, id)).toEqual(settled);
});

it('out of stock: nothing is charged or shipped, and the order is cancelled with the reason', async () => {
  const { customerId, skus } = await newCustomerWithProducts({ rare: 1 });
  const { id } = (await placeOrder(order.app, customerId, { items: [{ sku: skus[0]!, quantity: 2 }] })).json();

  const cancelled = await settledOrder(order.app, id);
  expect(cancelled.status).toBe('CANCELLED');
  expect(cancelled.saga.state).toBe('COMPENSATED');
  expect(cancelled.cancellationReason).toMatch(/reserveInventory.*Not enough stock/);
  expect(cancelled.total).toBeNull();

  const state = await participantStateOf(participants, id);
  expect(state.payments).toEqual([]);
  expect(state.shipments).toEqual([]);
  expect(await stockOf(participants.inventory, skus[0]!)).toEqual({ stock: 1, reserved: 0 });
  // Never priced, so never announced as placed: the user service only hears that it was cancelled.
  await eventually(async () => expect(await publishedOrderEventTypes(messaging, id)).toEqual(['OrderCancelled']));
});

it('declined payment: the reservation is released and the order cancelled', async () => {
  const { customerId, skus } = await newCustomerWithProducts({ lamp: 3 });
  const { id } = (
    await placeOrder(order.app, customerId, { items: [{ sku: skus[0]!, quantity: 2 }], paymentMethod: 'tok_declined' })
  ).json();

  const cancelled = await settledOrder(order.app, id);
  expect(cancelled).toMatchObject({ status: 'CANCELLED', saga: { state: 'COMPENSATED' } });
  // The saga's onResumed hook took the order off the attention list in the retry's transaction.
  const resumed = await order.app.inject({ url: '/orders?status=NEEDS_ATTENTION', headers: serviceAuth(order.app) });
  expect(resumed.json().orders.map((summary: { id: string }) => summary.id)).not.toContain(id);
  expect(cancelled.cancellationReason).toMatch(/processPayment.*declined/i);
  expect(
    cancelled.saga.steps.map(
      (step: { step: string; action: string; outcome: string }) => `${step.action} ${step.step}:${step.outcome}`,
    ),
  ).toEqual([
    'invoke reserveInventory:succeeded',
    'invoke processPayment:business-failure',
    'compensate reserveInventory:succeeded',
  ]);

  const state = await participantStateOf(participants, id);
  expect(state.reservation?.status).toBe('released');
  expect(state.payments.filter((payment) => payment.status === 'captured')).toEqual([]);
  expect(state.shipments).toEqual([]);
  expect(await stockOf(participants.inventory, skus[0]!)).toEqual({ stock: 3, reserved: 0 });
  await eventually(async () =>
    expect(await publishedOrderEventTypes(messaging, id)).toEqual(['OrderPlaced', 'OrderCancelled']),
  );
});

it('shipping failing transiently: the step after the pivot is retried until it succeeds', async () => {
  const { customerId, skus } = await newCustomerWithProducts({ desk: 2 });
  await setFaults(participants.shipping.url, [{ route: '/shipments', method: 'POST', errorRate: 1, errorStatus: 503 }]);
  try {
    const { id } = (await placeOrder(order.app, customerId, { items: [{ sku: skus[0]!, quantity: 1 }] })).json();
    // Past the pivot, failing at shipping: the saga keeps trying and the order stays PENDING.
    await eventually(async () => {
      const pending = await getOrder(order.app, id);
      const failures = pending.saga.steps.filter(
        (step: { step: string; outcome?: string }) =>
          step.step === 'createShipment' && step.outcome === 'transient-failure',
      );
      expect(failures.length).toBeGreaterThanOrEqual(3); // more than a compensatable step's budget: it never gives up
      expect(pending).toMatchObject({ status: 'PENDING', saga: { state: 'RUNNING', currentStep: 'createShipment' } });
    });
    await clearFaults(participants.shipping.url);

    const confirmed = await settledOrder(order.app, id);
    expect(confirmed).toMatchObject({ status: 'CONFIRMED', saga: { state: 'COMPLETED' } });
    expect((await participantStateOf(participants, id)).shipments).toHaveLength(1);
  } finally {
    await clearFaults(participants.shipping.url);
  }
});

it('a compensation that keeps failing parks the saga in NEEDS_ATTENTION until an operator retries it', async () => {
  const { customerId, skus } = await newCustomerWithProducts({ vase: 4 });
  await setFaults(participants.inventory.url, [
    { route: '/reservations/*/release', method: 'POST', errorRate: 1, errorStatus: 503 },
  ]);
  let id: string;
  try {
    id = (
      await placeOrder(order.app, customerId, {
        items: [{ sku: skus[0]!, quantity: 3 }],
        paymentMethod: 'tok_declined',
      })
    ).json().id;
    const parked = await settledOrder(order.app, id);
    expect(parked).toMatchObject({ status: 'NEEDS_ATTENTION', saga: { state: 'NEEDS_ATTENTION' } });
    expect(parked.saga.attention).toEqual({
      reason: expect.stringMatching(/compensation of "reserveInventory" failed after 2 attempts/),
      resumesAs: 'COMPENSATING',
    });
    const saga = await order.app.inject({ url: `/sagas/${id}`, headers: serviceAuth(order.app) });
    expect(saga.json()).toMatchObject({ state: 'NEEDS_ATTENTION', currentStep: 'reserveInventory' });
    const stuck = await order.app.inject({ url: '/orders?status=NEEDS_ATTENTION', headers: serviceAuth(order.app) });
    expect(stuck.json().orders.map((summary: { id: string }) => summary.id)).toContain(id);
    // The stock is still held: nothing was undone yet.
    expect(await stockOf(participants.inventory, skus[0]!)).toEqual({ stock: 1, reserved: 3 });
  } finally {
    await clearFaults(participants.inventory.url);
  }

  // Customers cannot resume sagas; operators (service tokens) can, once.
  expect(
    (
      await order.app.inject({
        method: 'POST',
        url: `/sagas/${id}/retry`,
        headers: customerAuth(order.app, customerId),
      })
    ).statusCode,
  ).toBe(403);
  const retried = await order.app.inject({
    method: 'POST',
    url: `/sagas/${id}/retry`,
    headers: serviceAuth(order.app),
  });
  expect(retried.statusCode).toBe(202);

  const cancelled = await settledOrder(order.app, id);
  expect(cancelled).toMatchObject({ status: 'CANCELLED', saga: { state: 'COMPENSATED' } });
  // The saga's onResumed hook took the order off the attention list in the retry's transaction.
  const resumed = await order.app.inject({ url: '/orders?status=NEEDS_ATTENTION', headers: serviceAuth(order.app) });
  expect(resumed.json().orders.map((summary: { id: string }) => summary.id)).not.toContain(id);
  expect(await stockOf(participants.inventory, skus[0]!)).toEqual({ stock: 4, reserved: 0 });
  const again = await order.app.inject({ method: 'POST', url: `/sagas/${id}/retry`, headers: serviceAuth(order.app) });
  expect(again.statusCode).toBe(409);
  expect(again.json().type).toMatch(/saga-not-retryable$/);
});

describe('the order API', () => {
  it('refuses an order for a customer the replica does not know, without calling anyone', async () => {
    const response = await placeOrder(order.app, 'nobody-we-know', { items: [{ sku: 'SKU-1', quantity: 1 }] });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({
      type: expect.stringMatching(/unknown-customer$/),
      customerId: 'nobody-we-know',
    });
    const { rows } = await order.db.query("SELECT 1 FROM order_summaries WHERE customer_id = 'nobody-we-know'");
    expect(rows).toHaveLength(0);
  });

  it('needs a customer token to place an order, and hides other customers’ orders', async () => {
    const { customerId, skus } = await newCustomerWithProducts({ pen: 5 });
    const anonymous = await order.app.inject({
      method: 'POST',
      url: '/orders',
      payload: { items: [], shippingAddress: address, paymentMethod: 'x' },
    });
    expect(anonymous.statusCode).toBe(401);
    const asService = await placeOrder(
      order.app,
      customerId,
      { items: [{ sku: skus[0]!, quantity: 1 }] },
      serviceAuth(order.app),
    );
    expect(asService.statusCode).toBe(403);

    const { id } = (await placeOrder(order.app, customerId, { items: [{ sku: skus[0]!, quantity: 1 }] })).json();
    const mine = await order.app.inject({ url: `/orders/${id}`, headers: customerAuth(order.app, customerId) });
    expect(mine.statusCode).toBe(200);
    const theirs = await order.app.inject({ url: `/orders/${id}`, headers: customerAuth(order.app, 'someone-else') });
    expect(theirs.statusCode).toBe(404);
    const theirSaga = await order.app.inject({ url: `/sagas/${id}`, headers: customerAuth(order.app, 'someone-else') });
    expect(theirSaga.statusCode).toBe(404);
    // A customer asking for someone else's list gets their own.
    const list = await order.app.inject({
      url: `/orders?customerId=${customerId}`,
      headers: customerAuth(order.app, 'someone-else'),
    });
    expect(list.json()).toEqual({ orders: [], nextCursor: null });
    await settledOrder(order.app, id);
  });

  it('replays a repeated POST with the same Idempotency-Key (even concurrent) and refuses the key for another body', async () => {
    const { customerId, skus } = await newCustomerWithProducts({ cup: 10 });
    const body = { items: [{ sku: skus[0]!, quantity: 1 }] };
    const key = { 'idempotency-key': `key-${customerId}` };
    const responses = await Promise.all([1, 2, 3].map(() => placeOrder(order.app, customerId, body, key)));
    expect(responses.map((response) => response.statusCode)).toEqual([202, 202, 202]);
    const ids = new Set(responses.map((response) => response.json().id));
    expect(ids.size).toBe(1);
    expect(responses.filter((response) => response.headers['idempotent-replayed'] === 'true')).toHaveLength(2);

    const other = await placeOrder(order.app, customerId, { items: [{ sku: skus[0]!, quantity: 2 }] }, key);
    expect(other.statusCode).toBe(422);
    expect(other.json().type).toMatch(/idempotency-key-reused$/);
    await settledOrder(order.app, [...ids][0]!);
    expect((await stockOf(participants.inventory, skus[0]!)).stock).toBe(9);
  });

  it('validates the body: every bad field listed, duplicate skus refused', async () => {
    const { customerId } = await newCustomerWithProducts({});
    const invalid = await order.app.inject({
      method: 'POST',
      url: '/orders',
      headers: customerAuth(order.app, customerId),
      payload: { items: [{ sku: 'A', quantity: 0 }], shippingAddress: { line1: 'x' }, extra: true },
    });
    expect(invalid.statusCode).toBe(400);
    const duplicate = await placeOrder(order.app, customerId, {
      items: [
        { sku: 'A', quantity: 1 },
        { sku: 'A', quantity: 2 },
      ],
    });
    expect(duplicate.statusCode).toBe(422);
    expect(duplicate.json().duplicateSkus).toEqual(['A']);
  });

  it('lists a customer’s orders oldest first, page by page', async () => {
    const { customerId, skus } = await newCustomerWithProducts({ ink: 50 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await placeOrder(order.app, customerId, { items: [{ sku: skus[0]!, quantity: 1 }] })).json().id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/orders?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await order.app.inject({ url: query, headers: customerAuth(order.app, customerId) })).json();
      seen.push(...page.orders.map((summary: { id: string }) => summary.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids);
    const bad = await order.app.inject({
      url: '/orders?cursor=nonsense',
      headers: customerAuth(order.app, customerId),
    });
    expect(bad.statusCode).toBe(400);
    for (const id of ids) await settledOrder(order.app, id);
  });
});
