/**
 * Gathers the system's state for the invariant checker through the services' own APIs (with a service token) and
 * local-aws's queue counts. Outbox backlogs are not in any API; `read-outbox-backlog.ts` reads them from the
 * databases once the services have stopped.
 */
import { serviceApi } from '../service-api';
import type {
  OrderState,
  PaymentState,
  ProductStock,
  QueueDepth,
  ReservationState,
  ShipmentState,
  SystemState,
} from './system-state';

export interface ServiceUrls {
  order: string;
  inventory: string;
  payment: string;
  shipping: string;
  localAws: string;
}

type OrdersPage = { orders: { id: string }[]; nextCursor: string | null };
type ProductsPage = { products: ProductStock[]; nextCursor: string | null };

interface OrderDetail {
  id: string;
  status: string;
  items: { sku: string; quantity: number }[];
  saga: { state: string; attention?: { reason: string } } | null;
}

async function allPages<T>(
  read: (cursor: string | undefined) => Promise<{ items: T[]; next: string | null }>,
): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    all.push(...page.items);
    cursor = page.next ?? undefined;
  } while (cursor);
  return all;
}

const cursorParam = (cursor: string | undefined) => (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');

export async function readProducts(inventoryUrl: string, authorization: () => string): Promise<ProductStock[]> {
  const inventory = serviceApi(inventoryUrl, authorization);
  const products = await allPages(async (cursor) => {
    const page = (await inventory.get<ProductsPage>(`/products?limit=100${cursorParam(cursor)}`))!;
    return { items: page.products, next: page.nextCursor };
  });
  return products.map(({ sku, stock, reserved }) => ({ sku, stock, reserved }));
}

export async function readQueueDepths(localAwsUrl: string): Promise<QueueDepth[]> {
  const response = await fetch(`${localAwsUrl}/_local/state`, { signal: AbortSignal.timeout(10_000) });
  const state = (await response.json()) as { queues: QueueDepth[] };
  return state.queues.map(({ name, visible, inFlight, delayed }) => ({ name, visible, inFlight, delayed }));
}

export async function readSystemState(
  urls: ServiceUrls,
  authorization: () => string,
  initialStock: Record<string, number>,
): Promise<Omit<SystemState, 'outboxPending'>> {
  const order = serviceApi(urls.order, authorization);
  const inventory = serviceApi(urls.inventory, authorization);
  const payment = serviceApi(urls.payment, authorization);
  const shipping = serviceApi(urls.shipping, authorization);

  const ids = await allPages(async (cursor) => {
    const page = (await order.get<OrdersPage>(`/orders?limit=100${cursorParam(cursor)}`))!;
    return { items: page.orders.map((o) => o.id), next: page.nextCursor };
  });
  const orders: OrderState[] = [];
  const reservations: ReservationState[] = [];
  const payments: PaymentState[] = [];
  const shipments: ShipmentState[] = [];
  for (const id of ids) {
    const detail = (await order.get<OrderDetail>(`/orders/${id}`))!;
    orders.push({
      id,
      status: detail.status,
      items: detail.items.map(({ sku, quantity }) => ({ sku, quantity })),
      ...(detail.saga?.attention ? { attentionReason: detail.saga.attention.reason } : {}),
    });
    const reservation = await inventory.get<ReservationState>(`/reservations/${id}`);
    if (reservation) {
      reservations.push({
        orderId: id,
        status: reservation.status,
        tombstone: reservation.tombstone,
        lines: (reservation.lines ?? []).map(({ sku, quantity }) => ({ sku, quantity })),
      });
    }
    const paid = (await payment.get<{ payments: PaymentState[] }>(`/payments?orderId=${id}`))?.payments ?? [];
    payments.push(...paid.map(({ id: paymentId, status }) => ({ orderId: id, id: paymentId, status })));
    const shipped = (await shipping.get<{ shipments: ShipmentState[] }>(`/shipments?orderId=${id}`))?.shipments ?? [];
    shipments.push(
      ...shipped.map(({ id: shipmentId, status, tombstone }) => ({ orderId: id, id: shipmentId, status, tombstone })),
    );
  }

  return {
    orders,
    initialStock,
    products: await readProducts(urls.inventory, authorization),
    reservations,
    payments,
    shipments,
    queues: await readQueueDepths(urls.localAws),
  };
}
