/**
 * Step 0 of the checkout, in one transaction: check the customer against the local replica, create the order
 * (OrderCreated), and start the place-order saga. Either the order exists with its saga, or neither does. With an
 * Idempotency-Key, a repeat of the same request returns the first order instead of placing a second one.
 */
import { uuidv7 } from '@shop/clock';
import { fingerprintOf, type EventMetadata } from '@shop/contracts';
import type { Queryable } from '@shop/db';
import type { SagaEngine } from '@shop/saga';
import type { Address, OrderItem } from './domain/order';
import { customerExists } from './customers/customer-replica';
import type { Orders } from './orders';
import { PLACE_ORDER_SAGA, type PlaceOrderInput } from './saga/place-order-saga';

export interface PlaceOrderRequest {
  customerId: string;
  items: OrderItem[];
  shippingAddress: Address;
  paymentMethod: string;
  idempotencyKey?: string;
  /** From the request (`eventMetadataOf`): its correlation id runs through every event of this checkout. */
  metadata: EventMetadata;
}

export class UnknownCustomerError extends Error {
  override readonly name = 'UnknownCustomerError';
  constructor(readonly customerId: string) {
    super(`Customer ${customerId} is not known to the order service (yet)`);
  }
}

export class IdempotencyKeyReusedError extends Error {
  override readonly name = 'IdempotencyKeyReusedError';
  constructor(readonly key: string) {
    super(`Idempotency-Key "${key}" was already used for a different order request`);
  }
}

/** The same request whatever order its fields came in (canonical JSON); the key and customer are compared apart. */
const fingerprintOfRequest = ({ items, shippingAddress, paymentMethod }: PlaceOrderRequest) =>
  fingerprintOf({ items, shippingAddress, paymentMethod });

/**
 * Claims the key for `orderId`, or returns the order an earlier request with this key created. On Postgres a
 * concurrent duplicate waits on the primary key until the first transaction commits, then reads its order.
 */
async function claimIdempotencyKey(tx: Queryable, request: PlaceOrderRequest, orderId: string): Promise<string> {
  const key = request.idempotencyKey!;
  const fingerprint = fingerprintOfRequest(request);
  const claimed = await tx.query(
    `INSERT INTO order_requests (customer_id, idempotency_key, fingerprint, order_id, created_at)
     VALUES ($1, $2, $3, $4, now()) ON CONFLICT DO NOTHING`,
    [request.customerId, key, fingerprint, orderId],
  );
  if (claimed.rowCount === 1) return orderId;
  const { rows } = await tx.query<{ fingerprint: string; order_id: string }>(
    'SELECT fingerprint, order_id FROM order_requests WHERE customer_id = $1 AND idempotency_key = $2',
    [request.customerId, key],
  );
  if (rows[0]!.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError(key);
  return rows[0]!.order_id;
}

export async function placeOrder(
  deps: { orders: Orders; sagas: SagaEngine },
  request: PlaceOrderRequest,
): Promise<{ orderId: string; created: boolean }> {
  const { orders, sagas } = deps;
  const result = await orders.store.transaction(async (tx) => {
    if (!(await customerExists(tx, request.customerId))) throw new UnknownCustomerError(request.customerId);
    const orderId = uuidv7();
    if (request.idempotencyKey !== undefined) {
      const existing = await claimIdempotencyKey(tx, request, orderId);
      if (existing !== orderId) return { orderId: existing, created: false };
    }
    const { customerId, items, shippingAddress, paymentMethod, metadata } = request;
    await orders.create(tx, { orderId, customerId, items, shippingAddress }, metadata);
    const { correlationId } = metadata;
    const data: PlaceOrderInput = { orderId, customerId, items, shippingAddress, paymentMethod, correlationId };
    await sagas.start(PLACE_ORDER_SAGA, orderId, data, { tx });
    return { orderId, created: true };
  });
  // The saga row is visible now: run it at once rather than at the next poll.
  if (result.created) sagas.wake();
  return result;
}
