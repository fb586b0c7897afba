import { check, type Scenario } from '../scenario';
import { followOrder, newCustomer, placeOrder, sagaSteps } from '../shop-actions';

export const outOfStock: Scenario = {
  id: 2,
  title: 'Out of stock → the saga compensates (order CANCELLED, nothing reserved)',
  lesson: 'A business failure before the pivot (payment) undoes what was done, in reverse, and nothing leaks.',
  async run(context) {
    const { gateway, out } = context;
    const customer = await newCustomer(context, 'Grace');
    const before = await gateway.get('/api/products/SNEAKER-42', {
      token: customer.token,
      note: (r) => `stock ${r.body.stock}`,
    });
    const order = await placeOrder(context, customer, [
      { sku: 'MUG-CLASSIC', quantity: 1 },
      { sku: 'SNEAKER-42', quantity: 5 },
    ]);
    const cancelled = await followOrder(context, customer, order.id, [
      'CANCELLED',
      'CONFIRMED',
      'SHIPPED',
      'DELIVERED',
    ]);
    check(cancelled.status === 'CANCELLED', `order ended ${cancelled.status}`);
    out.figure('cancellation reason', cancelled.cancellationReason ?? '—');
    out.line('  saga steps:');
    out.block(sagaSteps(cancelled));
    const after = await gateway.get('/api/products/SNEAKER-42', {
      token: customer.token,
      note: (r) => `stock ${r.body.stock}`,
    });
    check(after.body.stock === before.body.stock, 'stock of the short sku changed');
    check(cancelled.paymentId === null, 'a payment was taken for an order that could not be reserved');
  },
};
