/**
 * Reservations: all-or-nothing holds on stock, one per order, idempotent by orderId.
 *
 * Correctness under concurrency comes from the database, not from pre-checks:
 * - the unique `order_id` decides which of several concurrent requests for one order does the work (the others wait
 *   for it on the index, then read its result), and lets a release that arrives first leave a tombstone;
 * - product rows are locked in sku order (`ORDER BY sku FOR UPDATE`) so two multi-line reservations can never wait
 *   on each other in a cycle (no deadlocks on Postgres), and each decrement is conditional
 *   (`WHERE available >= $q`), backed by a CHECK constraint, so stock never goes negative.
 * Every transition and its event commit in one transaction (transactional outbox).
 */
import { systemClock, type Clock } from '@shop/clock';
import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '@shop/db';
import { enqueueEvents } from '@shop/messaging';
import {
  totalOf,
  sameItems,
  type RequestedItem,
  type Reservation,
  type ReservationLine,
  type ReservationStatus,
} from './domain/reservation';
import { stockReleased, stockReserved, type EventContext } from './reservation-events';
import {
  InsufficientStockError,
  MixedCurrenciesError,
  ReservationMismatchError,
  ReservationNotFoundError,
  ReservationStateError,
  UnknownSkusError,
  type Shortage,
} from './reservation-errors';

interface ReservationRow {
  id: string;
  order_id: string;
  status: ReservationStatus;
  tombstone: boolean;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
}

interface LineRow {
  sku: string;
  name: string;
  quantity: number;
  unit_price_minor: number;
  currency: string;
}

interface LockedProductRow {
  sku: string;
  name: string;
  price_minor: number;
  currency: string;
  available: number;
}

const RESERVATION_COLUMNS = 'id, order_id, status, tombstone, version, created_at, updated_at';

function toLine(row: LineRow): ReservationLine {
  return {
    sku: row.sku,
    name: row.name,
    quantity: row.quantity,
    unitPrice: { amountMinor: row.unit_price_minor, currency: row.currency },
    lineTotal: { amountMinor: row.unit_price_minor * row.quantity, currency: row.currency },
  };
}

function toReservation(row: ReservationRow, lines: ReservationLine[]): Reservation {
  return {
    id: row.id,
    orderId: row.order_id,
    status: row.status,
    tombstone: row.tombstone,
    lines,
    total: totalOf(lines),
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

const bySku = <T extends { sku: string }>(a: T, b: T) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0);

export interface ReserveResult {
  reservation: Reservation;
  /** False when this was a repeat answered with the reservation made earlier. */
  created: boolean;
}

export interface ReservationStoreOptions {
  clock?: Clock;
  /** Called after a transaction that wrote events commits (the outbox relay's `wake`). */
  onEventsCommitted?: () => void;
}

export class ReservationStore {
  private readonly clock: Clock;
  private readonly onEventsCommitted: () => void;

  constructor(
    private readonly db: Database,
    options: ReservationStoreOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.onEventsCommitted = options.onEventsCommitted ?? (() => undefined);
  }

  /** Wall time from the injected clock, as the Date the SQL and the events take (a function: it is passed on). */
  private readonly now = (): Date => new Date(this.clock.now());

  /** Reserves every item or none. Items must name distinct skus. */
  async reserve(orderId: string, items: readonly RequestedItem[], context: EventContext): Promise<ReserveResult> {
    const result = await this.db.transaction(async (tx) => {
      const now = this.now();
      // Claim the order first. A concurrent claim for the same order waits here until ours commits or rolls back.
      const claimed = await tx.query<ReservationRow>(
        `INSERT INTO reservations (id, order_id, status, created_at, updated_at) VALUES ($1, $2, 'reserved', $3, $3)
         ON CONFLICT (order_id) DO NOTHING RETURNING ${RESERVATION_COLUMNS}`,
        [randomUUID(), orderId, now],
      );
      if (!claimed.rows[0]) return { reservation: await this.answerRepeat(tx, orderId, items), created: false };

      const lines = await this.takeStock(tx, items);
      await this.insertLines(tx, claimed.rows[0].id, lines);
      const reservation = toReservation(claimed.rows[0], lines);
      await enqueueEvents(tx, [stockReserved(reservation, context, now)]);
      return { reservation, created: true };
    });
    if (result.created) this.onEventsCommitted();
    return result;
  }

  /**
   * Returns a reservation's stock. Idempotent: releasing twice returns stock once. A release for an order with no
   * reservation yet records a tombstone, so a reserve that arrives later (a delayed retry) is refused.
   */
  async release(orderId: string, reason: string, context: EventContext): Promise<Reservation> {
    const { reservation, changed } = await this.db.transaction(async (tx) => {
      const now = this.now();
      let existing = await this.find(tx, orderId, { lock: true });
      if (!existing) {
        const tombstone = await tx.query<ReservationRow>(
          `INSERT INTO reservations (id, order_id, status, tombstone, created_at, updated_at)
           VALUES ($1, $2, 'released', true, $3, $3)
           ON CONFLICT (order_id) DO NOTHING RETURNING ${RESERVATION_COLUMNS}`,
          [randomUUID(), orderId, now],
        );
        if (tombstone.rows[0]) return { reservation: toReservation(tombstone.rows[0], []), changed: false };
        // A reserve for this order committed while we looked: release what it took.
        existing = (await this.find(tx, orderId, { lock: true }))!;
      }
      if (existing.status === 'released') return { reservation: existing, changed: false };
      if (existing.status === 'committed') throw new ReservationStateError(existing, 'release');

      for (const line of existing.lines) {
        await tx.query('UPDATE products SET available = available + $2, reserved = reserved - $2 WHERE sku = $1', [
          line.sku,
          line.quantity,
        ]);
      }
      const released = await this.transition(tx, existing, 'released', now);
      await enqueueEvents(tx, [stockReleased(released, reason, context, now)]);
      return { reservation: released, changed: true };
    });
    if (changed) this.onEventsCommitted();
    return reservation;
  }

  /** Makes a reservation final (the order is confirmed): the held units leave the stock for good. Idempotent. */
  async commit(orderId: string): Promise<Reservation> {
    return this.db.transaction(async (tx) => {
      const existing = await this.find(tx, orderId, { lock: true });
      if (!existing) throw new ReservationNotFoundError(orderId);
      if (existing.status === 'committed') return existing;
      if (existing.status === 'released') throw new ReservationStateError(existing, 'commit');
      for (const line of existing.lines) {
        await tx.query('UPDATE products SET reserved = reserved - $2 WHERE sku = $1', [line.sku, line.quantity]);
      }
      return this.transition(tx, existing, 'committed', this.now());
    });
  }

  async findByOrderId(orderId: string): Promise<Reservation | undefined> {
    return this.find(this.db, orderId, { lock: false });
  }

  /** A repeat of reserve: the same items get the original answer; anything else is refused. */
  private async answerRepeat(tx: Queryable, orderId: string, items: readonly RequestedItem[]): Promise<Reservation> {
    const existing = await this.find(tx, orderId, { lock: false });
    if (!existing) throw new Error(`reservation of order ${orderId} vanished after a conflicting insert`);
    if (existing.status === 'released') throw new ReservationStateError(existing, 'reserve');
    if (!sameItems(existing.lines, items)) throw new ReservationMismatchError(existing);
    return existing;
  }

  /** Locks the products in sku order, then decrements each conditionally; any unknown or short sku aborts it all. */
  private async takeStock(tx: Queryable, items: readonly RequestedItem[]): Promise<ReservationLine[]> {
    const sorted = [...items].sort(bySku);
    const { rows: products } = await tx.query<LockedProductRow>(
      `SELECT sku, name, price_minor, currency, available FROM products
       WHERE sku = ANY($1::text[]) ORDER BY sku FOR UPDATE`,
      [sorted.map((item) => item.sku)],
    );
    const product = new Map(products.map((row) => [row.sku, row]));
    const unknown = sorted.filter((item) => !product.has(item.sku)).map((item) => item.sku);
    if (unknown.length > 0) throw new UnknownSkusError(unknown);
    const currencies = [...new Set(products.map((row) => row.currency))].sort();
    if (currencies.length > 1) throw new MixedCurrenciesError(currencies);

    const shortages: Shortage[] = [];
    for (const item of sorted) {
      const taken = await tx.query(
        `UPDATE products SET available = available - $2, reserved = reserved + $2
         WHERE sku = $1 AND available >= $2`,
        [item.sku, item.quantity],
      );
      if (taken.rowCount === 0) {
        shortages.push({ sku: item.sku, requested: item.quantity, available: product.get(item.sku)!.available });
      }
    }
    // Throwing rolls back the decrements that did succeed, and the claim on the order: all or nothing.
    if (shortages.length > 0) throw new InsufficientStockError(shortages);

    return sorted.map((item) => {
      const row = product.get(item.sku)!;
      return {
        sku: item.sku,
        name: row.name,
        quantity: item.quantity,
        unitPrice: { amountMinor: row.price_minor, currency: row.currency },
        lineTotal: { amountMinor: row.price_minor * item.quantity, currency: row.currency },
      };
    });
  }

  private async insertLines(tx: Queryable, reservationId: string, lines: readonly ReservationLine[]): Promise<void> {
    const params: unknown[] = [reservationId];
    const values = lines.map((line) => {
      params.push(line.sku, line.name, line.quantity, line.unitPrice.amountMinor, line.unitPrice.currency);
      const n = params.length;
      return `($1, $${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, $${n})`;
    });
    await tx.query(
      `INSERT INTO reservation_lines (reservation_id, sku, name, quantity, unit_price_minor, currency)
       VALUES ${values.join(', ')}`,
      params,
    );
  }

  private async transition(
    tx: Queryable,
    existing: Reservation,
    status: ReservationStatus,
    now: Date,
  ): Promise<Reservation> {
    const { rows } = await tx.query<ReservationRow>(
      `UPDATE reservations SET status = $2, version = version + 1, updated_at = $3 WHERE id = $1
       RETURNING ${RESERVATION_COLUMNS}`,
      [existing.id, status, now],
    );
    return toReservation(rows[0]!, existing.lines);
  }

  private async find(q: Queryable, orderId: string, { lock }: { lock: boolean }): Promise<Reservation | undefined> {
    const { rows } = await q.query<ReservationRow>(
      `SELECT ${RESERVATION_COLUMNS} FROM reservations WHERE order_id = $1${lock ? ' FOR UPDATE' : ''}`,
      [orderId],
    );
    if (!rows[0]) return undefined;
    const { rows: lines } = await q.query<LineRow>(
      `SELECT sku, name, quantity, unit_price_minor, currency FROM reservation_lines
       WHERE reservation_id = $1 ORDER BY sku`,
      [rows[0].id],
    );
    return toReservation(rows[0], lines.map(toLine));
  }
}
