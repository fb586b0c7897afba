/**
 * What one virtual customer does, against the real gateway and the bare chain alike (they share the API shape):
 * `POST /api/orders` (202 + id), then `GET /api/orders/{id}` until it is CONFIRMED — every `pollMs` (the polling
 * client), or with `Prefer: wait` so each read returns when the checkout settles (the waiting client).
 * The measured time is from sending the POST to reading CONFIRMED: what a customer waits for.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { requestJson } from './http-json';

export const BENCH_SKU = 'BENCH-ITEM';
/** The waiting client's `Prefer: wait`, well inside the 15 s request deadline of requestJson. */
export const WAITING_CLIENT_SECONDS = 10;

export interface PlaceOrderOptions {
  baseUrl: string;
  token?: string;
  /** The polling client: the pause between two reads. */
  pollMs: number;
  /**
   * The waiting client: each read sends `Prefer: wait=<s>` and is answered when the checkout settles. A server that
   * does not honour it (no `Preference-Applied`, as the bare chain) is polled every `pollMs` instead.
   */
  waitSeconds?: number;
  /** Sees the order as read when CONFIRMED (its saga step log, for the phase breakdown). */
  onConfirmed?: (order: ConfirmedOrder) => void;
  /** Give up on one order after this long (it then counts as failed). */
  timeoutMs: number;
}

/** What the phase breakdown reads of a confirmed order. */
export interface ConfirmedOrder {
  status: string;
  createdAt?: string;
  saga?: { steps?: { step: string; action: string; startedAt: string; finishedAt?: string }[] } | null;
}

const CONFIRMED_OR_LATER = new Set(['CONFIRMED', 'SHIPPED', 'DELIVERED']);

const address = { line1: '1 Bench Street', city: 'Lisbon', postalCode: '1100-001', country: 'PT' };

export const orderRequest = {
  items: [{ sku: BENCH_SKU, quantity: 1 }],
  shippingAddress: address,
  paymentMethod: 'tok_visa',
};

/** Resolves with the time to CONFIRMED in ms; throws on a refusal, a cancellation or the timeout. */
export async function placeOrderUntilConfirmed(options: PlaceOrderOptions): Promise<number> {
  const headers: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
  const started = performance.now();
  const placed = await requestJson<{ id: string }>('POST', `${options.baseUrl}/api/orders`, {
    body: orderRequest,
    headers,
  });
  if (placed.status !== 202)
    throw new Error(`POST /api/orders answered ${placed.status}: ${JSON.stringify(placed.body).slice(0, 160)}`);
  const deadline = started + options.timeoutMs;
  const readHeaders = options.waitSeconds ? { ...headers, prefer: `wait=${options.waitSeconds}` } : headers;
  for (;;) {
    const order = await requestJson<ConfirmedOrder>('GET', `${options.baseUrl}/api/orders/${placed.body.id}`, {
      headers: readHeaders,
    });
    // SHIPPED/DELIVERED come after CONFIRMED: a poll that missed it still saw a confirmed order.
    if (order.status === 200 && CONFIRMED_OR_LATER.has(order.body.status)) {
      const elapsed = performance.now() - started;
      options.onConfirmed?.(order.body);
      return elapsed;
    }
    if (order.status !== 200) throw new Error(`GET /api/orders/{id} answered ${order.status}`);
    if (order.body.status === 'CANCELLED') throw new Error('order CANCELLED');
    if (performance.now() > deadline) throw new Error(`order still ${order.body.status} after ${options.timeoutMs} ms`);
    if (!order.headers['preference-applied']) await sleep(options.pollMs);
  }
}
