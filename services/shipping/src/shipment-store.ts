/**
 * Persistence of shipments: plain SQL over @shop/db, every change and its event committed together (outbox).
 * Races are settled by the database — the unique index on `order_id`, conditional UPDATEs on `status` and row
 * locks — never by reading first and deciding in code.
 */
import { uuidv7, type Clock } from '@shop/clock';
import { fingerprintOf, type EventEnvelope, type EventMetadata } from '@shop/contracts';
import { alongside, isUniqueViolation, runStatement, type Database, type Queryable } from '@shop/db';
import { enqueueEvents, outboxInsert } from '@shop/messaging';
import type { ShippingSchedule } from './domain/lifecycle';
import { ShipmentStatus, type CreateShipmentRequest, type Shipment } from './domain/shipment';
import { shipmentEvent } from './shipment-events';
import { SHIPMENT_COLUMNS, toShipment, type ShipmentRow } from './shipment-row';

/** The orderId is taken by a shipment created from a different address or items. */
export class ShipmentRequestMismatchError extends Error {
  constructor(readonly existing: Shipment) {
    super(`A shipment for order ${existing.orderId} already exists with a different address or items`);
    this.name = 'ShipmentRequestMismatchError';
  }
}

/** A cancel-by-order arrived first and left a tombstone: this order will not be shipped. */
export class ShipmentCancelledBeforeCreationError extends Error {
  constructor(readonly tombstone: Shipment) {
    super(`The shipment for order ${tombstone.orderId} was cancelled before it was created; it will not be created`);
    this.name = 'ShipmentCancelledBeforeCreationError';
  }
}

/** Cancelling is allowed only until the dispatcher has handed the parcel to the carrier. */
export class ShipmentAlreadyDispatchedError extends Error {
  constructor(readonly shipment: Shipment) {
    super(`Shipment ${shipment.id} is already ${shipment.status.toLowerCase()} and can no longer be cancelled`);
    this.name = 'ShipmentAlreadyDispatchedError';
  }
}

export interface CreateOutcome {
  /** false when an earlier create for the same order (and the same body) already made it. */
  readonly created: boolean;
  readonly shipment: Shipment;
}

export interface CancelOutcome {
  /** `tombstoned`: no shipment existed, a cancelled placeholder now keeps a late create from making one. */
  readonly outcome: 'cancelled' | 'already-cancelled' | 'tombstoned';
  readonly shipment: Shipment;
}

export interface ShipmentStoreOptions {
  readonly db: Database;
  readonly clock: Clock;
  readonly schedule: ShippingSchedule;
  /** Called after a transaction that wrote events commits (the outbox relay's `wake`). */
  readonly onEventsCommitted?: () => void;
}

/** One shipment (or tombstone) per order: the index that settles a create racing a create or a cancel. */
const ORDER_ID_UNIQUE = 'shipments_order_id_unique';

const CANCEL_SET = `status = 'CANCELLED', cancellation_reason = $2, cancelled_at = $3, updated_at = $3,
  next_transition_at = NULL, version = version + 1`;

export class ShipmentStore {
  constructor(private readonly options: ShipmentStoreOptions) {}

  /**
   * The shipment and its ShipmentCreated go to the server as ONE statement (no BEGIN and COMMIT): the insert has no
   * ON CONFLICT, so a shipment that already exists for the order fails the whole statement, event included, and is
   * then read — a retry, a different request reusing the orderId, or a cancel's tombstone.
   */
  async create(request: CreateShipmentRequest, metadata: EventMetadata): Promise<CreateOutcome> {
    const now = new Date(this.options.clock.now());
    const row: ShipmentRow = {
      id: uuidv7(now.getTime()),
      order_id: request.orderId,
      status: ShipmentStatus.CREATED,
      tombstone: false,
      address: request.address,
      items: request.items,
      // Tells a retry (same address and items) from a different request reusing the orderId.
      request_hash: fingerprintOf(request),
      carrier: null,
      tracking_number: null,
      cancellation_reason: null,
      correlation_id: metadata.correlationId,
      version: 1,
      next_transition_at: new Date(now.getTime() + this.options.schedule.dispatchDelayMs),
      created_at: now,
      updated_at: now,
      dispatched_at: null,
      delivered_at: null,
      cancelled_at: null,
    };
    const shipment = toShipment(row);
    const insert = {
      sql: `INSERT INTO shipments (id, order_id, status, address, items, request_hash, correlation_id, version,
                                next_transition_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8, $9, $10, $10)`,
      params: [
        row.id,
        row.order_id,
        row.status,
        JSON.stringify(row.address),
        JSON.stringify(row.items),
        row.request_hash,
        row.correlation_id,
        row.version,
        row.next_transition_at,
        now,
      ],
    };
    try {
      await runStatement(
        this.options.db,
        alongside(insert, outboxInsert([shipmentEvent(shipment, { metadata, now })])),
      );
      this.options.onEventsCommitted?.();
      return { created: true, shipment };
    } catch (error) {
      if (!isUniqueViolation(error, ORDER_ID_UNIQUE)) throw error;
    }
    // The conflicting row is committed (the insert waited for it), so this read sees it.
    const existing = await selectOne(this.options.db, 'order_id', request.orderId);
    if (existing.tombstone) throw new ShipmentCancelledBeforeCreationError(toShipment(existing));
    if (existing.request_hash !== row.request_hash) throw new ShipmentRequestMismatchError(toShipment(existing));
    return { created: false, shipment: toShipment(existing) };
  }

  /** undefined when no shipment has that id. */
  async cancel(id: string, reason: string, metadata: EventMetadata): Promise<CancelOutcome | undefined> {
    const now = new Date(this.options.clock.now());
    return this.transaction(async (tx, publish) => {
      const cancelled = await this.cancelLive(tx, 'id', id, reason, metadata, now, publish);
      if (cancelled) return cancelled;
      const { rows } = await tx.query<ShipmentRow>(`SELECT ${SHIPMENT_COLUMNS} FROM shipments WHERE id = $1`, [id]);
      return rows[0] && settledCancel(rows[0]);
    });
  }

  /**
   * Cancel whatever exists for `orderId`, or — when nothing does yet — record a tombstone so that a create still in
   * flight (its response lost, or the request itself delayed) cannot make a live shipment afterwards.
   */
  async cancelByOrder(orderId: string, reason: string, metadata: EventMetadata): Promise<CancelOutcome> {
    const now = new Date(this.options.clock.now());
    return this.transaction(async (tx, publish) => {
      // Inserting first makes the unique index the referee: a concurrent create either committed before (conflict,
      // we cancel its row below) or waits for us and then finds the tombstone.
      const tombstone = await tx.query<ShipmentRow>(
        `INSERT INTO shipments (id, order_id, status, tombstone, cancellation_reason, correlation_id, version,
                                created_at, updated_at, cancelled_at)
         VALUES ($1, $2, 'CANCELLED', true, $3, $4, 1, $5, $5, $5)
         ON CONFLICT (order_id) DO NOTHING
         RETURNING ${SHIPMENT_COLUMNS}`,
        [uuidv7(now.getTime()), orderId, reason, metadata.correlationId, now],
      );
      // No event: nobody was ever told this shipment existed.
      if (tombstone.rows[0]) return { outcome: 'tombstoned', shipment: toShipment(tombstone.rows[0]) };
      const cancelled = await this.cancelLive(tx, 'order_id', orderId, reason, metadata, now, publish);
      return cancelled ?? settledCancel(await selectOne(tx, 'order_id', orderId));
    });
  }

  async findById(id: string): Promise<Shipment | undefined> {
    const { rows } = await this.options.db.query<ShipmentRow>(
      `SELECT ${SHIPMENT_COLUMNS} FROM shipments WHERE id = $1`,
      [id],
    );
    return rows[0] && toShipment(rows[0]);
  }

  /** At most one: a shipment (or tombstone) per order. */
  async findByOrder(orderId: string): Promise<Shipment[]> {
    const { rows } = await this.options.db.query<ShipmentRow>(
      `SELECT ${SHIPMENT_COLUMNS} FROM shipments WHERE order_id = $1`,
      [orderId],
    );
    return rows.map(toShipment);
  }

  /** CREATED → CANCELLED, only if still CREATED when the row lock is ours (the dispatcher may have just moved it). */
  private async cancelLive(
    tx: Queryable,
    column: 'id' | 'order_id',
    value: string,
    reason: string,
    metadata: EventMetadata,
    now: Date,
    publish: (events: EventEnvelope[]) => Promise<void>,
  ): Promise<CancelOutcome | undefined> {
    const { rows } = await tx.query<ShipmentRow>(
      `UPDATE shipments SET ${CANCEL_SET} WHERE ${column} = $1 AND status = 'CREATED' RETURNING ${SHIPMENT_COLUMNS}`,
      [value, reason, now],
    );
    if (!rows[0]) return undefined;
    const shipment = toShipment(rows[0]);
    await publish([shipmentEvent(shipment, { metadata, now })]);
    return { outcome: 'cancelled', shipment };
  }

  /** Runs `work` in a transaction; wakes the outbox relay once it commits if `work` enqueued events. */
  private async transaction<T>(
    work: (tx: Queryable, publish: (events: EventEnvelope[]) => Promise<void>) => Promise<T>,
  ): Promise<T> {
    let published = false;
    const result = await this.options.db.transaction((tx) =>
      work(tx, async (events) => {
        await enqueueEvents(tx, events);
        published = true;
      }),
    );
    if (published) this.options.onEventsCommitted?.();
    return result;
  }
}

async function selectOne(tx: Queryable, column: 'id' | 'order_id', value: string): Promise<ShipmentRow> {
  const { rows } = await tx.query<ShipmentRow>(`SELECT ${SHIPMENT_COLUMNS} FROM shipments WHERE ${column} = $1`, [
    value,
  ]);
  if (!rows[0]) throw new Error(`shipment with ${column} ${value} vanished: shipments are never deleted`);
  return rows[0];
}

/** A shipment that is not CREATED: cancelling again is a no-op, cancelling a dispatched one is refused. */
function settledCancel(row: ShipmentRow): CancelOutcome {
  const shipment = toShipment(row);
  if (shipment.status === ShipmentStatus.CANCELLED) return { outcome: 'already-cancelled', shipment };
  throw new ShipmentAlreadyDispatchedError(shipment);
}
