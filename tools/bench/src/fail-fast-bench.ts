/**
 * Fail-fast with payment down: fault injection makes payment's `POST /payments*` fail, orders keep coming until
 * the order service's payment breaker is open, then we measure
 *  - `POST /api/orders` through the gateway (what the issue names; it answers 202 before the saga runs), and
 *  - what the spirit of it asks: how long a `processPayment` step attempt takes while the breaker is open, read from
 *    the saga step log in `GET /api/orders/{id}` — against the step timeout (`SAGA_STEP_TIMEOUT_MS`).
 * Attempts made before the breaker opened are reported too, for contrast.
 */
import { setFaults, type FaultRule } from '@shop/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { requestJson } from './http-json';
import { orderRequest } from './place-order';
import type { BenchCustomer } from './shop-setup';
import { summarize, type LatencySummary } from './stats';

export interface FailFastVariant {
  name: string;
  /** A fault-injection rule for the payment service. */
  rule: FaultRule;
}

export const FAIL_FAST_VARIANTS: FailFastVariant[] = [
  { name: 'payment answers 503', rule: { route: '/payments*', method: 'POST', down: '503' } },
  { name: 'payment hangs (30 s)', rule: { route: '/payments*', method: 'POST', latencyMs: 30_000 } },
];

export interface FailFastResult {
  variant: string;
  /** ms from the first faulted order until the breaker was seen open. */
  openedAfterMs: number;
  post: LatencySummary;
  attemptsWhileOpen: LatencySummary;
  attemptsBeforeOpen: LatencySummary;
  stepTimeoutMs: number;
}

interface SagaStepView {
  step: string;
  action: string;
  startedAt: string;
  finishedAt?: string;
  error?: string;
}

interface FailFastContext {
  gatewayUrl: string;
  paymentUrl: string;
  /** A service token for payment's service-only `/admin/faults`. */
  operatorToken: string;
  orderUrl: string;
  customers: BenchCustomer[];
  stepTimeoutMs: number;
  samples: number;
  log(line: string): void;
}

/** `circuit_breaker_state{downstream="payment…"}` from the order service's /metrics (1 = open); undefined if absent. */
async function paymentBreakerState(orderUrl: string): Promise<number | undefined> {
  const response = await fetch(`${orderUrl}/metrics`, { signal: AbortSignal.timeout(5_000) });
  const text = await response.text();
  const match = /^circuit_breaker_state\{[^}]*downstream="payment[^"]*"[^}]*\}\s+(\d+)/m.exec(text);
  return match ? Number(match[1]) : undefined;
}

async function paymentAttempts(
  context: FailFastContext,
  customer: BenchCustomer,
  orderId: string,
): Promise<SagaStepView[]> {
  const response = await requestJson<{ saga: { steps: SagaStepView[] } | null }>(
    'GET',
    `${context.gatewayUrl}/api/orders/${orderId}`,
    {
      headers: { authorization: `Bearer ${customer.token}` },
    },
  );
  return (response.body.saga?.steps ?? []).filter(
    (s) => s.step === 'processPayment' && s.action === 'invoke' && s.finishedAt,
  );
}

const attemptMs = (step: SagaStepView) => new Date(step.finishedAt!).getTime() - new Date(step.startedAt).getTime();

async function placeTimed(context: FailFastContext, customer: BenchCustomer): Promise<{ id: string; ms: number }> {
  const started = performance.now();
  const placed = await requestJson<{ id: string }>('POST', `${context.gatewayUrl}/api/orders`, {
    body: orderRequest,
    headers: { authorization: `Bearer ${customer.token}` },
  });
  const ms = performance.now() - started;
  if (placed.status !== 202) throw new Error(`POST /api/orders answered ${placed.status}`);
  return { id: placed.body.id, ms };
}

export async function runFailFast(context: FailFastContext, variant: FailFastVariant): Promise<FailFastResult> {
  const placed: { id: string; customer: BenchCustomer }[] = [];
  await setFaults(context.paymentUrl, [variant.rule], {
    headers: { authorization: `Bearer ${context.operatorToken}` },
  });
  try {
    // Until the breaker opens: an order every 200 ms (each saga retries payment on its own, which is what trips it).
    const faultedAt = Date.now();
    let openedAt: number | undefined;
    for (let i = 0; openedAt === undefined; i++) {
      if (Date.now() - faultedAt > 60_000) throw new Error('the payment breaker did not open within 60 s');
      const customer = context.customers[i % context.customers.length]!;
      placed.push({ id: (await placeTimed(context, customer)).id, customer });
      await sleep(200);
      if ((await paymentBreakerState(context.orderUrl)) === 1) openedAt = Date.now();
    }
    context.log(`    breaker open after ${((openedAt - faultedAt) / 1000).toFixed(1)} s`);
    const beforeOpen = placed.length;

    const postMs: number[] = [];
    for (let i = 0; i < context.samples; i++) {
      const customer = context.customers[i % context.customers.length]!;
      const { id, ms } = await placeTimed(context, customer);
      postMs.push(ms);
      placed.push({ id, customer });
    }
    // Let every order make its payment attempts (those that tripped the breaker may still be timing out), then
    // read each attempt's duration from the step logs: before the breaker opened, and while it was open.
    const collect = async (orders: typeof placed, wanted: (startedAt: number) => boolean): Promise<number[]> => {
      const waitUntil = Date.now() + 15_000;
      for (;;) {
        const durations: number[] = [];
        let ordersWithOne = 0;
        for (const { id, customer } of orders) {
          const attempts = (await paymentAttempts(context, customer, id)).filter((a) =>
            wanted(new Date(a.startedAt).getTime()),
          );
          if (attempts.length) ordersWithOne += 1;
          durations.push(...attempts.map(attemptMs));
        }
        if (ordersWithOne >= orders.length || Date.now() > waitUntil) return durations;
        await sleep(500);
      }
    };
    const whileOpen = await collect(placed.slice(beforeOpen), (startedAt) => startedAt >= openedAt);
    const before = await collect(placed.slice(0, beforeOpen), (startedAt) => startedAt < openedAt);
    return {
      variant: variant.name,
      openedAfterMs: openedAt - faultedAt,
      post: summarize(postMs),
      attemptsWhileOpen: summarize(whileOpen),
      attemptsBeforeOpen: summarize(before),
      stepTimeoutMs: context.stepTimeoutMs,
    };
  } finally {
    await setFaults(context.paymentUrl, [], { headers: { authorization: `Bearer ${context.operatorToken}` } });
  }
}
