/** The shipment store's domain refusals as problem+json, naming the shipment and order concerned. */
import { HttpProblem, problemFor } from '@shop/service-kit';
import {
  ShipmentAlreadyDispatchedError,
  ShipmentCancelledBeforeCreationError,
  ShipmentRequestMismatchError,
} from '../shipment-store';

export const shippingProblems = [
  problemFor(
    ShipmentRequestMismatchError,
    (error) =>
      new HttpProblem(422, 'shipment-request-mismatch', 'Order already has a different shipment', error.message, {
        shipmentId: error.existing.id,
        orderId: error.existing.orderId,
      }),
  ),
  problemFor(
    ShipmentCancelledBeforeCreationError,
    (error) =>
      new HttpProblem(409, 'shipment-cancelled', 'Shipment cancelled before creation', error.message, {
        shipmentId: error.tombstone.id,
        orderId: error.tombstone.orderId,
        shipmentStatus: error.tombstone.status,
      }),
  ),
  problemFor(
    ShipmentAlreadyDispatchedError,
    (error) =>
      new HttpProblem(409, 'shipment-already-dispatched', 'Shipment already dispatched', error.message, {
        shipmentId: error.shipment.id,
        orderId: error.shipment.orderId,
        shipmentStatus: error.shipment.status,
      }),
  ),
];
