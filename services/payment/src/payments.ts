/**
 * The payment use cases: charge (behind an Idempotency-Key) and refund (idempotent by payment). Each runs in one
 * transaction that holds the idempotency record, the payment and its outbox event, so they commit together or not
 * at all; the relay is woken after the commit.
 */
import { systemClock, uuidv7, type Clock } from '@shop/clock';
import { createEvent, type EventEnvelope, type EventMetadata } from '@shop/contracts';
import { alongside, runStatement, type Database, type Queryable } from '@shop/db';
import { enqueueEvents, outboxInsert } from '@shop/messaging';
import { HttpProblem } from '@shop/service-kit';
import type { Payment, PaymentRequest, Refund } from './domain/payment';
import { claimIdempotencyKey, idempotencyKeyCompletion, type StoredResponse } from './idempotency/idempotency-keys';
import {
  OrderAlreadyPaidError,
  decidedPayment,
  decisionUpdate,
  findPayment,
  insertPendingPayment,
  insertRefund,
  listPaymentsOfOrder,
  withoutVersion,
  type Decision,
  type StoredPayment,
} from './payment-store';
import type { PaymentProvider } from './provider/payment-provider';

export class PaymentNotFoundError extends Error {
  constructor(readonly paymentId: string) {
    super(`Payment ${paymentId} does not exist`);
    this.name = 'PaymentNotFoundError';
  }
}

export class PaymentNotRefundableError extends Error {
  constructor(readonly payment: Payment) {
    super(`Payment ${payment.id} is ${payment.status}; only a captured payment can be refunded`);
    this.name = 'PaymentNotRefundableError';
  }
}

export interface PaymentsDeps {
  db: Database;
  provider: PaymentProvider;
  /** Called after a transaction that enqueued events commits (the outbox relay's `wake`). */
  onEventsCommitted?: () => void;
  clock?: Clock;
  /** How long a duplicate waits for the first request with its Idempotency-Key. */
  idempotencyWaitMs?: number;
}

export interface ChargeCommand {
  request: PaymentRequest;
  idempotencyKey: string;
  fingerprint: string;
  /** Where the request was made (`instance` of a declined problem). */
  path: string;
  metadata: EventMetadata;
}

const money = (payment: Payment) => ({ amountMinor: payment.amount, currency: payment.currency });

export class Payments {
  private readonly clock: Clock;
  constructor(private readonly deps: PaymentsDeps) {
    this.clock = deps.clock ?? systemClock;
  }

  /** Wall time from the injected clock, as the Date the SQL and the events take (a function: it is passed on). */
  private readonly now = (): Date => new Date(this.clock.now());

  /**
   * Returns the response to send: 201 + payment when captured, 402 + problem when declined — either freshly decided
   * or replayed from the idempotency record (`replayed`). Throws for what is not stored: a key reused for another
   * request, one still in progress, a second charge of a paid order, a provider outage.
   */
  async charge(command: ChargeCommand): Promise<{ response: StoredResponse; replayed: boolean }> {
    try {
      return await this.chargeOnce(command);
    } catch (error) {
      if (!(error instanceof OrderAlreadyPaidError)) throw error;
      // The failed transaction could not read it; name the payment holding the order so the caller can use it.
      const existing = (await this.listByOrder(error.orderId)).find((payment) => payment.status !== 'declined');
      throw new OrderAlreadyPaidError(error.orderId, existing?.id);
    }
  }

  private async chargeOnce(command: ChargeCommand): Promise<{ response: StoredResponse; replayed: boolean }> {
    const { db, provider } = this.deps;
    const result = await db.transaction(async (tx) => {
      const now = this.now();
      const claim = await claimIdempotencyKey(tx, {
        key: command.idempotencyKey,
        fingerprint: command.fingerprint,
        now,
        waitMs: this.deps.idempotencyWaitMs ?? 5_000,
      });
      if (claim.kind === 'replay') return { response: claim.response, replayed: true };

      const paymentId = uuidv7(now.getTime());
      await insertPendingPayment(tx, paymentId, command.request, now);
      const outcome = await provider.charge({
        paymentId,
        amount: { amountMinor: command.request.amount, currency: command.request.currency },
        paymentMethod: command.request.paymentMethod,
        idempotencyKey: command.idempotencyKey,
      });
      const decidedAt = this.now();
      const decision: Decision =
        outcome.outcome === 'captured'
          ? { status: 'captured', providerReference: outcome.providerReference }
          : { status: 'declined', reason: outcome.reason };
      const payment = decidedPayment(paymentId, command.request, decision, now, decidedAt);

      const event =
        outcome.outcome === 'captured'
          ? this.event(
              'PaymentCaptured',
              payment,
              { paymentId, orderId: payment.orderId, amount: money(payment) },
              command.metadata,
            )
          : this.event(
              'PaymentDeclined',
              payment,
              { paymentId, orderId: payment.orderId, amount: money(payment), reason: outcome.reason },
              command.metadata,
            );
      const response: StoredResponse =
        outcome.outcome === 'captured'
          ? { status: 201, body: withoutVersion(payment) }
          : {
              status: 402,
              body: new HttpProblem(402, 'payment-declined', 'Payment declined', outcome.message, {
                reason: outcome.reason,
                paymentId,
                orderId: payment.orderId,
              }).toProblem(command.path),
            };
      // The decision, the stored response and the event in one statement: they only write, to different tables.
      await runStatement(
        tx,
        alongside(decisionUpdate(paymentId, decision, decidedAt), [
          idempotencyKeyCompletion(command.idempotencyKey, response, decidedAt),
          ...outboxInsert([event]),
        ]),
      );
      return { response, replayed: false };
    });
    if (!result.replayed) this.deps.onEventsCommitted?.();
    return result;
  }

  /**
   * Refunds the full captured amount, once: the first call creates the refund (`created: true`) and its
   * PaymentRefunded event; repeats return the same refund. The payment row lock serialises concurrent refunds.
   */
  async refund(
    paymentId: string,
    reason: string,
    metadata: EventMetadata,
  ): Promise<{ refund: Refund; created: boolean }> {
    const { db, provider } = this.deps;
    const result = await db.transaction(async (tx) => {
      const payment = await findPayment(tx, paymentId, { forUpdate: true });
      if (!payment) throw new PaymentNotFoundError(paymentId);
      if (payment.refund) return { refund: payment.refund, created: false };
      if (payment.status !== 'captured') throw new PaymentNotRefundableError(withoutVersion(payment));

      const now = this.now();
      const refundId = uuidv7(now.getTime());
      const { providerReference } = await provider.refund({
        refundId,
        paymentId,
        providerReference: payment.providerReference!,
        amount: money(payment),
        idempotencyKey: `refund-${paymentId}`,
      });
      await insertRefund(
        tx,
        { id: refundId, paymentId, amount: payment.amount, currency: payment.currency, reason, providerReference },
        now,
      );
      const refunded = (await findPayment(tx, paymentId))!;
      await enqueueEvents(tx, [
        this.event(
          'PaymentRefunded',
          refunded,
          { paymentId, orderId: payment.orderId, amount: money(payment), reason },
          metadata,
        ),
      ]);
      return { refund: refunded.refund!, created: true };
    });
    if (result.created) this.deps.onEventsCommitted?.();
    return result;
  }

  async get(paymentId: string): Promise<Payment | undefined> {
    const payment = await findPayment(this.deps.db, paymentId);
    return payment && withoutVersion(payment);
  }

  async listByOrder(orderId: string, q: Queryable = this.deps.db): Promise<Payment[]> {
    return (await listPaymentsOfOrder(q, orderId)).map(withoutVersion);
  }

  private event<K extends 'PaymentCaptured' | 'PaymentDeclined' | 'PaymentRefunded'>(
    eventType: K,
    payment: StoredPayment,
    data: Parameters<typeof createEvent<K>>[0]['data'],
    metadata: EventMetadata,
  ): EventEnvelope {
    return createEvent(
      { eventType, aggregateId: payment.id, aggregateVersion: payment.version, data, metadata },
      { now: this.now },
    );
  }
}
