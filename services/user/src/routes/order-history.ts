/** `GET /users/{id}/orders`: the customer's orders as this service has learned them from order events. */
import type { Database } from '@shop/db';
import { mayActFor, notFound, Type, type ServiceApp } from '@shop/service-kit';
import { listOrderHistory } from '../order-history/order-history';
import type { UserStore } from '../user-store';

const Money = Type.Object({ amountMinor: Type.Integer(), currency: Type.String() });
const OrderHistoryEntry = Type.Object({
  orderId: Type.String(),
  status: Type.String(),
  total: Type.Union([Money, Type.Null()]),
  itemCount: Type.Union([Type.Integer(), Type.Null()]),
  placedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  updatedAt: Type.String({ format: 'date-time' }),
});

export function registerOrderHistoryRoutes(app: ServiceApp, db: Database, users: UserStore): void {
  app.get(
    '/users/:id/orders',
    {
      schema: {
        tags: ['users'],
        summary: "A customer's order history (eventually consistent, built from order events)",
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: Type.Object({ orders: Type.Array(OrderHistoryEntry) }) },
      },
    },
    async (request) => {
      const { id } = request.params;
      if (!mayActFor(request, id) || !(await users.findById(id))) throw notFound('User', id);
      return { orders: await listOrderHistory(db, id) };
    },
  );
}
