/** The customer's side of the shop, as scenarios use it: each a few narrated calls through the gateway. */
import { randomBytes } from 'node:crypto';
import { check, poll, type ScenarioContext } from './scenario';

export interface Customer {
  id: string;
  email: string;
  token: string;
}

export interface OrderView {
  id: string;
  status: string;
  total: { amountMinor: number; currency: string } | null;
  cancellationReason: string | null;
  saga: { state: string; currentStep?: string; steps: SagaStep[]; attention?: { reason: string } } | null;
  paymentId: string | null;
  shipmentId: string | null;
}

export interface SagaStep {
  step: string;
  action: 'invoke' | 'compensate';
  attempt: number;
  idempotencyKey: string;
  startedAt: string;
  finishedAt?: string;
  outcome?: string;
  error?: string;
}

export const address = { line1: '1 Demo Street', city: 'Lisbon', postalCode: '1100-001', country: 'PT' };

export const money = (value: { amountMinor: number; currency: string } | null | undefined) =>
  value ? `${(value.amountMinor / 100).toFixed(2)} ${value.currency}` : '—';

export async function newCustomer({ gateway }: ScenarioContext, name = 'Ada'): Promise<Customer> {
  const email = `${name.toLowerCase()}.${randomBytes(3).toString('hex')}@example.com`;
  const registered = await gateway.post(
    '/api/users',
    { email, name, password: 'demo-password', shippingAddress: address },
    {
      note: (response) => (response.status === 201 ? email : ''),
    },
  );
  check(registered.status === 201, `registration answered ${registered.status}`);
  const token = await gateway.post(
    '/api/auth/token',
    { email, password: 'demo-password' },
    {
      note: (response) => (response.status === 200 ? `bearer token, expires in ${response.body.expiresIn} s` : ''),
    },
  );
  check(token.status === 200, `token answered ${token.status}`);
  return { id: registered.body.id, email, token: token.body.accessToken };
}

/** The order service learns customers from UserRegistered events: wait until it accepts this one. */
export async function placeOrder(
  context: ScenarioContext,
  customer: Customer,
  items: { sku: string; quantity: number }[],
  paymentMethod = 'tok_visa',
): Promise<{ id: string; traceId?: string }> {
  const describe = items.map((item) => `${item.quantity}×${item.sku}`).join(', ');
  const response = await poll(
    () =>
      context.gateway.post(
        '/api/orders',
        { items, shippingAddress: address, paymentMethod },
        {
          token: customer.token,
          note: (r) => (r.status === 202 ? `${describe} → order ${r.body.id.slice(0, 8)}…` : ''),
        },
      ),
    (r) => r.status !== 422 || r.body?.type?.endsWith('unknown-customer') !== true,
    { timeoutMs: 5_000, intervalMs: 200 },
  );
  check(response.status === 202, `placing the order answered ${response.status}`);
  return { id: response.body.id, traceId: response.traceId };
}

/**
 * Reads an order. With `waitSeconds` it sends `Prefer: wait=<s>`: a PENDING order is answered when its checkout
 * settles instead of at once. A poller can outrun the gateway's per-customer budget: on 429 it waits as long as
 * Retry-After says and reads again (a few times), as a well-behaved client of a rate-limited API does.
 */
export async function getOrder(
  { gateway }: ScenarioContext,
  customer: Customer,
  orderId: string,
  { waitSeconds }: { waitSeconds?: number } = {},
): Promise<OrderView> {
  const headers: Record<string, string> = waitSeconds ? { prefer: `wait=${waitSeconds}` } : {};
  const read = () => gateway.get<OrderView>(`/api/orders/${orderId}`, { token: customer.token, quiet: true, headers });
  let response = await read();
  for (let waits = 0; response.status === 429 && waits < 3; waits++) {
    const retryAfterSeconds = Number(response.headers.get('retry-after')) || 1;
    await new Promise((resolve) => setTimeout(resolve, Math.min(retryAfterSeconds, 60) * 1_000));
    response = await read();
  }
  check(response.status === 200, `reading the order answered ${response.status}`);
  return response.body;
}

/**
 * Follows an order until it reaches one of `statuses`, narrating each status change with its time. While the order
 * is PENDING each read waits for the checkout to settle (one request, not a poll every 100 ms).
 */
/** Below the gateway client's 15 s request timeout, with room for the gateway's own limit. */
const FOLLOW_WAIT_SECONDS = 10;

export async function followOrder(
  context: ScenarioContext,
  customer: Customer,
  orderId: string,
  statuses: string[],
  timeoutMs = 20_000,
): Promise<OrderView> {
  const startedAt = Date.now();
  let last = '';
  const order = await poll(
    async () => {
      const current = await getOrder(context, customer, orderId, { waitSeconds: FOLLOW_WAIT_SECONDS });
      if (current.status !== last) {
        context.out.note(`${current.status.padEnd(16)} after ${((Date.now() - startedAt) / 1000).toFixed(2)} s`);
        last = current.status;
      }
      return current;
    },
    (current) => statuses.includes(current.status),
    { timeoutMs, intervalMs: 100 },
  );
  check(statuses.includes(order.status), `order stayed ${order.status}, expected ${statuses.join(' or ')}`);
  return order;
}

export function sagaSteps(order: OrderView): string {
  return (order.saga?.steps ?? [])
    .map((step) => {
      const ms = step.finishedAt
        ? `${new Date(step.finishedAt).getTime() - new Date(step.startedAt).getTime()} ms`
        : 'cut off';
      return `${step.action === 'compensate' ? '↶' : '→'} ${step.step.padEnd(18)} #${step.attempt} ${String(step.outcome ?? '—').padEnd(18)} ${ms.padStart(8)}  key ${step.idempotencyKey}`;
    })
    .join('\n');
}
