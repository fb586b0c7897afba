/** Why a reservation request was refused. Routes turn these into problem+json; the store never knows about HTTP. */
import type { Reservation } from './domain/reservation';

export interface Shortage {
  sku: string;
  requested: number;
  available: number;
}

export class InsufficientStockError extends Error {
  constructor(readonly shortages: Shortage[]) {
    super(
      `Not enough stock for ${shortages.map((s) => `${s.sku} (requested ${s.requested}, available ${s.available})`).join(', ')}`,
    );
    this.name = 'InsufficientStockError';
  }
}

export class UnknownSkusError extends Error {
  constructor(readonly skus: string[]) {
    super(`Unknown sku${skus.length > 1 ? 's' : ''}: ${skus.join(', ')}`);
    this.name = 'UnknownSkusError';
  }
}

export class MixedCurrenciesError extends Error {
  constructor(readonly currencies: string[]) {
    super(`One reservation cannot mix currencies (${currencies.join(', ')})`);
    this.name = 'MixedCurrenciesError';
  }
}

/** A repeat of reserve for an order whose reservation holds different items. */
export class ReservationMismatchError extends Error {
  constructor(readonly existing: Reservation) {
    super(`Order ${existing.orderId} already has a reservation with different items`);
    this.name = 'ReservationMismatchError';
  }
}

/** The order's reservation is in a state that forbids the requested transition. */
export class ReservationStateError extends Error {
  constructor(
    readonly existing: Reservation,
    readonly attempted: 'reserve' | 'commit' | 'release',
  ) {
    super(
      existing.tombstone
        ? `Order ${existing.orderId} was released before it was reserved; it cannot ${attempted} any more`
        : `The reservation of order ${existing.orderId} is ${existing.status}; it cannot ${attempted}`,
    );
    this.name = 'ReservationStateError';
  }
}

export class ReservationNotFoundError extends Error {
  constructor(readonly orderId: string) {
    super(`No reservation for order ${orderId}`);
    this.name = 'ReservationNotFoundError';
  }
}
