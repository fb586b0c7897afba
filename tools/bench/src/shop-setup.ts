/**
 * Getting the real system ready for load: a product with enough stock for any run, and customers with tokens whom
 * the order service already knows (it learns customers from UserRegistered events, so the first order may be early).
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { requestJson } from './http-json';
import { BENCH_SKU, orderRequest } from './place-order';

export interface BenchCustomer {
  email: string;
  token: string;
}

/** `serviceToken`: catalogue writes are an operator's (service principal's) job. */
export async function stockBenchProduct(inventoryUrl: string, serviceToken: string): Promise<void> {
  const response = await requestJson('PUT', `${inventoryUrl}/products/${BENCH_SKU}`, {
    headers: { authorization: `Bearer ${serviceToken}` },
    body: { name: 'Benchmark item', price: { amountMinor: 1299, currency: 'EUR' }, stock: 1_000_000_000 },
  });
  if (response.status !== 200 && response.status !== 201)
    throw new Error(`stocking ${BENCH_SKU} answered ${response.status}`);
}

export async function registerCustomer(gatewayUrl: string, index: number): Promise<BenchCustomer> {
  const email = `bench.${index}.${randomBytes(3).toString('hex')}@example.com`;
  const password = 'bench-password';
  const address = orderRequest.shippingAddress;
  const registered = await requestJson('POST', `${gatewayUrl}/api/users`, {
    body: { email, name: `Bench ${index}`, password, shippingAddress: address },
  });
  if (registered.status !== 201) throw new Error(`registering a customer answered ${registered.status}`);
  const token = await requestJson<{ accessToken: string }>('POST', `${gatewayUrl}/api/auth/token`, {
    body: { email, password },
  });
  if (token.status !== 200) throw new Error(`issuing a token answered ${token.status}`);
  return { email, token: token.body.accessToken };
}

/** Waits until the order service accepts orders from this customer (its replica has caught up): one real order. */
export async function waitUntilOrderServiceKnows(
  gatewayUrl: string,
  customer: BenchCustomer,
  timeoutMs = 30_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const placed = await requestJson<{ id: string; type?: string }>('POST', `${gatewayUrl}/api/orders`, {
      body: orderRequest,
      headers: { authorization: `Bearer ${customer.token}` },
    });
    if (placed.status === 202) return placed.body.id;
    if (placed.status !== 422 || Date.now() > deadline)
      throw new Error(`first order answered ${placed.status}: ${JSON.stringify(placed.body).slice(0, 160)}`);
    await sleep(100);
  }
}
