/**
 * Persistence of payments and refunds: plain SQL on a `Queryable`, so every write runs inside the caller's
 * transaction (with its idempotency key and outbox events). The database enforces the rules that concurrency could
 * break: one charge per order (partial unique index), one refund per payment (unique), row locks for state changes.
 */
import { isUniqueViolation, type Queryable, type Statement } from '@shop/db';
import type { Payment, PaymentRequest, PaymentStatus, Refund } from './domain/payment';

export class OrderAlreadyPaidError extends Error {
  constructor(
    readonly orderId: string,
    /** The payment that holds the order, once looked up (outside the failed transaction). */
    readonly paymentId?: string,
  ) {
    super(`Order ${orderId} already has a payment`);
    this.name = 'OrderAlreadyPaidError';
  }
}

interface PaymentRow {
  id: string;
  order_id: string;
  customer_id: string;
  amount_minor: string | number;
  currency: string;
  payment_method: string;
  status: PaymentStatus | 'pending';
  decline_reason: string | null;
  provider_reference: string | null;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
  refund_id: string | null;
  refund_amount_minor: string | number | null;
  refund_reason: string | null;
  refund_provider_reference: string | null;
  refund_created_at: Date | string | null;
}

const iso = (value: Date | string) => new Date(value).toISOString();

const SELECT_PAYMENT = `
  SELECT p.id, p.order_id, p.customer_id, p.amount_minor, p.currency, p.payment_method, p.status, p.decline_reason,
         p.provider_reference, p.version, p.created_at, p.updated_at,
         r.id AS refund_id, r.amount_minor AS refund_amount_minor, r.reason AS refund_reason,
         r.provider_reference AS refund_provider_reference, r.created_at AS refund_created_at
  FROM payments p LEFT JOIN refunds r ON r.payment_id = p.id`;

function toPayment(row: PaymentRow): Payment & { version: number } {
  const refund: Refund | null =
    row.refund_id === null
      ? null
      : {
          id: row.refund_id,
          paymentId: row.id,
          amount: Number(row.refund_amount_minor),
          currency: row.currency,
          reason: row.refund_reason!,
          providerReference: row.refund_provider_reference!,
          createdAt: iso(row.refund_created_at!),
        };
  return {
    id: row.id,
    orderId: row.order_id,
    customerId: row.customer_id,
    amount: Number(row.amount_minor),
    currency: row.currency,
    paymentMethod: row.payment_method,
    status: row.status as PaymentStatus,
    declineReason: row.decline_reason,
    providerReference: row.provider_reference,
    refund,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    version: row.version,
  };
}

/** A payment as stored, with the version its next event continues from (not part of the API shape). */
export type StoredPayment = Payment & { version: number };

export const withoutVersion = ({ version: _version, ...payment }: StoredPayment): Payment => payment;

export type Decision = { status: 'captured'; providerReference: string } | { status: 'declined'; reason: string };

/**
 * The provider's decision on a pending payment, as a statement: the charge sends it with the stored idempotent
 * response and the event in one round trip (`alongside`). The payment it makes is `decidedPayment`.
 */
export function decisionUpdate(id: string, decision: Decision, now: Date): Statement {
  return {
    sql: `UPDATE payments SET status = $2, provider_reference = $3, decline_reason = $4, updated_at = $5 WHERE id = $1`,
    params: [
      id,
      decision.status,
      decision.status === 'captured' ? decision.providerReference : null,
      decision.status === 'declined' ? decision.reason : null,
      now,
    ],
  };
}

/**
 * The payment as `insertPendingPayment` and then `decisionUpdate` leave it: version 1 (the column default; a
 * decision does not bump it, only a refund does), no refund yet. Built rather than read back, so the decision, its
 * event and the stored response go in one statement.
 */
export function decidedPayment(
  id: string,
  request: PaymentRequest,
  decision: Decision,
  pendingAt: Date,
  decidedAt: Date,
): StoredPayment {
  return {
    id,
    orderId: request.orderId,
    customerId: request.customerId,
    amount: request.amount,
    currency: request.currency,
    paymentMethod: request.paymentMethod,
    status: decision.status,
    declineReason: decision.status === 'declined' ? decision.reason : null,
    providerReference: decision.status === 'captured' ? decision.providerReference : null,
    refund: null,
    createdAt: pendingAt.toISOString(),
    updatedAt: decidedAt.toISOString(),
    version: 1,
  };
}

/**
 * Records the attempt before the provider is asked. A second charge of the same order waits here on the unique
 * index until the first commits, and fails before reaching the provider if the first one took the money.
 */
export async function insertPendingPayment(
  tx: Queryable,
  id: string,
  request: PaymentRequest,
  now: Date,
): Promise<void> {
  try {
    await tx.query(
      `INSERT INTO payments (id, order_id, customer_id, amount_minor, currency, payment_method, status, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $7)`,
      [id, request.orderId, request.customerId, request.amount, request.currency, request.paymentMethod, now],
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw new OrderAlreadyPaidError(request.orderId);
    throw error;
  }
}

export async function findPayment(
  q: Queryable,
  id: string,
  { forUpdate = false } = {},
): Promise<StoredPayment | undefined> {
  if (forUpdate) {
    // Lock first, read after: a locking read that waited re-checks only the locked row, so a join in the same
    // statement would still show the refund it could not see before the wait. The next statement sees the commit.
    const locked = await q.query('SELECT id FROM payments WHERE id = $1 FOR UPDATE', [id]);
    if (locked.rows.length === 0) return undefined;
  }
  const { rows } = await q.query<PaymentRow>(`${SELECT_PAYMENT} WHERE p.id = $1`, [id]);
  return rows[0] && toPayment(rows[0]);
}

export async function listPaymentsOfOrder(q: Queryable, orderId: string): Promise<StoredPayment[]> {
  const { rows } = await q.query<PaymentRow>(`${SELECT_PAYMENT} WHERE p.order_id = $1 ORDER BY p.created_at, p.id`, [
    orderId,
  ]);
  return rows.map(toPayment);
}

export async function insertRefund(tx: Queryable, refund: Omit<Refund, 'createdAt'>, now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO refunds (id, payment_id, amount_minor, currency, reason, provider_reference, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [refund.id, refund.paymentId, refund.amount, refund.currency, refund.reason, refund.providerReference, now],
  );
  await tx.query(`UPDATE payments SET status = 'refunded', version = version + 1, updated_at = $2 WHERE id = $1`, [
    refund.paymentId,
    now,
  ]);
}
