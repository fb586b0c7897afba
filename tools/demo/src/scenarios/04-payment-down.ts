import { setFaults } from '@shop/testing';
import { dim } from '../narrator';
import { check, poll, requireSystem, seconds, type Scenario, type ScenarioContext } from '../scenario';
import { followOrder, getOrder, newCustomer, placeOrder, type Customer, type SagaStep } from '../shop-actions';

const attemptMs = (step: SagaStep) => new Date(step.finishedAt!).getTime() - new Date(step.startedAt).getTime();

/** The finished processPayment attempts of an order, once there are at least `count`. */
async function paymentAttempts(context: ScenarioContext, customer: Customer, orderId: string, count: number) {
  const order = await poll(
    () => getOrder(context, customer, orderId),
    (o) => (o.saga?.steps ?? []).filter((s) => s.step === 'processPayment' && s.finishedAt).length >= count,
    { timeoutMs: 30_000, intervalMs: 200 },
  );
  return (order.saga?.steps ?? []).filter((s) => s.step === 'processPayment' && s.finishedAt);
}

async function breakerLines(orderServiceUrl: string): Promise<string[]> {
  const metrics = await fetch(`${orderServiceUrl}/metrics`).then((r) => r.text());
  return metrics.split('\n').filter((line) => /^circuit_breaker_(state|transitions_total)\{.*"payment"/.test(line));
}

export const paymentDown: Scenario = {
  id: 4,
  title: 'Payment service hangs → timeouts, the breaker opens, later orders fail fast, then recover',
  lesson: 'A timeout bounds each call; once failures pile up the breaker stops calling at all until a trial succeeds.',
  needsLocalSystem: true,
  async run(context) {
    const { out } = context;
    const system = requireSystem(context);
    const payment = system.service('payment');
    const orderService = system.service('order');
    const customer = await newCustomer(context, 'Barbara');

    out.note('payment: every POST /payments now takes 5 s (the order service gives each call 1 s)');
    await setFaults(payment.baseUrl, [{ route: '/payments*', method: 'POST', latencyMs: 5_000 }], {
      headers: system.serviceAuth(),
    });
    let first: { id: string } | undefined;
    let second: { id: string } | undefined;
    try {
      first = await placeOrder(context, customer, [{ sku: 'MUG-CLASSIC', quantity: 1 }]);
      const [slow] = await paymentAttempts(context, customer, first.id, 2);
      out.figure('first order: payment attempt', `${attemptMs(slow!)} ms  (${slow!.error})`);
      const open = await poll(
        () => breakerLines(orderService.baseUrl),
        (lines) => lines.some((l) => /state\{.*\} 1$/.test(l)),
        {
          timeoutMs: 10_000,
        },
      );
      for (const line of open) out.block(dim(line));
      check(
        open.some((l) => /state\{.*\} 1$/.test(l)),
        'the payment breaker never opened',
      );

      second = await placeOrder(context, customer, [{ sku: 'MUG-CLASSIC', quantity: 1 }]);
      const [fast] = await paymentAttempts(context, customer, second.id, 1);
      out.figure('later order: payment attempt', `${attemptMs(fast!)} ms  (${fast!.error})`);
      check(attemptMs(fast!) < attemptMs(slow!) / 10, 'the later order did not fail fast');
      out.figure('fail-fast speed-up', `${(attemptMs(slow!) / Math.max(1, attemptMs(fast!))).toFixed(0)}× faster`);
    } finally {
      await setFaults(payment.baseUrl, [], { headers: system.serviceAuth() });
    }
    out.note('payment healthy again: after the open period a trial call goes through and closes the breaker');
    const recoveredAt = Date.now();
    for (const order of [first!, second!]) {
      const done = await followOrder(context, customer, order.id, ['CONFIRMED', 'SHIPPED', 'DELIVERED'], 30_000);
      check(done.status !== 'CANCELLED', 'an order was cancelled although payment is a pivot that is retried');
    }
    out.figure('both orders confirmed after faults cleared', seconds(Date.now() - recoveredAt));
  },
};
