/** One order's makings for the domain-level tests: a time, money, an address, its items and how inventory priced them. */
import type { OrderEvent } from '../../src/domain/order';

export const now = '2030-01-01T10:00:00.000Z';
export const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
export const address = { line1: '1 Dock Road', city: 'Rotterdam', postalCode: '3011', country: 'NL' };
export const items = [{ sku: 'MUG', quantity: 2 }];
export const lines = [{ sku: 'MUG', quantity: 2, unitPrice: eur(500), lineTotal: eur(1_000) }];

export const created: OrderEvent = {
  type: 'OrderCreated',
  data: { orderId: 'o-1', customerId: 'c-1', items, shippingAddress: address, createdAt: now },
};
