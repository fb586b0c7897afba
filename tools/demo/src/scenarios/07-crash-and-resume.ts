import { setFaults } from '@shop/testing';
import { check, poll, requireSystem, seconds, type Scenario } from '../scenario';
import { followOrder, getOrder, newCustomer, placeOrder, sagaSteps } from '../shop-actions';

export const crashAndResume: Scenario = {
  id: 7,
  title: 'Crash and resume: the order service is SIGKILLed mid-saga, restarted, and finishes the saga',
  lesson:
    'Saga state is in the database, written with each step; a restarted process resumes with the same idempotency keys.',
  needsLocalSystem: true,
  async run(context) {
    const { out } = context;
    const system = requireSystem(context);
    const payment = system.service('payment');
    const orderService = system.service('order');
    const customer = await newCustomer(context, 'Margaret');

    // Slow payments (still within the order service's timeout) leave time to crash while a charge is in flight.
    await setFaults(payment.baseUrl, [{ route: '/payments', method: 'POST', latencyMs: 700 }], {
      headers: system.serviceAuth(),
    });
    try {
      const order = await placeOrder(context, customer, [{ sku: 'TEE-LOGO-M', quantity: 1 }]);
      const inFlight = await poll(
        () => getOrder(context, customer, order.id),
        (o) => o.saga?.steps.some((s) => s.step === 'processPayment' && !s.finishedAt) ?? false,
        { timeoutMs: 10_000, intervalMs: 20 },
      );
      check(inFlight.saga?.currentStep === 'processPayment', 'never caught the saga during processPayment');
      await orderService.stop('SIGKILL');
      const killedAt = Date.now();
      out.note('order-service killed with SIGKILL while processPayment was in flight');

      const gone = await context.gateway.get(`/api/orders/${order.id}`, { token: customer.token });
      out.note(`the gateway meanwhile answers ${gone.status} (fast, not a hang)`);

      orderService.start();
      await orderService.waitUntilReady();
      out.note(
        `order-service restarted after ${seconds(Date.now() - killedAt)}; its worker picks the saga up once the lease expires`,
      );
      const done = await followOrder(
        context,
        customer,
        order.id,
        ['CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED'],
        30_000,
      );
      check(done.status !== 'CANCELLED', 'the resumed saga cancelled the order');
      out.figure('crash → confirmed', seconds(Date.now() - killedAt));
      out.line('  saga steps (the cut-off attempt was re-invoked with the same key):');
      out.block(sagaSteps(done));

      const payments = await fetch(`${payment.baseUrl}/payments?orderId=${order.id}`, {
        headers: system.serviceAuth(),
      }).then((r) => r.json() as Promise<{ payments: { status: string }[] }>);
      const captured = payments.payments.filter((p) => p.status === 'captured').length;
      out.figure('payments captured for the order', String(captured));
      check(captured === 1, `${captured} captures for one order`);
    } finally {
      await setFaults(payment.baseUrl, [], { headers: system.serviceAuth() });
      if (!orderService.running) {
        orderService.start();
        await orderService.waitUntilReady();
      }
    }
  },
};
