/**
 * The seam to whoever moves the money. The simulated provider implements it for demos and tests; a real one
 * (Stripe, Adyen, …) would too. The provider's answer is a business outcome (captured or declined); a provider
 * that cannot answer throws `PaymentProviderUnavailableError`, and nothing is recorded, so the request can be retried.
 */
export interface Money {
  amountMinor: number;
  currency: string;
}

export interface ChargeRequest {
  paymentId: string;
  amount: Money;
  /** A provider token for the card or wallet, e.g. `tok_visa`. */
  paymentMethod: string;
  /**
   * Passed on to the provider so that a retry after a lost answer (or a crash before our commit) is deduplicated
   * by the provider too: the request's own Idempotency-Key.
   */
  idempotencyKey: string;
}

/** Why a provider refused a charge; stable codes clients can branch on. */
export type DeclineReason = 'card_declined' | 'insufficient_funds' | 'expired_card' | 'fraud_suspected';

export type ChargeResult =
  { outcome: 'captured'; providerReference: string } | { outcome: 'declined'; reason: DeclineReason; message: string };

export interface RefundRequest {
  refundId: string;
  paymentId: string;
  providerReference: string;
  amount: Money;
  idempotencyKey: string;
}

export interface RefundResult {
  providerReference: string;
}

export interface PaymentProvider {
  charge(request: ChargeRequest): Promise<ChargeResult>;
  refund(request: RefundRequest): Promise<RefundResult>;
}

export class PaymentProviderUnavailableError extends Error {
  constructor(message = 'The payment provider did not answer') {
    super(message);
    this.name = 'PaymentProviderUnavailableError';
  }
}
