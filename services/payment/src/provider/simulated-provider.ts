/**
 * A payment provider that decides by token, like the test cards of real providers: deterministic, instant, and
 * without network. The tokens are documented in the README and listed in `TEST_TOKENS`.
 */
import {
  PaymentProviderUnavailableError,
  type ChargeRequest,
  type ChargeResult,
  type DeclineReason,
  type PaymentProvider,
  type RefundRequest,
  type RefundResult,
} from './payment-provider';

/** Tokens that decline, and why. Every other token captures. */
export const DECLINING_TOKENS: Readonly<Record<string, { reason: DeclineReason; message: string }>> = {
  tok_declined: { reason: 'card_declined', message: 'The card was declined' },
  tok_insufficient_funds: { reason: 'insufficient_funds', message: 'The card has insufficient funds' },
  tok_expired_card: { reason: 'expired_card', message: 'The card has expired' },
  tok_fraudulent: { reason: 'fraud_suspected', message: 'The charge was blocked as likely fraud' },
};

/** Simulates an outage: the provider throws and nothing is recorded, so a retry with the same key charges afresh. */
export const UNAVAILABLE_TOKEN = 'tok_provider_unavailable';

const reference = (prefix: string, id: string) => `${prefix}_${id.replace(/-/g, '')}`;

export class SimulatedPaymentProvider implements PaymentProvider {
  /** Counts provider calls, so tests can prove a duplicate request never reached the provider. */
  readonly calls = { charge: 0, refund: 0 };

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    this.calls.charge++;
    if (request.paymentMethod === UNAVAILABLE_TOKEN) throw new PaymentProviderUnavailableError();
    const decline = DECLINING_TOKENS[request.paymentMethod];
    if (decline) return { outcome: 'declined', ...decline };
    return { outcome: 'captured', providerReference: reference('sim_ch', request.paymentId) };
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    this.calls.refund++;
    return { providerReference: reference('sim_re', request.refundId) };
  }
}
