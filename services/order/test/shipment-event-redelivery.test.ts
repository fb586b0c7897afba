// A shipment event can reach the order service before the saga has recorded the shipment (the order is not confirmed
// yet); the handler then fails with OrderNotReadyError and the queue redelivers the event later. The queue must keep
// redelivering for longer than the saga can take to get there, or the event dead-letters and the order stays
// CONFIRMED for good — found by `pnpm test:replicas`, where a replica killed right after shipping answered leaves the
// saga to the other replica only once the cut-off attempt's lease has run out.
import { DEFAULT_MAX_RECEIVE_COUNT, systemTopology } from '@shop/contracts';
import { defaultRetryDelaySeconds } from '@shop/messaging';
import { OrderServiceConfig } from '../src/config';
import { PLACE_ORDER_BACKOFF, placeOrderPolicies } from '../src/saga/place-order-saga';

/** Seconds from the first receive to the last before SQS moves the message to the DLQ. */
function redeliverySpanSeconds(maxReceiveCount: number): number {
  let seconds = 0;
  for (let receive = 1; receive < maxReceiveCount; receive++) seconds += defaultRetryDelaySeconds(receive);
  return seconds;
}

describe('order-service queue: redelivery of a shipment event that arrives before the saga recorded the shipment', () => {
  it('outlasts a crashed createShipment attempt: its lease running out, a failed retry, the longest backoff, a last try', () => {
    const receives = systemTopology.consumers.order.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT;
    const { timeoutMs } = placeOrderPolicies.createShipment;
    const leaseMs = Number(OrderServiceConfig.properties.SAGA_LEASE_MS.default);
    const worstMs = timeoutMs + leaseMs + timeoutMs + PLACE_ORDER_BACKOFF.maxMs + timeoutMs;

    expect(redeliverySpanSeconds(receives) * 1000).toBeGreaterThan(worstMs);
  });

  it('was not the case with the default five receives (15 s)', () => {
    expect(redeliverySpanSeconds(DEFAULT_MAX_RECEIVE_COUNT)).toBe(15);
    expect(redeliverySpanSeconds(DEFAULT_MAX_RECEIVE_COUNT) * 1000).toBeLessThan(
      placeOrderPolicies.createShipment.timeoutMs + Number(OrderServiceConfig.properties.SAGA_LEASE_MS.default),
    );
  });
});
