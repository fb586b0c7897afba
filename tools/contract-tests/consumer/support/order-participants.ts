/**
 * The order service's real participant clients (createParticipants: resilient client, idempotency key, service token)
 * pointed at a Pact mock server. Retries are off: a contract test makes each request once, and a repeat would show up
 * as an unexpected second request.
 */
import { bearerToken } from '../../src';
import { createParticipants, type StepCall } from '@shop/order-service/dist/saga/participants';

export function orderParticipants(mockServerUrl: string) {
  return createParticipants({
    inventoryUrl: mockServerUrl,
    paymentUrl: mockServerUrl,
    shippingUrl: mockServerUrl,
    timeoutMs: 5_000,
    retry: { maxAttempts: 1 },
    authorization: () => bearerToken({ sub: 'order-service', role: 'service' }),
  });
}

/** A saga step's call context: its idempotency key and an abort signal that never fires. */
export function stepCall(idempotencyKey: string): StepCall {
  return { idempotencyKey, signal: new AbortController().signal };
}
