import { check, type Scenario } from '../scenario';
import { followOrder, newCustomer, placeOrder, sagaSteps } from '../shop-actions';

export const paymentDeclined: Scenario = {
  id: 3,
  title: 'Payment declined → compensation releases the reserved stock',
  lesson: 'The pivot failed with a business error (402): the completed reservation is released.',
  async run(context) {
    const { gateway, out } = context;
    const customer = await newCustomer(context, 'Alan');
    const before = await gateway.get('/api/products/HOODIE-L', {
      token: customer.token,
      note: (r) => `stock ${r.body.stock}`,
    });
    const order = await placeOrder(context, customer, [{ sku: 'HOODIE-L', quantity: 2 }], 'tok_declined');
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
    const after = await gateway.get('/api/products/HOODIE-L', {
      token: customer.token,
      note: (r) => `stock ${r.body.stock}`,
    });
    check(after.body.stock === before.body.stock, `stock is ${after.body.stock}, was ${before.body.stock}`);
  },
};
