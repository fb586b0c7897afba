/**
 * The remote calls of the place-order saga, one short function each. Every participant has its own client
 * (timeout → retry → circuit breaker from @shop/service-client), every call carries the saga step's idempotency key
 * and a service token, and a definite "no" from a participant becomes a ParticipantRefusedError — the saga's
 * business failure. Anything else (timeouts, 5xx, an open circuit) is transient and the saga retries it.
 */
import type { CircuitBreakerOptions, RetryOptions } from '@shop/resilience';
import { createServiceClient, ServiceError, type ServiceClient } from '@shop/service-client';
import type { Address, Money, OrderItem, PricedLine } from '../domain/order';

/** A participant refused the request (out of stock, card declined…): repeating it cannot succeed. */
export class ParticipantRefusedError extends Error {
  override readonly name = 'ParticipantRefusedError';
  constructor(
    readonly participant: string,
    readonly status: number,
    readonly problemType: string,
    detail: string,
  ) {
    super(detail);
  }
}

export const isParticipantRefusal = (error: unknown): boolean => error instanceof ParticipantRefusedError;

/** 4xx answers that are not a verdict on the request: who we are (401/403), timing (408/429), a duplicate in flight. */
const NOT_A_VERDICT = new Set([401, 403, 408, 429]);
const IN_PROGRESS = /\/request-in-progress$/;

/** Turns a participant's definite "no" into ParticipantRefusedError; leaves every other failure as it is. */
async function refusalsAsBusinessFailures<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (
      error instanceof ServiceError &&
      error.status >= 400 &&
      error.status < 500 &&
      !NOT_A_VERDICT.has(error.status) &&
      !IN_PROGRESS.test(error.type)
    ) {
      throw new ParticipantRefusedError(error.service, error.status, error.type, error.message);
    }
    throw error;
  }
}

/** What a saga step hands to a call: its idempotency key and the signal that aborts at the step's timeout. */
export interface StepCall {
  readonly idempotencyKey: string;
  readonly signal: AbortSignal;
}

export interface ParticipantsOptions {
  inventoryUrl: string;
  paymentUrl: string;
  shippingUrl: string;
  /** Per attempt of one HTTP call. */
  timeoutMs: number;
  retry?: Partial<RetryOptions>;
  breaker?: Partial<CircuitBreakerOptions>;
  /** The `Authorization` value for each request (a cached service token), or undefined to send none. */
  authorization: () => string | undefined;
}

export interface Reservation {
  lines: PricedLine[];
  total: Money;
}

export function createParticipants(options: ParticipantsOptions) {
  const client = (name: string, baseUrl: string): ServiceClient =>
    createServiceClient({
      name,
      baseUrl,
      timeoutMs: options.timeoutMs,
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.breaker ? { breaker: options.breaker } : {}),
      headers: (): Record<string, string> => {
        const authorization = options.authorization();
        return authorization ? { authorization } : {};
      },
    });
  const inventory = client('inventory', options.inventoryUrl);
  const payment = client('payment', options.paymentUrl);
  const shipping = client('shipping', options.shippingUrl);
  const path = (orderId: string) => `/reservations/${encodeURIComponent(orderId)}`;
  const via = ({ idempotencyKey, signal }: StepCall) => ({ idempotencyKey, signal });

  return {
    clients: { inventory, payment, shipping },

    /** Reserves every item or none; the answer carries inventory's prices, which the order charges. */
    async reserveStock(orderId: string, items: readonly OrderItem[], call: StepCall): Promise<Reservation> {
      const body = { orderId, items: items.map(({ sku, quantity }) => ({ sku, quantity })) };
      const reservation = await refusalsAsBusinessFailures(() =>
        inventory.post<{ lines: (PricedLine & { name?: string })[]; total: Money }>('/reservations', body, via(call)),
      );
      const lines = reservation.lines.map(({ sku, quantity, unitPrice, lineTotal }) => ({
        sku,
        quantity,
        unitPrice,
        lineTotal,
      }));
      return { lines, total: reservation.total };
    },

    /** Compensation: gives the stock back (idempotent; leaves a tombstone when nothing was reserved yet). */
    async releaseStock(orderId: string, reason: string, call: StepCall): Promise<void> {
      await refusalsAsBusinessFailures(() => inventory.post(`${path(orderId)}/release`, { reason }, via(call)));
    },

    /** The order is confirmed: the reserved units leave stock for good. */
    async commitReservation(orderId: string, call: StepCall): Promise<void> {
      await refusalsAsBusinessFailures(() => inventory.post(`${path(orderId)}/commit`, undefined, via(call)));
    },

    /** The pivot: charge the total. 402 (declined) is a refusal; the key makes a repeat return the first answer. */
    async chargePayment(
      charge: { orderId: string; customerId: string; total: Money; paymentMethod: string },
      call: StepCall,
    ): Promise<{ paymentId: string }> {
      const { orderId, customerId, total, paymentMethod } = charge;
      const body = { orderId, customerId, amount: total.amountMinor, currency: total.currency, paymentMethod };
      const paid = await refusalsAsBusinessFailures(() => payment.post<{ id: string }>('/payments', body, via(call)));
      return { paymentId: paid.id };
    },

    /** After the pivot: create the shipment (idempotent by orderId). */
    async createShipment(
      shipment: { orderId: string; address: Address; items: readonly OrderItem[] },
      call: StepCall,
    ): Promise<{ shipmentId: string }> {
      const body = { ...shipment, items: shipment.items.map(({ sku, quantity }) => ({ sku, quantity })) };
      const created = await refusalsAsBusinessFailures(() =>
        shipping.post<{ id: string }>('/shipments', body, via(call)),
      );
      return { shipmentId: created.id };
    },
  };
}

export type Participants = ReturnType<typeof createParticipants>;
