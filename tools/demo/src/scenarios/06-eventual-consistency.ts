import { check, poll, type Scenario } from '../scenario';
import { followOrder, newCustomer, placeOrder } from '../shop-actions';

export const eventualConsistency: Scenario = {
  id: 6,
  title: 'Eventual consistency: the order history catches up via SNS → SQS',
  lesson: 'The user service never calls the order service; it learns from events, a few milliseconds behind.',
  async run(context) {
    const { gateway, out } = context;
    const customer = await newCustomer(context, 'Barbara');
    const order = await placeOrder(context, customer, [{ sku: 'POSTER-LTD', quantity: 1 }]);
    const confirmed = await followOrder(context, customer, order.id, [
      'CONFIRMED',
      'SHIPPED',
      'DELIVERED',
      'CANCELLED',
    ]);
    const confirmedAt = Date.now();
    check(confirmed.status !== 'CANCELLED', 'order was cancelled');
    const history = await poll(
      () => gateway.get(`/api/users/${customer.id}/orders`, { token: customer.token, quiet: true }),
      (r) =>
        r.body.orders?.some(
          (entry: { orderId: string; status: string }) => entry.orderId === order.id && entry.status !== 'PLACED',
        ),
      // The promise: the history shows a confirmed order within a second.
      { timeoutMs: 1_000, intervalMs: 20 },
    );
    const entry = history.body.orders.find((item: { orderId: string }) => item.orderId === order.id);
    check(entry, 'the history did not show the order within a second of its confirmation');
    out.request('GET', `/api/users/${customer.id.slice(0, 8)}…/orders`, history.status, history.ms, `${entry.status}`);
    out.figure('history behind the order service by', `≤ ${Date.now() - confirmedAt} ms`);
  },
};
