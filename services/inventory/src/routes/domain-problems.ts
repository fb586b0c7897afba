/** The inventory's domain refusals as problem+json, with what the caller needs to act (the short skus, the items…). */
import { HttpProblem, notFound, problemFor, repeatedSkuProblem } from '@shop/service-kit';
import type { Reservation } from '../domain/reservation';
import { InvalidCursorError, ProductExistsError } from '../product-store';
import {
  InsufficientStockError,
  MixedCurrenciesError,
  ReservationMismatchError,
  ReservationNotFoundError,
  ReservationStateError,
  UnknownSkusError,
} from '../reservation-errors';

const itemsOf = (reservation: Reservation) => reservation.lines.map(({ sku, quantity }) => ({ sku, quantity }));

export const inventoryProblems = [
  repeatedSkuProblem,
  problemFor(
    ProductExistsError,
    (error) => new HttpProblem(409, 'product-exists', 'Product already exists', error.message, { sku: error.sku }),
  ),
  problemFor(InvalidCursorError, (error) => new HttpProblem(400, 'invalid-cursor', 'Invalid cursor', error.message)),
  problemFor(
    InsufficientStockError,
    (error) =>
      new HttpProblem(409, 'insufficient-stock', 'Not enough stock', error.message, { shortages: error.shortages }),
  ),
  problemFor(
    UnknownSkusError,
    (error) => new HttpProblem(422, 'unknown-sku', 'Unknown sku', error.message, { unknownSkus: error.skus }),
  ),
  problemFor(
    MixedCurrenciesError,
    (error) =>
      new HttpProblem(422, 'mixed-currencies', 'Items priced in different currencies', error.message, {
        currencies: error.currencies,
      }),
  ),
  problemFor(
    ReservationMismatchError,
    (error) =>
      new HttpProblem(422, 'reservation-mismatch', 'Order already reserved with different items', error.message, {
        orderId: error.existing.orderId,
        reservedItems: itemsOf(error.existing),
      }),
  ),
  problemFor(ReservationStateError, (error) => {
    const { status, orderId, tombstone } = error.existing;
    // Not `status`: extensions are spread into the problem and would overwrite its HTTP status member.
    return new HttpProblem(409, `reservation-${status}`, `Reservation already ${status}`, error.message, {
      orderId,
      reservationStatus: status,
      tombstone,
    });
  }),
  problemFor(ReservationNotFoundError, (error) => notFound('Reservation of order', error.orderId)),
];
