/**
 * The customers' side of a chaos run, through the gateway only: register, get a token, place orders. A customer
 * retries a failed POST with the same `Idempotency-Key` (a real client would), so a crash between commit and answer
 * never makes a second order.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { SeededRandom } from '../seeded-random';

export interface ChaosCustomer {
  id: string;
  token: string;
}

export interface OrderLine {
  sku: string;
  quantity: number;
}

export interface PlacedOrder {
  id?: string;
  /** The POST's final status (202, or a 4xx verdict), or 'gave-up' when the deadline passed. */
  outcome: number | 'gave-up';
  attempts: number;
  paymentMethod: string;
  items: OrderLine[];
}

const address = { line1: '1 Chaos Lane', city: 'Lisbon', postalCode: '1100-001', country: 'PT' };

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export async function registerCustomer(gatewayUrl: string, name: string): Promise<ChaosCustomer> {
  const email = `${name}.${randomBytes(4).toString('hex')}@chaos.example`;
  const password = 'chaos-password';
  const registered = await post(`${gatewayUrl}/api/users`, { email, name, password, shippingAddress: address });
  if (registered.status !== 201) throw new Error(`registering ${email} answered ${registered.status}`);
  const token = await post(`${gatewayUrl}/api/auth/token`, { email, password });
  if (token.status !== 200) throw new Error(`token for ${email} answered ${token.status}`);
  return { id: String(registered.body.id), token: String(token.body.accessToken) };
}

/** Random basket: one or two lines, sometimes a scarce sku (so some orders run out of stock). */
export function randomBasket(random: SeededRandom, skus: readonly string[]): OrderLine[] {
  const lines = random.int(1, 2);
  const chosen = new Map<string, number>();
  while (chosen.size < Math.min(lines, skus.length)) chosen.set(random.pick(skus), random.int(1, 2));
  return [...chosen].map(([sku, quantity]) => ({ sku, quantity }));
}

/**
 * POSTs until the order is accepted (202) or refused for good (a 4xx other than 422 unknown-customer, which only
 * means the order service has not consumed the registration yet, and 429), or the deadline passes.
 */
export async function placeOrderWithRetry(
  gatewayUrl: string,
  customer: ChaosCustomer,
  items: OrderLine[],
  paymentMethod: string,
  deadline: number,
): Promise<PlacedOrder> {
  const idempotencyKey = randomUUID();
  let attempts = 0;
  while (Date.now() < deadline) {
    attempts += 1;
    try {
      const { status, body } = await post(
        `${gatewayUrl}/api/orders`,
        { items, shippingAddress: address, paymentMethod },
        { authorization: `Bearer ${customer.token}`, 'idempotency-key': idempotencyKey },
      );
      if (status === 202) return { id: String(body.id), outcome: 202, attempts, paymentMethod, items };
      const retriable =
        status >= 500 || status === 429 || (status === 422 && String(body.type).endsWith('unknown-customer'));
      if (!retriable) return { outcome: status, attempts, paymentMethod, items };
    } catch {
      // connection refused / reset / timeout while the order service is down: retry
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 100 * attempts)));
  }
  return { outcome: 'gave-up', attempts, paymentMethod, items };
}
