import { renderWaterfall } from '@shop/telemetry';
import { check, type Scenario } from '../scenario';
import { followOrder, money, newCustomer, placeOrder, sagaSteps } from '../shop-actions';

export const happyPath: Scenario = {
  id: 1,
  title: 'Happy path: register, sign in, browse, order → CONFIRMED → SHIPPED → DELIVERED',
  lesson: 'One POST starts a saga across four services; the order then follows shipping events it never asked for.',
  async run(context) {
    const { gateway, out, system } = context;
    const customer = await newCustomer(context);
    const products = await gateway.get('/api/products', {
      token: customer.token,
      note: (r) => `${r.body.products?.length ?? 0} products`,
    });
    check(products.status === 200, `products answered ${products.status}`);

    const order = await placeOrder(context, customer, [
      { sku: 'MUG-CLASSIC', quantity: 2 },
      { sku: 'TEE-LOGO-M', quantity: 1 },
    ]);
    const delivered = await followOrder(context, customer, order.id, ['DELIVERED', 'CANCELLED', 'NEEDS_ATTENTION']);
    check(delivered.status === 'DELIVERED', `order ended ${delivered.status}`);
    out.figure('total (priced by inventory)', money(delivered.total));
    out.line('  saga steps:');
    out.block(sagaSteps(delivered));

    if (system && order.traceId) {
      const spans = await system.collector
        .waitForTrace(order.traceId, { minSpans: 8, timeoutMs: 5_000 })
        .catch(() => system.collector.getTrace(order.traceId!) ?? []);
      const services = new Set(spans.map((span) => span.service));
      out.figure('trace of POST /api/orders', `${order.traceId} — ${spans.length} spans, ${services.size} services`);
      if (spans.length > 0) out.block(renderWaterfall(spans, { width: 100, color: process.stdout.isTTY }));
    }
  },
};
