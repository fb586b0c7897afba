import { check, poll, requireSystem, seconds, type Scenario } from '../scenario';
import { followOrder, getOrder, newCustomer, placeOrder, type SagaStep } from '../shop-actions';

const attemptMs = (step: SagaStep) =>
  step.finishedAt ? new Date(step.finishedAt).getTime() - new Date(step.startedAt).getTime() : NaN;

async function setPaymentFaults(url: string, rules: object[]): Promise<void> {
  const response = await fetch(`${url}/admin/faults`, {
    method: rules.length ? 'PUT' : 'DELETE',
    headers: rules.length ? { 'content-type': 'application/json' } : {},
    body: rules.length ? JSON.stringify({ rules }) : undefined,
  });
  check(response.ok, `fault injection answered ${response.status}`);
}

export const paymentDown: Scenario = {
  id: 4,
  title: 'Payment service hangs → timeouts, the breaker opens, calls fail fast, then recover',
  lesson: 'A timeout bounds each call; once failures pile up the breaker stops calling at all until a trial succeeds.',
  needsLocalSystem: true,
  async run(context) {
    const { out } = context;
    const system = requireSystem(context);
    const payment = system.service('payment');
    const customer = await newCustomer(context, 'Barbara');

    out.note('payment: every POST /payments now takes 5 s (the order service gives each call 1 s)');
    await setPaymentFaults(payment.url, [{ route: '/payments*', method: 'POST', latencyMs: 5_000 }]);
    const order = await placeOrder(context, customer, [{ sku: 'MUG-CLASSIC', quantity: 1 }]);
    try {
      const stuck = await poll(
        () => getOrder(context, customer, order.id),
        (o) => (o.saga?.steps ?? []).filter((s) => s.step === 'processPayment' && s.finishedAt).length >= 4,
        { timeoutMs: 30_000, intervalMs: 200 },
      );
      const attempts = (stuck.saga?.steps ?? []).filter((s) => s.step === 'processPayment' && s.finishedAt);
      check(attempts.length >= 4, 'the payment step was not retried');
      out.line('  processPayment attempts while payment hangs:');
      for (const attempt of attempts) {
        out.block(`#${attempt.attempt}  ${String(attemptMs(attempt)).padStart(5)} ms  ${attempt.error ?? attempt.outcome ?? ''}`.slice(0, 110));
      }
      const first = attemptMs(attempts[0]!);
      const last = attemptMs(attempts[attempts.length - 1]!);
      out.figure('first attempt (timeouts + retries)', `${first} ms`);
      out.figure('latest attempt (breaker open)', `${last} ms`);
      check(last < first / 5, `attempts did not get faster once the breaker opened (${first} ms → ${last} ms)`);
      out.figure('order meanwhile', `${stuck.status} (the pivot is retried, never abandoned)`);
    } finally {
      await setPaymentFaults(payment.url, []);
    }
    out.note('payment healthy again: the next trial call closes the breaker');
    const recoveredAt = Date.now();
    const confirmed = await followOrder(context, customer, order.id, ['CONFIRMED', 'SHIPPED', 'DELIVERED'], 45_000);
    out.figure('recovered after faults cleared', seconds(Date.now() - recoveredAt));
    check(['CONFIRMED', 'SHIPPED', 'DELIVERED'].includes(confirmed.status), `order ended ${confirmed.status}`);
  },
};
